package dev.warden.bootstrap.process;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Which JVM options run something outside Warden, or before or beside it, and how they are found. */
class JavaHooksTest {

    @Test
    void commandsTheVmRunsItselfAreHooks() {
        assertThat(JavaHooks.inArguments(List.of("-Xmx8m", "-XX:OnOutOfMemoryError=touch /tmp/x", "-XX:OnError=sh x", "-cp", "a", "Main")))
                .containsExactly("-XX:OnOutOfMemoryError", "-XX:OnError");
    }

    @Test
    void codeLoadedBeforeOrBesideWardensAgentIsAHook() {
        assertThat(JavaHooks.inArguments(List.of("-agentpath:/tmp/libx.so", "-agentlib:jdwp=transport=dt_socket,server=y",
                "-javaagent:/tmp/other.jar", "-Xrunhprof", "-Djava.system.class.loader=x.Loader", "-Djava.security.manager=x.Manager",
                "-Xbootclasspath/a:/tmp/x.jar", "--patch-module", "java.base=/tmp/patch", "--upgrade-module-path=/tmp/m",
                "-XX:JVMCILibPath=/tmp", "-XX:SharedArchiveFile=/tmp/x.jsa", "-Djdk.module.patch.0=java.base=/tmp/p")))
                .containsExactly("-agentpath", "-agentlib:jdwp", "-javaagent", "-Xrun", "-Djava.system.class.loader",
                        "-Djava.security.manager", "-Xbootclasspath/a", "--patch-module", "--upgrade-module-path",
                        "-XX:JVMCILibPath", "-XX:SharedArchiveFile", "-Djdk.module.patch.0");
    }

    /** Found by a second reading (2026-12-06): a file system provider of the child's ran during Warden's own start. */
    @Test
    void aClassTheJdkMakesFromAPropertyIsAHook() {
        assertThat(JavaHooks.inArguments(List.of("-Djava.nio.file.spi.DefaultFileSystemProvider=x.EvilFs",
                "-Djava.util.logging.manager=x.Manager", "-Djava.security.properties=/tmp/providers", "-Dapp.name=x.Fine")))
                .containsExactly("-Djava.nio.file.spi.DefaultFileSystemProvider", "-Djava.util.logging.manager",
                        "-Djava.security.properties");
    }

    @Test
    void optionsInFilesWardenDoesNotReadAreUnknowableAndSoHooks() {
        assertThat(JavaHooks.inArguments(List.of("@/tmp/options", "-XX:Flags=/tmp/.hotspotrc", "-XX:VMOptionsFile=/tmp/vm")))
                .containsExactly("@argfile", "-XX:Flags", "-XX:VMOptionsFile");
    }

    @Test
    void ordinaryOptionsAreNot() {
        assertThat(JavaHooks.inArguments(List.of("-Xmx64m", "-XX:+UseSerialGC", "-XX:+EnableDynamicAgentLoading",
                "-Djava.security.manager=allow", "-Djava.security.manager", "-Dapp.name=x", "--add-opens", "java.base/java.lang=ALL-UNNAMED",
                "-cp", "/app/lib/*", "com.example.Main", "--verbose"))).isEmpty();
    }

    @Test
    void anotherLaunchersJvmOptionIsReadThrough() {
        assertThat(JavaHooks.inArguments(List.of("-J-XX:OnError=sh x", "-J-javaagent:/tmp/a.jar"))).containsExactly("-XX:OnError", "-javaagent");
    }

    @Test
    void variablesAreSplitAsTheVmSplitsThemAndNamedWithTheHook() {
        Map<String, String> variables = Map.of(
                "JDK_JAVA_OPTIONS", "-Xmx8m \"-XX:OnOutOfMemoryError=touch /tmp/x\"",
                "JAVA_TOOL_OPTIONS", "-XX:On'Error=sh -c x' -Dok=1",
                "_JAVA_OPTIONS", "\t-agentpath:/tmp/libx.so\n");

        assertThat(JavaHooks.of(List.of("@args"), variables)).containsExactly("@argfile", "-XX:OnOutOfMemoryError (JDK_JAVA_OPTIONS)",
                "-XX:OnError (JAVA_TOOL_OPTIONS)", "-agentpath (_JAVA_OPTIONS)");
    }

    /** Found by an eighth review (2026-12-07): a class path searched before the agent jar can hold a class in its place. */
    @Test
    void aClassPathGivenInAVariableIsAHook() {
        assertThat(JavaHooks.of(List.of(), Map.of("JDK_JAVA_OPTIONS", "--class-path /ws/shadow", "JAVA_TOOL_OPTIONS",
                "-Djava.class.path=/ws/shadow", "_JAVA_OPTIONS", "--module-path=/ws/mods"))).containsExactly(
                "--class-path (JDK_JAVA_OPTIONS)", "--class-path (JAVA_TOOL_OPTIONS)", "--class-path (_JAVA_OPTIONS)");
        assertThat(JavaHooks.of(List.of("-cp", "app.jar"), Map.of("JAVA_TOOL_OPTIONS", "-Xmx8m"))).as("the arguments' class path is"
                + " read by the enricher").isEmpty();
    }

    @Test
    void quotesRunToTheirMatchAnywhereInAToken() {
        assertThat(JavaHooks.tokens("a 'b c'd \"e\"f  -X'X:OnError=x y")).containsExactly("a", "b cd", "ef", "-XX:OnError=x y");
    }
}
