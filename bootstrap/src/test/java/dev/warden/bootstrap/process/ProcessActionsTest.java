package dev.warden.bootstrap.process;

import dev.warden.bootstrap.ActionDeniedException;
import dev.warden.bootstrap.ActionRequest;
import dev.warden.bootstrap.Decision;
import dev.warden.bootstrap.Gate;
import dev.warden.bootstrap.TestGate;
import dev.warden.bootstrap.Obligations;
import dev.warden.bootstrap.Outcome;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.File;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** What rules see of a process start, and how a refusal reaches the application. */
class ProcessActionsTest {

    private final List<ActionRequest> decided = new ArrayList<>();

    @AfterEach
    void uninstall() {
        TestGate.clear();
    }

    private void gateAnswering(Outcome outcome) {
        TestGate.answerAll(outcome, decided);
    }

    @Test
    void aStartIsDecidedAsExecOfItsProgramWithEnvironmentNamesButNoValues() {
        gateAnswering(Outcome.PERMIT);
        Map<String, String> environment = new ProcessBuilder().environment();
        environment.clear();
        environment.put("TOKEN", "s3cret");
        environment.put("HOME", "/home/x");
        ProcessBuilder.Redirect[] redirects = {ProcessBuilder.Redirect.PIPE, ProcessBuilder.Redirect.to(new File("/tmp/out")),
                ProcessBuilder.Redirect.INHERIT};

        ProcessActions.Start start = ProcessActions.start(new String[] {"curl", "-s", "http://x"}, environment, "/tmp", redirects, false);

        assertThat(start.refusal()).isNull();
        assertThat(start.environment()).isEqualTo(environment).isNotSameAs(environment);
        ActionRequest action = decided.get(0);
        assertThat(action.surface()).isEqualTo("process");
        assertThat(action.operation()).isEqualTo("EXEC");
        assertThat(action.target()).isEqualTo("curl");
        assertThat(action.attributes())
                .containsEntry("process.command", List.of("curl", "-s", "http://x"))
                .containsEntry("process.program", "curl")
                .containsEntry("process.directory", "/tmp")
                .containsEntry("process.env.inherited", false)
                .containsEntry("process.env.names", List.of("HOME", "TOKEN"))
                .containsEntry("process.redirects", List.of("stdin=PIPE", "stdout=WRITE /tmp/out", "stderr=INHERIT"));
        assertThat(action.attributes().values()).noneMatch(value -> value.toString().contains("s3cret"));
    }

    /** Found by an eighth review (2026-12-07): a YAML allow of tar ran a command given as TAR_OPTIONS=--to-command=... */
    @Test
    void variablesTheStartSetsThatMakeAProgramRunCodeAreNamed() {
        Map<String, String> own = Map.of("PATH", "/usr/bin", "HOME", "/root", "LD_LIBRARY_PATH", "/opt/lib", "LANG", "C");
        assertThat(CodeVariables.of(Map.of("PATH", "/usr/bin", "HOME", "/root", "LD_LIBRARY_PATH", "/opt/lib", "LANG", "de",
                "DEPLOY_TARGET", "x", "GIT_AUTHOR_NAME", "a"), own)).as("the operator's own, and harmless ones").isEmpty();
        assertThat(CodeVariables.of(Map.of(), own)).as("an empty environment").isEmpty();
        assertThat(CodeVariables.of(null, own)).as("inherited").isEmpty();
        assertThat(CodeVariables.of(Map.of("PATH", "/ws:/usr/bin", "LD_PRELOAD", "x.so", "TAR_OPTIONS", "--to-command=x",
                "BASH_FUNC_echo%%", "() { x; }", "GIT_SSH_COMMAND", "x", "PYTHONSTARTUP", "x", "NODE_OPTIONS", "-r x",
                "PERL5OPT", "-Mx", "BASH_ENV", "x", "ENV", "x"), own))
                .containsExactly("BASH_ENV", "BASH_FUNC_echo%%", "ENV", "GIT_SSH_COMMAND", "LD_PRELOAD", "NODE_OPTIONS", "PATH",
                        "PERL5OPT", "PYTHONSTARTUP", "TAR_OPTIONS");
        assertThat(CodeVariables.of(Map.of("KUBECONFIG", "ws/kubeconfig", "DOCKER_CONFIG", "ws/docker", "AWS_CONFIG_FILE", "ws/aws"), own))
                .as("where a tool reads the command it runs (a tenth review, 2026-12-07)")
                .containsExactly("AWS_CONFIG_FILE", "DOCKER_CONFIG", "KUBECONFIG");

        gateAnswering(Outcome.PERMIT);
        Map<String, String> environment = new ProcessBuilder().environment();
        environment.put("TAR_OPTIONS", "--to-command=touch x");
        ProcessActions.start(new String[] {"tar", "xf", "a.tar"}, environment, null, new ProcessBuilder.Redirect[0], false);
        assertThat(decided.get(0).attributes()).containsEntry("process.env.code", List.of("TAR_OPTIONS"));
        assertThat(decided.get(0).attributes().values()).noneMatch(value -> value.toString().contains("touch"));
    }

    /** Found by a review (2026-12-06): one approval of {@code DEPLOY_TARGET=staging} ran the command with {@code production}. */
    @Test
    void aGivenEnvironmentsValuesAreBoundAsADigestThatNoOtherEnvironmentHas() {
        gateAnswering(Outcome.PERMIT);

        for (Map<String, String> environment : List.of(Map.of("DEPLOY_TARGET", "staging"), Map.of("DEPLOY_TARGET", "production"),
                Map.of("DEPLOY_TARGET", "staging"), Map.of("A", "1B=2"), Map.of("A", "1", "B", "2"))) {
            Map<String, String> given = new ProcessBuilder().environment();
            given.clear();
            given.putAll(environment);
            ProcessActions.start(new String[] {"bash", "deploy.sh"}, given, null, null, false);
        }

        List<Object> digests = decided.stream().map(action -> action.attribute(ProcessActions.ENVIRONMENT_DIGEST)).toList();
        assertThat(digests).allSatisfy(digest -> assertThat(digest.toString()).matches("[0-9a-f]{64}"));
        assertThat(digests.get(0)).isNotEqualTo(digests.get(1)).isEqualTo(digests.get(2));
        assertThat(digests.get(3)).isNotEqualTo(digests.get(4));
        assertThat(decided).allSatisfy(action -> assertThat(action.attributes().values())
                .noneMatch(value -> value.toString().contains("staging") || value.toString().contains("production")));
    }

    /**
     * Found by a tenth review (2026-12-07): the JDK reads the builder's environment map again after the decision, and a
     * start held for approval waits inside it, so staging was approved and production, put in the map by another thread
     * meanwhile, ran. What the child gets is the copy the decision read.
     */
    @Test
    void theEnvironmentTheChildGetsIsTheOneDecidedWhateverTheBuilderBecomesMeanwhile() {
        Map<String, String> builders = new ProcessBuilder().environment();
        builders.clear();
        builders.put("DEPLOY_TARGET", "staging");
        TestGate.answerWith(request -> {
            decided.add(request);
            builders.put("DEPLOY_TARGET", "production"); // another thread of the application, while the call waits
            builders.put("LD_PRELOAD", "/tmp/x.so");
            return new Decision(Outcome.PERMIT, true, List.of("rule"), "approved", "receipt-1", Obligations.NONE);
        });

        ProcessActions.Start start = ProcessActions.start(new String[] {"bash", "deploy.sh"}, builders, null, null, false);

        assertThat(start.refusal()).isNull();
        assertThat(start.environment()).isEqualTo(Map.of("DEPLOY_TARGET", "staging")).isNotSameAs(builders);
        assertThat(start.environment().getClass()).isEqualTo(builders.getClass());
        assertThat(decided.get(0).attributes()).containsEntry("process.env.names", List.of("DEPLOY_TARGET"))
                .doesNotContainKey("process.env.code");
        assertThat(decided.get(0).attribute(ProcessActions.ENVIRONMENT_DIGEST))
                .isEqualTo(ProcessActions.environmentDigest(Map.of("DEPLOY_TARGET", "staging")));
    }

    /** The JDK opens a redirect by asking its File again: it gets a plain File of the path that was decided. */
    @Test
    void theRedirectFileTheJdkOpensIsTheOneDecidedWhateverTheApplicationsFileAnswersNext() {
        gateAnswering(Outcome.PERMIT);
        java.util.concurrent.atomic.AtomicInteger asked = new java.util.concurrent.atomic.AtomicInteger();
        java.io.File shifting = new java.io.File("/tmp/announced.txt") {
            @Override
            public String getPath() {
                return asked.getAndIncrement() == 0 ? super.getPath() : "/tmp/elsewhere.txt";
            }
        };
        ProcessBuilder.Redirect[] given = {ProcessBuilder.Redirect.PIPE, ProcessBuilder.Redirect.appendTo(shifting),
                ProcessBuilder.Redirect.DISCARD};

        ProcessActions.Start start = ProcessActions.start(new String[] {"echo", "hi"}, null, null, given, false);

        assertThat(decided.get(0).attributes()).containsEntry("process.redirects",
                List.of("stdin=PIPE", "stdout=APPEND /tmp/announced.txt", "stderr=WRITE /dev/null"));
        assertThat(start.redirects()[0]).isSameAs(ProcessBuilder.Redirect.PIPE);
        assertThat(start.redirects()[1].type()).isEqualTo(ProcessBuilder.Redirect.Type.APPEND);
        assertThat(start.redirects()[1].file()).hasSameClassAs(new java.io.File("x")).hasToString("/tmp/announced.txt");
        assertThat(start.redirects()[2]).isSameAs(ProcessBuilder.Redirect.DISCARD);
        assertThat(given[1].file()).isSameAs(shifting);
    }

    /** The JVM's own environment does not change: an inheriting start has nothing more to bind. */
    @Test
    void anInheritedEnvironmentBindsNoDigest() {
        gateAnswering(Outcome.PERMIT);

        ProcessActions.start(new String[] {"true"}, null, null, null, false);

        assertThat(decided.get(0).attributes()).doesNotContainKey(ProcessActions.ENVIRONMENT_DIGEST);
    }

    @Test
    void anInheritedEnvironmentIsNamedFromThisProcessAndMergedStandardErrorIsSaid() {
        gateAnswering(Outcome.PERMIT);

        ProcessActions.start(new String[] {"true"}, null, null, null, true);

        assertThat(decided.get(0).attributes())
                .containsEntry("process.env.inherited", true)
                .containsEntry("process.env.names", List.copyOf(new java.util.TreeSet<>(System.getenv().keySet())))
                .containsEntry("process.redirects", List.of("stdin=PIPE", "stdout=PIPE", "stderr=STDOUT"))
                .doesNotContainKey("process.directory");
    }

    @Test
    void aRefusalIsAnIoExceptionWithTheDenialAsItsCause() {
        gateAnswering(Outcome.DENY);

        IOException refusal = ProcessActions.start(new String[] {"rm", "-rf", "/"}, null, null, null, false).refusal();

        assertThat(refusal).hasMessage("warden: denied by rule: because (receipt receipt-1)");
        assertThat(refusal.getCause()).isInstanceOf(ActionDeniedException.class);
    }

    @Test
    void theJdksWrappingOfARefusalIsUndoneAndAnythingElseIsLeftAlone() {
        gateAnswering(Outcome.DENY);
        IOException refusal = ProcessActions.start(new String[] {"rm"}, null, null, null, false).refusal();
        IOException wrapped = new IOException("Cannot run program \"rm\": " + refusal.getMessage(), refusal);
        IOException notWarden = new IOException("Cannot run program \"nope\": error=2", new IOException("error=2"));

        assertThat(ProcessActions.unwrapped(wrapped)).isSameAs(refusal);
        assertThat(ProcessActions.unwrapped(notWarden)).isSameAs(notWarden);
    }

    @Test
    void aCommandTheJdkWillStartIsLeftToTheStartItself() {
        gateAnswering(Outcome.DENY);

        assertThat(ProcessActions.refusalForUnstartable(List.of("echo", "hi"))).isNull();
        assertThat(ProcessActions.refusalForCommandLine("echo hi")).isNull();
        assertThat(decided).isEmpty();
    }

    @Test
    void commandsTheJdkWouldRejectAreDecidedWithTheProblemAsAFact() {
        gateAnswering(Outcome.DENY);

        assertThat(ProcessActions.refusalForUnstartable(List.of())).isNotNull();
        assertThat(ProcessActions.refusalForUnstartable(Arrays.asList("echo", null))).isNotNull();
        assertThat(ProcessActions.refusalForUnstartable(List.of("echo", "a\u0000b"))).isNotNull();
        assertThat(ProcessActions.refusalForCommandLine("")).isNotNull();
        assertThat(ProcessActions.refusalForCommandLine(null)).isNotNull();

        assertThat(decided).extracting(request -> request.attribute("process.error")).containsExactly(
                "empty command", "argument 1 is null", "argument 1 contains a NUL character", "empty command", "null command");
        assertThat(decided.get(1).attribute("process.command")).isEqualTo(List.of("echo", ""));
        assertThat(decided.get(1).target()).isEqualTo("echo");
    }

    @Test
    void aPermittedUnstartableCommandIsLeftForTheJdkToReject() {
        gateAnswering(Outcome.PERMIT);

        assertThat(ProcessActions.refusalForUnstartable(List.of())).isNull();
        assertThat(decided).hasSize(1);
    }

    @Test
    void aListWhoseReadsThrowIsDecidedNamingOnlyTheExceptionsClass() {
        gateAnswering(Outcome.SILENCE);
        List<String> hostile = new ArrayList<>(List.of("echo")) {
            @Override
            public <T> T[] toArray(T[] array) {
                throw new IllegalStateException("a message the application controls") {
                    @Override
                    public String toString() {
                        throw new IllegalStateException("nor this");
                    }
                };
            }
        };

        IOException refusal = ProcessActions.refusalForUnstartable(hostile);

        assertThat(refusal).hasMessageContaining("denied by rule");
        assertThat((String) decided.get(0).attribute("process.error")).startsWith("the command could not be read: ")
                .doesNotContain("message the application controls");
    }

    @Test
    void aRedirectWhoseFileThrowsRefusesTheStartFailClosed() {
        gateAnswering(Outcome.PERMIT);
        File hostile = new File("/tmp/x") {
            @Override
            public String getPath() {
                throw new IllegalStateException("boom");
            }
        };

        IOException refusal = ProcessActions.start(new String[] {"echo"}, null, null,
                new ProcessBuilder.Redirect[] {ProcessBuilder.Redirect.PIPE, ProcessBuilder.Redirect.to(hostile), ProcessBuilder.Redirect.PIPE},
                false).refusal();

        assertThat(refusal).hasMessageContaining("denied by warden.fail-closed: could not describe the process start", "boom");
        // Recorded: the engine refuses a request Warden could not read without asking the rules.
        assertThat(decided).singleElement().satisfies(request -> {
            assertThat(request.surface()).isEqualTo("process");
            assertThat(request.attribute(Decision.UNREADABLE_ATTRIBUTE)).asString().contains("could not describe the process start");
        });
    }

    @Test
    void wardensOwnWorkIsNotGated() {
        gateAnswering(Outcome.DENY);
        TestGate.capability().runInternally(() -> {
            assertThat(ProcessActions.start(new String[] {"echo"}, null, null, null, false).refusal()).isNull();
            assertThat(ProcessActions.refusalForUnstartable(List.of())).isNull();
        });
        assertThat(decided).isEmpty();
    }

    @Test
    void javaLaunchersAreRecognisedByTheirBaseName() {
        assertThat(ProcessActions.isJavaLauncher("java")).isTrue();
        assertThat(ProcessActions.isJavaLauncher("/usr/lib/jvm/temurin-25/bin/java")).isTrue();
        assertThat(ProcessActions.isJavaLauncher("C:\\jdk\\bin\\java.exe")).isTrue();
        assertThat(ProcessActions.isJavaLauncher("/usr/bin/javac")).isFalse();
        assertThat(ProcessActions.isJavaLauncher("/opt/java/run.sh")).isFalse();
    }
}
