package dev.warden.bootstrap.process;

import dev.warden.bootstrap.ActionRequest;
import dev.warden.bootstrap.Decision;
import dev.warden.bootstrap.Obligations;
import dev.warden.bootstrap.Outcome;
import dev.warden.bootstrap.TestGate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * With {@code child-agent=true} a java child carries Warden; one whose options run something outside it (a command
 * HotSpot runs itself, code loaded before or beside the agent, options in a file) is not said to be under Warden.
 */
class JavaChildHooksTest {

    private static final String JAR = "/opt/warden/warden-agent.jar";

    private final List<ActionRequest> decided = new ArrayList<>();

    @BeforeAll
    static void publish() {
        ChildAgent.publish(JAR, "rules=/r,mode=enforce", "/var/receipts.children"); // as ChildEnvironmentTest: once per JVM
    }

    @BeforeEach
    void permitEverything() {
        TestGate.answerWith(request -> {
            decided.add(request);
            return new Decision(Outcome.PERMIT, true, List.of("rule"), "because", "receipt-1", Obligations.NONE);
        });
    }

    @AfterEach
    void uninstall() {
        TestGate.clear();
    }

    @Test
    void aJavaChildWithNothingBesideWardenIsSaidToCarryIt() {
        ProcessActions.start(new String[] {"java", "-Xmx64m", "-cp", "app.jar", "Main"}, environment(Map.of()), null, null, false);

        assertThat(decided.get(0).attributes()).containsEntry("process.child.agent", true).doesNotContainKey("process.java.hooks");
    }

    @Test
    void aCommandTheVmWouldRunInTheArgumentsIsAHookAndTheChildIsNotSaidToCarryWarden() {
        ProcessActions.Start start = ProcessActions.start(new String[] {"/usr/bin/java", "-Xmx8m", "-XX:OnOutOfMemoryError=touch /tmp/x",
                "-cp", "app.jar", "Main"}, environment(Map.of()), null, null, false);

        assertThat(decided.get(0).attributes()).containsEntry("process.java.hooks", List.of("-XX:OnOutOfMemoryError"))
                .doesNotContainKey("process.child.agent");
        assertThat(start.environment().get("JAVA_TOOL_OPTIONS")).as("if permitted, it still gets Warden").startsWith("-javaagent:" + JAR + "=");
    }

    @Test
    void hooksInTheVariablesTheChildWillGetAreFoundAndWardensOwnInheritedOptionIsNotOne() {
        ProcessActions.start(new String[] {"java", "-cp", "app.jar", "Main"}, environment(Map.of(
                "JDK_JAVA_OPTIONS", "'-XX:OnError=touch /tmp/x'",
                "JAVA_TOOL_OPTIONS", "-Dx=1 -javaagent:" + JAR + "=rules=/r,receipts=/parent -agentlib:jdwp=server=y",
                "_JAVA_OPTIONS", "-Xmx8m")), null, null, false);

        assertThat(decided.get(0).attributes())
                .containsEntry("process.java.hooks", List.of("-XX:OnError (JDK_JAVA_OPTIONS)", "-agentlib:jdwp (JAVA_TOOL_OPTIONS)"))
                .doesNotContainKey("process.child.agent");
        assertThat(decided.get(0).attributes().values()).noneMatch(value -> value.toString().contains("/tmp/x"));
    }

    @Test
    void anArgumentFileIsUnknowableAndSoAHook() {
        ProcessActions.start(new String[] {"java", "@/tmp/options", "Main"}, environment(Map.of()), null, null, false);

        assertThat(decided.get(0).attributes()).containsEntry("process.java.hooks", List.of("@argfile")).doesNotContainKey("process.child.agent");
    }

    @Test
    void anotherProgramsArgumentsAreItsOwnButTheVariablesReachAnyJvmItStarts() {
        ProcessActions.start(new String[] {"curl", "-d", "@/tmp/body"}, environment(Map.of()), null, null, false);
        ProcessActions.start(new String[] {"mvn", "package"}, environment(Map.of("JAVA_TOOL_OPTIONS", "-XX:OnError=sh")), null, null, false);

        assertThat(decided.get(0).attributes()).doesNotContainKey("process.java.hooks");
        assertThat(decided.get(1).attributes()).containsEntry("process.java.hooks", List.of("-XX:OnError (JAVA_TOOL_OPTIONS)"));
    }

    private static Map<String, String> environment(Map<String, String> values) {
        Map<String, String> environment = new ProcessBuilder().environment();
        environment.clear();
        environment.putAll(values);
        return environment;
    }
}
