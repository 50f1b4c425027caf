package dev.warden.bootstrap.process;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Warden in a child JVM's JAVA_TOOL_OPTIONS, and never handed on to other children. */
class ChildEnvironmentTest {

    private static final String JAR = "/opt/warden/warden-agent.jar";

    @BeforeAll
    static void publish() {
        // Published once per JVM, as the agent does at start; a second publication changes nothing.
        ChildAgent.publish(JAR, "rules=/r,mode=enforce", "/var/receipts.children");
        assertThat(ChildAgent.publish("/elsewhere.jar", "rules=/nothing", "/tmp")).isFalse();
        assertThat(ChildAgent.publishOff()).isFalse();
    }

    @Test
    void aJavaChildGetsTheAgentAppendedWithAReceiptsDirectoryOfItsOwn() {
        Map<String, String> given = environment(Map.of("JAVA_TOOL_OPTIONS", "-Xmx64m", "HOME", "/h"));

        Map<String, String> first = ProcessActions.ChildEnvironment.of(given, true);
        Map<String, String> second = ProcessActions.ChildEnvironment.of(given, true);

        long pid = ProcessHandle.current().pid();
        assertThat(first).isNotSameAs(given).containsEntry("HOME", "/h");
        assertThat(first.get("JAVA_TOOL_OPTIONS")).startsWith("-Xmx64m -javaagent:" + JAR + "=rules=/r,mode=enforce,receipts=/var/receipts.children/child-" + pid + "-");
        assertThat(second.get("JAVA_TOOL_OPTIONS")).isNotEqualTo(first.get("JAVA_TOOL_OPTIONS"));
        assertThat(given).containsEntry("JAVA_TOOL_OPTIONS", "-Xmx64m");
        assertThat(first.getClass()).isSameAs(given.getClass());
    }

    @Test
    void anInheritedWardenOptionIsReplacedForAJavaChildAndRemovedForAnyOther() {
        Map<String, String> given = environment(Map.of("JAVA_TOOL_OPTIONS", "-Dx=1 -javaagent:" + JAR + "=rules=/r,receipts=/parent -Dy=2"));

        String javaChild = ProcessActions.ChildEnvironment.of(given, true).get("JAVA_TOOL_OPTIONS");
        Map<String, String> otherChild = ProcessActions.ChildEnvironment.of(given, false);

        assertThat(javaChild).startsWith("-Dx=1 -Dy=2 -javaagent:" + JAR + "=").doesNotContain("receipts=/parent");
        assertThat(otherChild).containsEntry("JAVA_TOOL_OPTIONS", "-Dx=1 -Dy=2");
        Map<String, String> onlyWarden = ProcessActions.ChildEnvironment.of(
                environment(Map.of("JAVA_TOOL_OPTIONS", "-javaagent:" + JAR + "=rules=/r")), false);
        assertThat(onlyWarden).doesNotContainKey("JAVA_TOOL_OPTIONS");
    }

    @Test
    void anyOtherChildKeepsItsEnvironmentUntouched() {
        Map<String, String> given = environment(Map.of("JAVA_TOOL_OPTIONS", "-Xmx64m"));

        assertThat(ProcessActions.ChildEnvironment.of(given, false)).isSameAs(given);
        assertThat(ProcessActions.ChildEnvironment.of(null, false)).isNull();
    }

    private static Map<String, String> environment(Map<String, String> values) {
        Map<String, String> environment = new ProcessBuilder().environment();
        environment.clear();
        environment.putAll(values);
        return environment;
    }
}
