package dev.warden.agent.install;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class LaunchOptionsTest {

    @Test
    void modulesTheBootClassPathAndAgentJarsCountNotTheAgentsOptionsNorTheRest() {
        String launch = LaunchOptions.shaping(List.of("-Xmx1g", "-Dtool=1",
                "-javaagent:/opt/warden-agent.jar=rules=/srv/rules,receipts=/tmp/r1", "--patch-module=java.base=/tmp/patch",
                "--add-opens=java.base/java.lang=ALL-UNNAMED", "-Xbootclasspath/a:/tmp/boot.jar", "-XX:+UseSerialGC"));

        assertThat(launch).isEqualTo("-javaagent:/opt/warden-agent.jar\n--patch-module=java.base=/tmp/patch\n"
                + "--add-opens=java.base/java.lang=ALL-UNNAMED\n-Xbootclasspath/a:/tmp/boot.jar\n");
    }

    @Test
    void aReceiptsDirectoryOfItsOwnIsTheSameLaunchAnotherAgentBeforeWardenIsNot() {
        String alone = LaunchOptions.shaping(List.of("-javaagent:/opt/warden-agent.jar=receipts=/tmp/a"));
        String elsewhere = LaunchOptions.shaping(List.of("-javaagent:/opt/warden-agent.jar=receipts=/tmp/b"));
        String withJacoco = LaunchOptions.shaping(List.of("-javaagent:/opt/jacoco.jar", "-javaagent:/opt/warden-agent.jar=receipts=/tmp/a"));

        assertThat(elsewhere).isEqualTo(alone);
        assertThat(withJacoco).isNotEqualTo(alone);
    }

    @Test
    void optionsThatLetOtherClassesBeTheJdksOpenItAgentsAndTheRestDoNot() {
        for (String opening : List.of("--add-opens=java.base/java.lang=ALL-UNNAMED", "--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED", "--patch-module=java.sql=/tmp/p",
                "--upgrade-module-path=/tmp/m", "-Xbootclasspath/a:/tmp/boot.jar")) {
            assertThat(LaunchOptions.opensTheJdk(List.of("-Xmx1g", opening))).as(opening).isTrue();
        }
        assertThat(LaunchOptions.opensTheJdk(List.of("-Xmx1g", "-javaagent:/opt/warden-agent.jar", "--add-modules=java.sql",
                "-Dwarden.rules=/srv/rules"))).isFalse();
    }

    @Test
    void thisJvmsOwnOptionsAreRead() {
        assertThat(LaunchOptions.current()).isEqualTo(LaunchOptions.shaping(
                java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments()));
    }
}
