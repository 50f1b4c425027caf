package dev.warden.e2e;

import dev.warden.e2e.EgressServers.CountingHttpServer;
import dev.warden.e2e.host.LauncherAgentHost;
import dev.warden.e2e.host.ProcessHost;
import dev.warden.receipts.Receipt;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@code process} surface in host JVMs started with only {@code -javaagent}: every way Java starts
 * a process, each step's command writing a marker file that must not exist when the start was refused
 * (a side channel the host cannot fake), and a counting HTTP server that a refused {@code curl} must
 * never reach.
 */
@Execution(ExecutionMode.SAME_THREAD) // its nested classes share the outer class's workspace
class ProcessEndToEndTest {

    private static final Pattern RECEIPT = Pattern.compile("\\(receipt ([0-9a-f-]{36})\\)");

    /** Under a rule set that permits nothing, no technique starts a process, and every refusal has a receipt. */
    @Nested
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    class UnderDenyAll {

        private Path workspace;

        private HostJvm.Result host;
        private List<Receipt> receipts;
        private Receipts.Verification verification;
        private final List<Path> markers = new ArrayList<>();

        @BeforeAll
        void runHost(@TempDir Path temporary) throws Exception {
            workspace = temporary;
            Receipts store = Receipts.in(workspace);
            Path dir = Files.createDirectories(workspace.resolve("cwd"));
            for (int i = 0; i < 9; i++) {
                markers.add(workspace.resolve("marker-" + i));
            }
            host = HostJvm.withAgent(store.agentArguments()).withRules("empty").within(300).run(ProcessHost.class, List.of(
                    "pb|touch|" + markers.get(0),
                    "exec-string|touch " + markers.get(1),
                    "exec-array|touch|" + markers.get(2),
                    "exec-env-dir|" + dir + "|touch|" + markers.get(3),
                    "pb-env-dir|" + dir + "|touch|" + markers.get(4),
                    "pipeline|touch " + markers.get(5) + ";touch " + markers.get(6),
                    "pb|sh|-c|touch " + markers.get(7),
                    "exec-array|/bin/sh|-c|touch " + markers.get(8)));
            receipts = store.all();
            verification = store.verify();
        }

        @Test
        void everyTechniqueIsRefusedAsAnIoExceptionCausedByTheDenial() {
            assertThat(host.exitCode()).as(host.toString()).isZero();
            for (int step = 0; step < 8; step++) {
                assertThat(host.step(step)).as(host.toString())
                        .startsWith("DENIED step=" + step + " thrown=java.io.IOException denial=java.io.IOException cause=ActionDeniedException")
                        .contains("message=warden: denied by default-deny: no rule permits process EXEC on ");
            }
        }

        @Test
        void noProcessRan() {
            assertThat(markers).allSatisfy(marker -> assertThat(marker).doesNotExist());
        }

        @Test
        void everyRefusalHasItsReceiptAndEachStartWasDecidedOnce() {
            assertThat(receipts).extracting(Receipt::surface).containsOnly("process");
            // The pipeline's first stage is refused, so its second is never attempted.
            assertThat(receipts).hasSize(8).allSatisfy(receipt -> {
                assertThat(receipt.operation()).isEqualTo("EXEC");
                assertThat(receipt.outcome()).isEqualTo("SILENCE");
            });
            for (int step = 0; step < 8; step++) {
                assertThat(receipts.get(step).id()).isEqualTo(receiptOf(host.step(step)));
            }
            assertThat(receipts).extracting(Receipt::target)
                    .containsExactly("touch", "touch", "touch", "touch", "touch", "touch", "sh", "/bin/sh");
            assertThat(receipts.get(7).summary()).containsEntry("process.program.path", resolved("/bin/sh"))
                    .containsEntry("process.shell", "true").containsEntry("process.arguments", "-c touch " + markers.get(8));
        }

        @Test
        void receiptsNameEnvironmentVariablesButNeverTheirValues() {
            Receipt withEnvironment = receipts.get(4);
            assertThat(withEnvironment.summary())
                    .containsEntry("process.env.inherited", "false")
                    .containsEntry("process.directory", workspace.resolve("cwd").toString())
                    .hasEntrySatisfying("process.env.names", names -> assertThat(names.split(",")).contains("WARDEN_E2E_SECRET", "PATH"));
            assertThat(receipts.get(3).summary().get("process.env.names")).isEqualTo("PATH,WARDEN_E2E_SECRET");
            assertThat(receipts).allSatisfy(receipt -> assertThat(receipt.summary().values()).noneMatch(value -> value.contains("s3cret-value")));
        }

        @Test
        void theAuditorsVerifierAcceptsTheReceipts() {
            assertThat(verification.exitCode()).as(verification.output()).isZero();
        }
    }

    /**
     * A least-privilege policy: echo may run and nothing else, and not with a library the dynamic linker loads into
     * it; shells, network clients, unstartable and unencodable commands are refused by rules that say why. Bad input and a command list whose reads
     * throw get a decision and a receipt, and the host carries on.
     */
    @Nested
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    class UnderLeastPrivilege {

        private Path workspace;

        private CountingHttpServer server;
        private NativeLibraries libraries;
        private Process notTheHosts;
        private HostJvm.Result host;
        private List<Receipt> receipts;
        private Receipts.Verification verification;

        @BeforeAll
        void runHost(@TempDir Path temporary) throws Exception {
            workspace = temporary;
            server = new CountingHttpServer();
            Receipts store = Receipts.in(workspace);
            Path dir = Files.createDirectories(workspace.resolve("cwd"));
            // A program the agent wrote, named like the permitted one, in the directory a child is started in: with an
            // empty entry in PATH the JDK's search in the child finds it there first.
            Path planted = Files.createDirectories(workspace.resolve("planted"));
            Files.writeString(planted.resolve("echo"), "#!/bin/sh\ntouch " + workspace.resolve("marker-20") + "\n");
            Files.setPosixFilePermissions(planted.resolve("echo"), java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
            // A library whose constructor writes a marker: the dynamic linker loads it into echo when LD_PRELOAD names it.
            libraries = new NativeLibraries(workspace);
            Path preloaded = libraries.build("preloaded");
            // A process of the same user that the host did not start (the test's own): its id is all the agent passes.
            notTheHosts = new ProcessBuilder("/bin/sleep", "300").start();
            host = HostJvm.withAgent(store.agentArguments()).withRules("process").within(300)
                    .env("PATH", ":" + System.getenv("PATH")).run(ProcessHost.class, List.of(
                    /* 0 */ "pb|echo|permitted output",
                    /* 1 */ "exec-string|echo via Runtime.exec",
                    /* 2 */ "pb|curl|-s|-o|" + workspace.resolve("marker-2") + "|http://127.0.0.1:" + server.port() + "/exfil",
                    /* 3 */ "pb|sh|-c|touch " + workspace.resolve("marker-3"),
                    /* 4 */ "pb|touch|" + workspace.resolve("marker-4"),
                    /* 5 */ "pipeline|echo piped;touch " + workspace.resolve("marker-5"),
                    /* 6 */ "exec-env-dir|" + dir + "|echo|in a directory, with a secret in the environment",
                    /* 7 */ "empty-list",
                    /* 8 */ "null-element",
                    /* 9 */ "exec-empty",
                    /* 10 */ "nul|echo|argument",
                    /* 11 */ "huge|100000|echo",
                    /* 12 */ "unencodable|echo",
                    /* 13 */ "throwing-list|echo|never read",
                    /* 14 */ "pb|echo|after a list that threw",
                    /* 15 */ "pb|echo|--password=hunter2|https://user:pw@example.test/",
                    /* 16 */ "throwing-redirect|" + workspace.resolve("redirected.txt") + "|echo|never started",
                    /* 17 */ "pb|echo|after a redirect that threw",
                    /* 18 */ "pb|bash|-lc|touch " + workspace.resolve("marker-18"),
                    /* 19 */ "pb|dash|-ec|touch " + workspace.resolve("marker-19"),
                    /* 20 */ "exec-env-dir|" + planted + "|echo|the planted echo",
                    /* 21 */ "pb-env|LD_PRELOAD=" + preloaded + "|echo|preloaded",
                    /* 22 */ "destroy|" + notTheHosts.pid()));
            receipts = store.all();
            verification = store.verify();
        }

        @AfterAll
        void stopServer() {
            server.close();
            notTheHosts.destroyForcibly();
        }

        @Test
        void thePermittedCommandRunsAndTheHostSeesItsOutput() {
            assertThat(host.exitCode()).as(host.toString()).isZero();
            assertThat(host.step(0)).isEqualTo("OK step=0 exit=0 out=permitted output");
            assertThat(host.step(1)).isEqualTo("OK step=1 exit=0 out=via Runtime.exec");
            assertThat(host.step(6)).isEqualTo("OK step=6 exit=0 out=in a directory, with a secret in the environment");
            assertThat(receipts.get(0).summary()).containsEntry("process.program.path", "/usr/bin/echo")
                    .containsEntry("process.argument.count", "1").containsEntry("process.arguments", "permitted output");
            assertThat(host.lines()).contains("DONE");
        }

        @Test
        void everythingElseIsRefusedByTheRuleThatForbidsItAndNeverRuns() throws Exception {
            assertThat(host.step(2)).contains("denied by no network clients: programs that reach the network are not run: curl");
            assertThat(server.total()).as("the forbidden server was never reached").isZero();
            assertThat(host.step(3)).contains("denied by no shells");
            assertThat(host.step(4)).contains("denied by default-deny: no rule permits process EXEC on touch");
            assertThat(host.step(5)).contains("denied by default-deny: no rule permits process EXEC on touch");
            assertThat(host.step(18)).contains("denied by no shells");
            assertThat(host.step(19)).contains("denied by no shells");
            assertThat(host.step(20)).contains("denied by default-deny: no rule permits process EXEC on echo");
            assertThat(receipts).filteredOn(receipt -> receipt.summary().containsKey("process.directory")
                    && receipt.summary().get("process.directory").endsWith("planted")).singleElement()
                    .satisfies(receipt -> assertThat(receipt.summary()).containsEntry("process.program.path",
                            workspace.resolve("planted/echo").toRealPath().toString()));
            for (int marker : new int[] {2, 3, 4, 5, 18, 19, 20}) {
                assertThat(workspace.resolve("marker-" + marker)).doesNotExist();
            }
            // The pipeline's permitted first stage started, and was ended by the JDK when the second was refused.
            assertThat(outcomes()).startsWith("PERMIT", "PERMIT", "DENY", "DENY", "SILENCE", "PERMIT", "SILENCE", "PERMIT");
        }

        /**
         * Found by a sixth review (2026-12-07): echo, permitted by its path, ran the agent's library with LD_PRELOAD. Only
         * the variables' names are facts: the pack refuses the dynamic linker's by name in an environment the start gives.
         */
        @Test
        void aPermittedProgramIsNotStartedWithALibraryTheDynamicLinkerWouldLoadIntoIt() {
            assertThat(libraries.ran("preloaded")).as("the preloaded library's constructor ran").isFalse();
            assertThat(host.step(21)).as(host.toString()).contains("denied by no variables that load code into the program: "
                    + "a variable the dynamic linker loads code by: LD_PRELOAD");
            assertThat(receiptIds()).contains(receiptOf(host.step(21)));
        }

        /**
         * Found by a seventh review (2026-12-07): the program a start names was looked for from {@code user.dir}, which an
         * operator's {@code -Duser.dir} sets elsewhere, while the child searches from the process's working directory.
         * Started in a directory where the agent planted an {@code echo}, with {@code user.dir} naming an empty one and
         * an empty entry in PATH, the planted echo was decided as {@code /usr/bin/echo}, permitted, and ran.
         */
        @Test
        void aProgramIsLookedForWhereTheChildLooksNotWhereUserDirSays(@TempDir Path temporary) throws Exception {
            Path planted = Files.createDirectories(temporary.resolve("cwd"));
            Files.writeString(planted.resolve("echo"), "#!/bin/sh\ntouch " + temporary.resolve("marker") + "\n");
            Files.setPosixFilePermissions(planted.resolve("echo"), java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
            Path userDir = Files.createDirectories(temporary.resolve("user-dir"));
            Receipts store = Receipts.in(Files.createDirectories(temporary.resolve("audit")));

            HostJvm.Result run = HostJvm.withAgent(store.agentArguments()).withRules("process").within(300)
                    .env("PATH", ":" + System.getenv("PATH")).jvm("-Duser.dir=" + userDir).in(planted)
                    .run(ProcessHost.class, List.of("pb|echo|from the working directory"));

            assertThat(run.step(0)).as(run.toString()).contains("denied by default-deny: no rule permits process EXEC on echo");
            assertThat(temporary.resolve("marker")).as("the planted echo ran").doesNotExist();
            assertThat(store.all()).filteredOn(receipt -> receipt.surface().equals("process")).singleElement()
                    .satisfies(receipt -> assertThat(receipt.summary())
                            .containsEntry("process.program.path", planted.resolve("echo").toRealPath().toString()));
        }

        /**
         * Found by a thirteenth review (2026-12-08): {@code ProcessHandle.of(pid).destroyForcibly()} sent SIGKILL to any
         * process of the JVM's user, without the decision a {@code kill} start gets: under this policy, which permits echo
         * alone, the host ended the test's own {@code sleep} ({@code destroy=true destroyForcibly=true}, the sleep gone).
         * Ending a process the host did not start is now decided as {@code KILL}, with its receipt.
         */
        @Test
        void aProcessTheHostDidNotStartIsNotEndedWithoutADecision() {
            assertThat(host.step(22)).as(host.toString()).isEqualTo("OK step=22 destroy=false destroyForcibly=false");
            assertThat(notTheHosts.isAlive()).as("the test's own sleep still runs").isTrue();
            assertThat(receipts).filteredOn(receipt -> receipt.operation().equals("KILL")).hasSize(2).allSatisfy(receipt -> {
                assertThat(receipt.surface()).isEqualTo("process");
                assertThat(receipt.outcome()).isEqualTo("SILENCE");
                assertThat(receipt.target()).isEqualTo("/usr/bin/sleep");
                assertThat(receipt.summary()).containsEntry("process.pid", Long.toString(notTheHosts.pid()));
            }).extracting(receipt -> receipt.summary().get("process.signal")).containsExactly("SIGTERM", "SIGKILL");
        }

        @Test
        void badInputGetsADecisionAndAReceiptAndTheHostCarriesOn() {
            assertThat(host.step(7)).contains("denied by no unstartable commands: the command cannot be started as given: empty command");
            assertThat(host.step(8)).contains("the command cannot be started as given: argument 1 is null");
            assertThat(host.step(9)).contains("the command cannot be started as given: empty command");
            assertThat(host.step(10)).contains("the command cannot be started as given: argument 1 contains a NUL character");
            // Echo is permitted, so the JDK tries, and the kernel refuses 100,000 arguments: decided and recorded first.
            assertThat(host.step(11)).startsWith("ERROR step=11 java.io.IOException: Cannot run program \"echo\"");
            assertThat(host.step(12)).contains("denied by no arguments that cannot be passed on as written");
            for (int step = 7; step <= 12; step++) {
                assertThat(receiptOf(host.step(step)) == null || receiptIds().contains(receiptOf(host.step(step)))).isTrue();
            }
            Receipt huge = byArguments("100000");
            assertThat(huge.outcome()).isEqualTo("PERMIT");
            assertThat(huge.summary().get("process.arguments")).hasSizeLessThan(600).endsWith("...(6499999 chars)");
            assertThat(receipts.stream().filter(receipt -> receipt.summary().containsKey("process.error")))
                    .extracting(receipt -> receipt.summary().get("process.error"))
                    .containsExactly("empty command", "argument 1 is null", "empty command", "argument 1 contains a NUL character",
                            "the command could not be read: java.lang.IllegalStateException");
            assertThat(receipts.stream().filter(receipt -> receipt.summary().containsKey("process.command.unencodable"))).hasSize(1);
        }

        @Test
        void aCommandListWhoseReadsThrowIsRefusedAndTheNextStartOnTheThreadIsDecided() {
            assertThat(host.step(13)).contains("DENIED step=13 thrown=java.io.IOException", "cause=ActionDeniedException",
                    "the command could not be read: java.lang.IllegalStateException");
            assertThat(host.step(14)).isEqualTo("OK step=14 exit=0 out=after a list that threw");
            assertThat(receiptIds()).contains(receiptOf(host.step(13)));
            assertThat(receipts).filteredOn(receipt -> "after a list that threw".equals(receipt.summary().get("process.arguments")))
                    .singleElement().extracting(Receipt::outcome).isEqualTo("PERMIT");
        }

        /** Echo is permitted: refused only because the advice could not read the redirect, which the JDK never opened. */
        @Test
        void aRedirectWhoseFileThrowsIsRefusedAsUnreadableAndTheNextStartIsDecided() {
            assertThat(host.step(16)).contains("DENIED step=16 thrown=java.io.IOException", "cause=ActionDeniedException",
                    "denied by warden.fail-closed: could not describe the process start: java.lang.IllegalStateException: "
                            + "the redirect's file cannot say its path");
            assertThat(workspace.resolve("redirected.txt")).doesNotExist();
            assertThat(receipts).filteredOn(receipt -> receipt.id().equals(receiptOf(host.step(16)))).singleElement()
                    .satisfies(receipt -> {
                        assertThat(receipt.operation()).isEqualTo("UNREADABLE");
                        assertThat(receipt.outcome()).isEqualTo("DENY");
                    });
            assertThat(host.step(17)).isEqualTo("OK step=17 exit=0 out=after a redirect that threw");
            assertThat(receipts).filteredOn(receipt -> "after a redirect that threw".equals(receipt.summary().get("process.arguments")))
                    .singleElement().extracting(Receipt::outcome).isEqualTo("PERMIT");
        }

        @Test
        void credentialsInArgumentsAreMaskedInTheReceipt() {
            assertThat(host.step(15)).isEqualTo("OK step=15 exit=0 out=--password=hunter2 https://user:pw@example.test/");
            Receipt receipt = receipts.stream().filter(r -> r.summary().getOrDefault("process.arguments", "").startsWith("--password"))
                    .findFirst().orElseThrow();
            assertThat(receipt.summary().get("process.arguments")).isEqualTo("--password=*** https://user:***@example.test/");
            assertThat(receipts).allSatisfy(r -> assertThat(String.join(" ", r.summary().values())).doesNotContain("hunter2", ":pw@"));
        }

        @Test
        void theAuditorsVerifierAcceptsTheReceipts() {
            assertThat(verification.exitCode()).as(verification.output()).isZero();
        }

        private List<String> outcomes() {
            return receipts.stream().map(Receipt::outcome).toList();
        }

        private List<String> receiptIds() {
            return receipts.stream().map(Receipt::id).toList();
        }

        private Receipt byArguments(String count) {
            return receipts.stream().filter(receipt -> count.equals(receipt.summary().get("process.argument.count"))
                    && !receipt.summary().containsKey("process.error")).reduce((first, second) -> second).orElseThrow();
        }
    }

    /**
     * A rule refusing git options that run other programs sees the arguments as git gets them. The receipt masks
     * what looks like a credential; rules did too, and a mask after {@code token:} hid the next argument, so
     * {@code git ls-remote -o token: --upload-pack=<command>} ran the command.
     *
     * <p>Found by a fifth review (2026-12-06): the pack denied a list of options, and git takes others for them: clone's
     * {@code -u}, any unambiguous prefix of a long option ({@code --upload-pa=}), configuration from
     * {@code --config-env} or {@code GIT_CONFIG_PARAMETERS}, and git started through a link of another name. The pack
     * allow-lists what it permits now; each attack's command would create a marker.
     *
     * <p>Found by a sixth review (2026-12-07): two permitted calls, a clone and an {@code ls-remote}, ran any command. The
     * clone put a configuration setting {@code remote.origin.uploadpack} where git reads one: git's global configuration
     * ({@code ~/.config/git}), a bare repository inside the cloned tree that {@code ls-remote} started there found, a
     * {@code .git} in the JVM's own directory; and a clone into the rules directory put a permit-all rule file in force.
     * The host's HOME is a directory of the test's; the attacker's repositories are local ones the test makes.
     */
    @Nested
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    class UnderARuleOnArguments {

        private Path workspace;
        private Path agentWorkspace;
        private Path home;
        private Path rules;

        private HostJvm.Result host;
        private List<Receipt> receipts;
        private Receipts.Verification verification;

        @BeforeAll
        void runHost(@TempDir Path temporary) throws Exception {
            // git is on every machine of this kind (the environment doc): a missing one fails, never skips.
            assertThat(Path.of("/usr/bin/git")).as("git is installed").isExecutable();
            workspace = temporary;
            Receipts store = Receipts.in(workspace);
            Path repository = Files.createDirectories(workspace.resolve("repository"));
            // The repository the tool clones is made here, not by the host: git init is no command the pack permits.
            git(null, "init", "-q", repository.toString());
            String url = "file://" + repository;
            // The pack as shipped, with the workspace this test gives the agent, in a rules directory it may watch.
            agentWorkspace = Files.createDirectories(workspace.resolve("ws"));
            home = Files.createDirectories(workspace.resolve("home"));
            rules = Files.createDirectories(workspace.resolve("rules"));
            Files.copy(Receipts.rules("process-git").resolve("git.drl"), rules.resolve("git.drl"));
            Files.writeString(rules.resolve("workspace.drl"), "package rules.processgit;\n\nfunction String gitWorkspace() {\n    return \""
                    + agentWorkspace + "\";\n}\n");
            // The attacker's repositories: a top-level `config` (git's global configuration once cloned into ~/.config/git)
            // and an embedded bare repository `evil/`; a tree that is a git directory (cloned into ./.git); a rule file.
            String configured = attackerRepository("configured", java.util.Map.of(
                    "config", uploadPack(repository, "global-config"),
                    "evil/HEAD", "ref: refs/heads/main\n", "evil/config", "[core]\n\tbare = true\n" + uploadPack(repository, "embedded-bare"),
                    "evil/objects/.keep", "", "evil/refs/.keep", ""));
            String gitDirectory = attackerRepository("git-directory", java.util.Map.of("HEAD", "ref: refs/heads/main\n",
                    "config", "[core]\n\tbare = false\n" + uploadPack(repository, "dot-git"), "objects/.keep", "", "refs/.keep", ""));
            String permitAll = attackerRepository("policy", java.util.Map.of("zz-extra.drl", "package rules.extra;\n\n"
                    + "import dev.warden.rules.Action;\nglobal dev.warden.rules.Verdict verdict;\n\n"
                    + "rule \"everything\"\nwhen\n    Action()\nthen\n    verdict.permit(\"reviewed\");\nend\n"));
            Path jvmDirectory = Files.createDirectories(workspace.resolve("jvm-directory"));
            // A link of another name to git, as the agent's file tool could make one: git runs as git whatever it is called.
            Path tool = Files.createSymbolicLink(workspace.resolve("tool"), Path.of("/usr/bin/git"));
            // git runs --upload-pack's value with a shell for a local repository, ext:: its command: the markers are the side channel.
            host = HostJvm.withAgent(store.agentArguments()).with("rules=" + rules).with("rules-watch=true").within(300)
                    .env("HOME", home.toString()).env("XDG_CONFIG_HOME", home.resolve(".config").toString()).in(jvmDirectory)
                    .run(ProcessHost.class, List.of(
                    /* 0 */ "pb|git|--version",
                    /* 1 */ "pb-dir|/|git|ls-remote|-o|token:|--upload-pack=touch${IFS}" + marker("masked") + ";:|" + repository,
                    /* 2 */ "pb-dir|/|git|ls-remote|--upload-pack=touch${IFS}" + marker("plain") + ";:|" + repository,
                    /* 3 */ "pb-dir|/|git|clone|-u|touch${IFS}" + marker("clone-u") + ";git-upload-pack|" + url + "|" + agentWorkspace.resolve("d3"),
                    /* 4 */ "pb-dir|/|git|clone|-qu|touch${IFS}" + marker("clone-qu") + ";git-upload-pack|" + url + "|" + agentWorkspace.resolve("d4"),
                    /* 5 */ "pb-dir|/|git|ls-remote|--upload-pa=touch${IFS}" + marker("abbreviated") + ";:|" + repository,
                    /* 6 */ "pb-env|X=always|git|--config-env=protocol.ext.allow=X|ls-remote|ext::touch " + marker("config-env"),
                    /* 7 */ "pb-env|GIT_CONFIG_PARAMETERS='protocol.ext.allow'='always'|git|ls-remote|ext::touch " + marker("environment"),
                    /* 8 */ "pb-dir|/|" + tool + "|ls-remote|--upload-pack=touch${IFS}" + marker("link") + ";:|" + repository,
                    /* 9 */ "pb-dir|/|git|clone|--quiet|" + url + "|" + agentWorkspace.resolve("d9"),
                    /* 10 */ "pb-dir|/|git|ls-remote|" + repository,
                    /* 11 */ "pb-dir|/|git|status",
                    // B: a tree holding a bare repository, cloned into the workspace; ls-remote started inside it finds it.
                    /* 12 */ "pb-dir|/|git|clone|--quiet|" + configured + "|" + agentWorkspace.resolve("r"),
                    /* 13 */ "pb-dir|" + agentWorkspace.resolve("r/evil") + "|git|ls-remote|--heads|origin",
                    // C: no directory given: the clone goes to ./.git of the JVM's own directory, where ls-remote finds it.
                    /* 14 */ "pb|git|clone|--quiet|" + gitDirectory + "|.git",
                    /* 15 */ "pb|git|ls-remote|--heads|origin",
                    /* 16 */ "pb-dir|/|git|clone|--quiet|" + gitDirectory + "|" + agentWorkspace.resolve(".git"),
                    // The rules directory: a rule file that rules-watch would put in force, then a shell it would permit.
                    /* 17 */ "pb-dir|/|git|clone|--quiet|" + permitAll + "|" + rules.resolve("vendor"),
                    /* 18 */ "pb|sh|-c|touch " + marker("takeover"),
                    // A, last (every git call after it would read it): the clone is git's global configuration.
                    /* 19 */ "pb-dir|/|git|clone|--quiet|" + configured + "|" + home.resolve(".config/git"),
                    /* 20 */ "pb-dir|/|git|ls-remote|--heads|origin"));
            receipts = store.all();
            verification = store.verify();
        }

        private Path marker(String attack) {
            return workspace.resolve("marker-" + attack);
        }

        /** Configuration whose remote {@code origin} runs a command that writes the attack's marker before git's own. */
        private String uploadPack(Path repository, String attack) {
            return "[remote \"origin\"]\n\turl = " + repository + "\n\tuploadpack = touch " + marker(attack) + "; git-upload-pack\n";
        }

        /** A repository of the attacker's, made by the test's own git (no agent); its {@code file://} address. */
        private String attackerRepository(String name, java.util.Map<String, String> files) throws Exception {
            Path tree = Files.createDirectories(workspace.resolve("attacker").resolve(name));
            git(tree, "init", "-q", "-b", "main");
            for (var file : files.entrySet()) {
                Path written = tree.resolve(file.getKey());
                Files.createDirectories(written.getParent());
                Files.writeString(written, file.getValue());
            }
            git(tree, "add", "-A");
            git(tree, "-c", "user.name=attacker", "-c", "user.email=attacker@example.test", "commit", "-q", "-m", name);
            return "file://" + tree;
        }

        /** The test's git, outside any host, reading no configuration of the machine's. */
        private void git(Path directory, String... arguments) throws Exception {
            List<String> command = new ArrayList<>(List.of("git"));
            command.addAll(List.of(arguments));
            ProcessBuilder builder = new ProcessBuilder(command).inheritIO();
            if (directory != null) {
                builder.directory(directory.toFile());
            }
            builder.environment().put("GIT_CONFIG_GLOBAL", "/dev/null");
            builder.environment().put("GIT_CONFIG_NOSYSTEM", "1");
            assertThat(builder.start().waitFor()).as(String.join(" ", command)).isZero();
        }

        @Test
        void anOptionAfterACredentialLookingArgumentIsSeenByTheRuleAndNeverRuns() {
            assertThat(host.exitCode()).as(host.toString()).isZero();
            assertThat(host.step(0)).as(host.toString()).startsWith("OK step=0 exit=0 out=git version");
            assertThat(host.step(1)).as(host.toString()).contains("denied by no git options that run other programs");
            assertThat(host.step(2)).as(host.toString()).contains("denied by no git options that run other programs");
            assertThat(marker("masked")).doesNotExist();
            assertThat(marker("plain")).doesNotExist();
        }

        @Test
        void whatGitAlsoTakesForAnOptionThatRunsAProgramNeverRuns() {
            for (int step = 3; step <= 8; step++) {
                assertThat(host.step(step)).as(host.toString()).contains("denied by ").doesNotStartWith("OK");
            }
            // A clone's -u value is no destination under the workspace either: both rules refuse it.
            assertThat(host.step(3)).contains("denied by ").contains("no git options that run other programs");
            assertThat(host.step(4)).contains("denied by ").contains("no git options that run other programs");
            assertThat(host.step(5)).contains("denied by no git options that run other programs");
            assertThat(host.step(7)).contains("git runs in the environment it inherits");
            assertThat(host.step(8)).contains("denied by no git options that run other programs");
            assertThat(List.of("clone-u", "clone-qu", "abbreviated", "config-env", "environment", "link"))
                    .allSatisfy(attack -> assertThat(marker(attack)).as(attack).doesNotExist());
            assertThat(agentWorkspace.resolve("d3")).doesNotExist();
        }

        @Test
        void whatThePackListsRunsAndWhatItDoesNotIsRefused() {
            assertThat(host.step(9)).as(host.toString()).startsWith("OK step=9 exit=0");
            assertThat(agentWorkspace.resolve("d9").resolve(".git")).isDirectory();
            assertThat(host.step(10)).as(host.toString()).startsWith("OK step=10 exit=0");
            assertThat(host.step(11)).as(host.toString()).contains("denied by default-deny");
        }

        @Test
        void lsRemoteStartedInsideAClonedTreeIsRefused() {
            assertThat(marker("embedded-bare")).doesNotExist();
            assertThat(host.step(12)).as(host.toString()).startsWith("OK step=12 exit=0");
            assertThat(agentWorkspace.resolve("r/evil/config")).isRegularFile();
            assertThat(host.step(13)).as(host.toString()).contains("denied by git runs where it finds no repository");
        }

        @Test
        void gitWithoutADirectoryOrIntoADotGitIsRefused() {
            assertThat(marker("dot-git")).doesNotExist();
            assertThat(host.step(14)).as(host.toString()).contains("denied by ").doesNotStartWith("OK");
            assertThat(host.step(15)).as(host.toString()).contains("denied by git runs where it finds no repository");
            assertThat(host.step(16)).as(host.toString()).contains("denied by git clones only into the workspace");
            assertThat(workspace.resolve("jvm-directory/.git")).doesNotExist();
            assertThat(agentWorkspace.resolve(".git")).doesNotExist();
        }

        @Test
        void aCloneIntoTheRulesDirectoryIsWardensOwnFilesAndNothingIsPutInForce() {
            assertThat(rules.resolve("vendor")).doesNotExist();
            assertThat(host.step(17)).as(host.toString()).contains("denied by warden.own-files: Warden's own files: a process told of "
                    + resolved(rules.toString()) + "/vendor");
            assertThat(receipts).filteredOn(receipt -> receipt.id().equals(receiptOf(host.step(17)))).singleElement()
                    .satisfies(receipt -> assertThat(receipt.outcome()).isEqualTo("DENY"));
            assertThat(host.step(18)).as(host.toString()).contains("denied by default-deny");
            assertThat(marker("takeover")).doesNotExist();
        }

        @Test
        void aCloneIntoGitsGlobalConfigurationIsRefusedAndLsRemoteFindsNoRemoteToRun() {
            assertThat(marker("global-config")).doesNotExist();
            assertThat(host.step(19)).as(host.toString()).contains("denied by git clones only into the workspace");
            assertThat(home.resolve(".config")).doesNotExist();
            // Permitted: in / with no configuration of the agent's, `origin` is no repository git knows.
            assertThat(host.step(20)).as(host.toString()).startsWith("OK step=20 exit=128");
        }

        @Test
        void theReceiptStillMasksWhatLooksLikeACredential() {
            Receipt refusal = receipts.stream().filter(receipt -> receipt.id().equals(receiptOf(host.step(1)))).findFirst().orElseThrow();
            assertThat(refusal.outcome()).isEqualTo("DENY");
            assertThat(refusal.summary().get("process.arguments")).startsWith("ls-remote -o token: *** ").doesNotContain("--upload-pack");
        }

        @Test
        void everyRefusalOfTheReviewsAttacksHasItsVerifiedReceipt() {
            for (int step : new int[] {13, 14, 15, 16, 17, 18, 19}) {
                assertThat(receipts).as("step " + step).extracting(Receipt::id).contains(receiptOf(host.step(step)));
            }
            assertThat(verification.exitCode()).as(verification.output()).isZero();
        }
    }

    /**
     * Under a policy that permits {@code cp} by its path, the host tells cp of this JVM's descriptors in procfs: the
     * kernel follows {@code /proc/<pid>/fd/<n>} to whatever the JVM has open as {@code n}, a path no decision reads.
     * Found by a tenth review (2026-12-07): {@code cp -t /proc/<pid>/fd <file named n>}, {@code n} the receipt log's open
     * cycle file, was permitted and overwrote it (with the previous build: {@code OK step=1}, the cycle file truncated to
     * the host's text). Now a start told of a process's descriptors, working directory or root in procfs, or of a
     * directory above them, is refused as {@code warden.own-files}; {@code /proc/self} stays the child's own.
     */
    @Nested
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    class UnderAPolicyPermittingCopies {

        private Path work;
        private Receipts store;
        private HostJvm.Result host;

        @BeforeAll
        void runHost(@TempDir Path temporary) throws Exception {
            Path workspace = temporary.toRealPath();
            store = Receipts.in(workspace);
            Path rules = Files.createDirectories(workspace.resolve("rules"));
            Files.writeString(rules.resolve("copies.drl"), """
                    package rules.copies;

                    import dev.warden.rules.Action;
                    global dev.warden.rules.Verdict verdict;

                    rule "cp may run"
                    when
                        Action(surface == "process", text("process.program.path") == "/usr/bin/cp")
                    then
                        verdict.permit("copying files is the agent's work");
                    end
                    """);
            work = Files.createDirectories(workspace.resolve("work"));
            Files.writeString(work.resolve("notes.txt"), "the agent's notes\n");
            host = HostJvm.withAgent(store.agentArguments()).with("rules=" + rules).with("surfaces=process").run(ProcessHost.class, List.of(
                    /* 0: the agent's own copy, permitted (and the receipt log open) */
                    "pb|/usr/bin/cp|" + work.resolve("notes.txt") + "|" + work.resolve("copy.txt"),
                    /* 1: through this JVM's descriptor of the receipt log */
                    "pb-own-fd|" + store.directory() + "|" + work + "|/usr/bin/cp|-t|/proc/{pid}/fd|" + work + "/{fd}",
                    /* 2: the child's own /proc/self */
                    "pb|/usr/bin/cp|/proc/self/status|" + work.resolve("self-status")));
        }

        @Test
        void aCopyThroughThisJvmsDescriptorsIsRefusedAndTheReceiptLogIsIntact() throws Exception {
            assertThat(host.exitCode()).as(host.toString()).isZero();
            assertThat(host.step(1)).as(host.toString()).startsWith("DENIED step=1 ")
                    .contains("denied by warden.own-files: Warden's own files: a process told of /proc/")
                    .contains("/fd, a process's open files");
            try (var files = Files.walk(store.directory())) {
                for (Path file : files.filter(file -> file.toString().endsWith(".cq4")).toList()) {
                    assertThat(new String(Files.readAllBytes(file), java.nio.charset.StandardCharsets.ISO_8859_1))
                            .as(file.toString()).doesNotContain("tampered by a child");
                }
            }
            Receipts.Verification verification = store.verify();
            assertThat(verification.exitCode()).as(verification.output()).isZero();
            assertThat(store.all()).extracting(Receipt::outcome).containsExactly("PERMIT", "DENY", "PERMIT");
        }

        @Test
        void theAgentsOwnCopiesAndTheChildsOwnProcSelfArePermitted() throws Exception {
            assertThat(host.step(0)).as(host.toString()).isEqualTo("OK step=0 exit=0 out=");
            assertThat(Files.readString(work.resolve("copy.txt"))).isEqualTo("the agent's notes\n");
            assertThat(host.step(2)).as(host.toString()).isEqualTo("OK step=2 exit=0 out=");
            assertThat(Files.readString(work.resolve("self-status"))).startsWith("Name:\tcp");
        }
    }

    /** With {@code child-agent=true} a Java child carries Warden, with receipts of its own. */
    @Nested
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    class ChildJvms {

        private Path workspace;

        private HostJvm.Result host;
        private Receipts store;
        private List<Receipt> receipts;
        private NativeLibraries libraries;

        @BeforeAll
        void runHost(@TempDir Path temporary) throws Exception {
            workspace = temporary;
            store = Receipts.in(workspace);
            // Libraries whose constructors write a marker: the dynamic linker loads them into echo and into a Java child.
            libraries = new NativeLibraries(workspace);
            Path intoEcho = libraries.build("preloaded-echo");
            Path intoJava = libraries.build("preloaded-java");
            // A class named as Warden's Premain-Class, of the agent's writing, first on a Java child's class path.
            Path shadow = shadowOfWardensLauncher(workspace.resolve("shadow"), workspace.resolve("marker-shadow-premain"));
            // A JDK tool that runs the agent's code in a JVM Warden is not in: jshell and a script it wrote.
            Path script = Files.writeString(workspace.resolve("script.jsh"),
                    "new java.io.File(\"" + workspace.resolve("marker-jshell") + "\").createNewFile();\n/exit\n");
            String jshell = Path.of(HostJvm.java()).resolveSibling("jshell").toString();
            host = HostJvm.withAgent(store.agentArguments()).withRules("process-child").with("child-agent=true").within(400)
                    .run(ProcessHost.class, List.of(String.join("|", "pb", HostJvm.java(), "-cp", System.getProperty("warden.host.classpath"),
                            ProcessHost.class.getName(), "pb^touch^" + workspace.resolve("marker-child"), "pb^env"),
                            "pb|" + jshell + "|" + script,
                            /* 2: env, permitted by path, told to run a program */ "pb|/usr/bin/env|touch|" + workspace.resolve("marker-env"),
                            /* 3: echo, permitted by path, given a library to load */ "pb-env|LD_PRELOAD=" + intoEcho + "|/usr/bin/echo|hi",
                            /* 4: a Java child given a library to load outside Warden */ String.join("|", "pb-env", "LD_PRELOAD=" + intoJava,
                                    HostJvm.java(), "-cp", System.getProperty("warden.host.classpath"), ProcessHost.class.getName()),
                            /* 5: a Java child whose class path starts the agent's class in Warden's place */ String.join("|", "pb",
                                    HostJvm.java(), "-cp", shadow + java.io.File.pathSeparator + System.getProperty("warden.host.classpath"),
                                    ProcessHost.class.getName(), "pb^touch^" + workspace.resolve("marker-shadowed-child")),
                            /* 6: a Java child that sets its own Warden's configuration, by property and by variable */
                            String.join("|", "pb-env", "WARDEN_CHECKPOINT_EXPORT=" + workspace.resolve("marker-export"), HostJvm.java(),
                                    "-Dwarden.siem=file:" + workspace.resolve("marker-siem"), "-cp", System.getProperty("warden.host.classpath"),
                                    ProcessHost.class.getName(), "pb^echo^configured"),
                            /* 7: a Java child told on its standard input to write into its parent's receipts */
                            String.join("|", "pb-stdin", store.directory().resolve("planted-by-a-child").toString(), HostJvm.java(),
                                    "-cp", System.getProperty("warden.host.classpath"), ProcessHost.class.getName(),
                                    "redirect-from-stdin^/usr/bin/echo^planted")));
            receipts = store.all();
        }

        @Test
        void theChildIsStartedWithWardenAndIsItselfGated() {
            assertThat(host.exitCode()).as(host.toString()).isZero();
            String child = host.step(0);
            assertThat(child).as(host.toString()).startsWith("OK step=0 exit=0 out=")
                    .contains("Picked up JAVA_TOOL_OPTIONS: -javaagent:" + HostJvm.agentJar().toAbsolutePath().normalize() + "=")
                    .contains("DENIED step=0 thrown=java.io.IOException", "denied by default-deny: no rule permits process EXEC on touch");
            assertThat(workspace.resolve("marker-child")).doesNotExist();
            assertThat(receipts).filteredOn(receipt -> receipt.target().endsWith("/bin/java") && !receipt.summary().containsKey("process.env.code")
                            && !receipt.summary().containsKey("process.java.hooks")
                            && !receipt.summary().getOrDefault("process.arguments", "").contains("-Dwarden.")
                            && !receipt.summary().getOrDefault("process.arguments", "").contains("redirect-from-stdin"))
                    .singleElement().satisfies(receipt -> {
                assertThat(receipt.outcome()).isEqualTo("PERMIT");
                assertThat(receipt.target()).endsWith("/bin/java");
                assertThat(receipt.summary()).containsEntry("process.child.agent", "true");
            });
        }

        @Test
        void aJdkToolThatWouldRunTheAgentsCodeOutsideWardenIsRefused() {
            // Step 1's line, not the child's own step 1 (its output is printed inside step 0's).
            assertThat(host.lines()).as(host.toString()).anyMatch(line -> line.startsWith("DENIED step=1 ")
                    && line.contains("denied by Java children carry Warden"));
            assertThat(workspace.resolve("marker-jshell")).doesNotExist();
            assertThat(receipts).filteredOn(receipt -> receipt.target().endsWith("/bin/jshell")).singleElement()
                    .satisfies(receipt -> assertThat(receipt.outcome()).isEqualTo("DENY"));
        }

        /** The pack permits env by its path; env given a command is a launcher and runs nothing (with the previous pack, touch ran). */
        @Test
        void envPermittedByItsPathRunsNoProgramItIsGiven() {
            assertThat(host.lines()).as(host.toString()).anyMatch(line -> line.startsWith("DENIED step=2 ")
                    && line.contains("denied by launchers run nothing: a launcher would run a program its arguments choose: env"));
            assertThat(workspace.resolve("marker-env")).as("touch never ran").doesNotExist();
            assertThat(receipts).filteredOn(receipt -> receipt.target().equals("/usr/bin/env")).singleElement().satisfies(receipt -> {
                assertThat(receipt.outcome()).isEqualTo("DENY");
                assertThat(receipt.summary()).containsEntry("process.launcher", "true");
            });
        }

        /**
         * Found by an eighth review (2026-12-07): the pack permitted echo by path and Java children by name with any
         * environment, so {@code LD_PRELOAD} ran a library's code in echo, and in a child JVM outside Warden's gates
         * (with the previous build: {@code OK step=3}, {@code OK step=4}, both markers written). Now the pack refuses a
         * start that sets a variable that makes the program run code ({@code process.env.code}).
         */
        @Test
        void aVariableThatMakesAPermittedProgramRunCodeIsRefused() {
            for (int step : new int[] {3, 4}) {
                assertThat(host.lines()).as(host.toString()).anyMatch(line -> line.startsWith("DENIED step=" + step + " ")
                        && line.contains("denied by no variables that make a program run code: a variable makes the program load or run code: LD_PRELOAD"));
            }
            assertThat(libraries.ran("preloaded-echo")).as("the library preloaded into echo").isFalse();
            assertThat(libraries.ran("preloaded-java")).as("the library preloaded into the Java child").isFalse();
            assertThat(receipts).filteredOn(receipt -> receipt.summary().containsKey("process.env.code")).hasSize(2)
                    .allSatisfy(receipt -> {
                        assertThat(receipt.outcome()).isEqualTo("DENY");
                        assertThat(receipt.summary()).containsEntry("process.env.code", "LD_PRELOAD");
                    });
        }

        /**
         * Found by an eighth review (2026-12-07): the JVM loads a {@code -javaagent}'s {@code Premain-Class} through the
         * system class loader, which searches the child's class path first; a class of that name there ran in Warden's
         * place, and the child, said to carry Warden, ran touch ungated (with the previous build: {@code OK step=5}, both
         * markers written). Such a class path is a hook now, so the pack refuses the child.
         */
        @Test
        void aJavaChildWhoseClassPathShadowsWardensAgentIsRefused() {
            assertThat(host.lines()).as(host.toString()).anyMatch(line -> line.startsWith("DENIED step=5 ")
                    && line.contains("denied by Java children carry Warden"));
            assertThat(workspace.resolve("marker-shadow-premain")).as("the agent's premain").doesNotExist();
            assertThat(workspace.resolve("marker-shadowed-child")).as("touch in the child").doesNotExist();
            assertThat(receipts).filteredOn(receipt -> receipt.summary().getOrDefault("process.java.hooks", "")
                    .contains("a class path holding Warden's agent classes")).singleElement()
                    .satisfies(receipt -> assertThat(receipt.outcome()).isEqualTo("DENY"));
        }

        /** Compiles {@code dev.warden.agent.launcher.WardenLauncher} into {@code directory}: its premain writes {@code marker}. */
        private Path shadowOfWardensLauncher(Path directory, Path marker) throws Exception {
            Path source = Files.createDirectories(directory.resolveSibling("shadow-src")).resolve("WardenLauncher.java");
            Files.writeString(source, "package dev.warden.agent.launcher;\npublic class WardenLauncher {\n"
                    + "    public static void premain(String arguments, java.lang.instrument.Instrumentation instrumentation) throws Exception {\n"
                    + "        java.nio.file.Files.writeString(java.nio.file.Path.of(\"" + marker + "\"), \"premain\");\n    }\n}\n");
            int compiled = javax.tools.ToolProvider.getSystemJavaCompiler().run(null, null, null, "-d",
                    Files.createDirectories(directory).toString(), source.toString());
            assertThat(compiled).isZero();
            return directory;
        }

        @Test
        void theChildWritesItsOwnReceiptsWhichTheAuditorsVerifierAccepts() throws Exception {
            Path children = Path.of(store.directory() + ".children");
            List<Path> directories;
            try (var listing = Files.list(children)) {
                directories = listing.toList();
            }
            assertThat(directories).extracting(directory -> directory.getFileName().toString().replaceAll("-\\d+-", "-PID-"))
                    .containsExactlyInAnyOrder("child-PID-1", "child-PID-2", "child-PID-3");
            Receipts childReceipts = store.at(directories.stream().filter(directory -> directory.getFileName().toString().endsWith("-1"))
                    .findFirst().orElseThrow());
            assertThat(childReceipts.all()).extracting(Receipt::target, Receipt::outcome)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple("touch", "SILENCE"), org.assertj.core.groups.Tuple.tuple("env", "PERMIT"));
            Receipts.Verification verification = childReceipts.verify();
            assertThat(verification.exitCode()).as(verification.output()).isZero();
        }

        /**
         * Found by a tenth review (2026-12-07): the child's agent was given twenty-two keys fewer than there are, so its own
         * {@code -Dwarden.*} and {@code WARDEN_*} set them: its Warden wrote a SIEM file where the host said, past the
         * child's gates (with the previous build: {@code OK step=6} and the SIEM marker written), and could export its
         * checkpoints there too.
         * Now every key is handed on, and the child's own sources are never read.
         */
        @Test
        void aJavaChildsOwnPropertiesAndVariablesSetNothingOfItsWarden() {
            String child = host.step(6);
            assertThat(child).as(host.toString()).startsWith("OK step=6 exit=0 out=").contains("OK step=0 exit=0 out=configured");
            assertThat(workspace.resolve("marker-siem")).as("a SIEM file of the host's choosing").doesNotExist();
            assertThat(workspace.resolve("marker-export")).as("checkpoints exported where the host said").doesNotExist();
            assertThat(receipts).filteredOn(receipt -> receipt.summary().getOrDefault("process.arguments", "").contains("-Dwarden.siem"))
                    .singleElement().satisfies(receipt -> assertThat(receipt.summary()).containsEntry("process.child.agent", "true"));
        }

        /**
         * Found by an eleventh review (2026-12-07): a child's Warden kept its own files, not its parent's. The parent
         * refuses a start whose arguments name its receipts, but not what a child reads later (its standard input, a
         * file, the network): a child told on its input wrote there under its own policy. Now the child keeps what its
         * parents keep; here the policy permits no writes at all, so the previous build's refusal was the default's.
         */
        @Test
        void aJavaChildKeepsItsParentsReceiptsAsItsOwn() {
            String child = host.step(7);
            assertThat(child).as(host.toString()).startsWith("OK step=7 exit=0 out=")
                    .contains("DENIED step=0", "denied by warden.own-files");
            assertThat(store.directory().resolve("planted-by-a-child")).doesNotExist();
        }

        @Test
        void aNonJavaGrandchildDoesNotInheritTheChildsAgentAndReceiptsDirectory() {
            String child = host.step(0);
            assertThat(child).contains(",receipts=" + store.directory() + ".children/child-");
            assertThat(child).contains("OK step=1 exit=0 out=").contains("PATH=").doesNotContain("JAVA_TOOL_OPTIONS=");
        }
    }

    /**
     * What a start is depends on the disk at the moment of the call. The same command, {@code ./tool hi}, once the
     * agent's file tool relinked {@code tool} from echo to bash, is bash running the agent's script {@code hi}: with
     * the previous build the second start reused the first one's description (echo) and ran.
     */
    @Nested
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    class ProgramsThatChangeBetweenStarts {

        private Path workspace;

        private HostJvm.Result host;
        private Receipts store;
        private List<Receipt> receipts;

        @BeforeAll
        void runHost(@TempDir Path temporary) throws Exception {
            workspace = temporary;
            store = Receipts.in(workspace);
            Path dir = Files.createDirectories(workspace.resolve("cwd"));
            Files.writeString(dir.resolve("hi"), "touch " + workspace.resolve("marker-bash") + "\n");
            // /proc/self/cwd is the reader's own: from here, twenty levels up is the root and this is echo; from the
            // child's directory, twenty levels below the workspace, it is the workspace's usr/bin/echo, a link to bash.
            Path deep = Files.createDirectories(workspace.resolve("d/".repeat(20)));
            Files.writeString(deep.resolve("hi"), "touch " + workspace.resolve("marker-proc-self") + "\n");
            Files.createSymbolicLink(Files.createDirectories(workspace.resolve("usr/bin")).resolve("echo"), Path.of("/bin/bash"));
            host = HostJvm.withAgent(store.agentArguments()).withRules("process").with("surfaces=process").within(300)
                    .run(ProcessHost.class, List.of(
                            /* 0 */ "relink-dir|" + dir + "|tool|/usr/bin/echo|./tool|hi",
                            /* 1 */ "relink-dir|" + dir + "|tool|/bin/bash|./tool|hi",
                            /* 2 */ "pb-env-dir|" + deep + "|/proc/self/cwd/" + "../".repeat(20) + "usr/bin/echo|hi",
                            /* 3 */ "shifting-redirect|" + workspace.resolve("announced.txt") + "|" + workspace.resolve("marker-redirect")
                                    + "|echo|redirected"));
            receipts = store.all();
        }

        @Test
        void eachStartIsDecidedOnTheProgramItsNameLeadsToThen() {
            assertThat(host.exitCode()).as(host.toString()).isZero();
            assertThat(host.step(0)).isEqualTo("OK step=0 exit=0 out=hi");
            assertThat(host.step(1)).as(host.toString()).startsWith("DENIED step=1 ")
                    .contains("denied by default-deny: no rule permits process EXEC on ./tool");
            assertThat(workspace.resolve("marker-bash")).as("bash never ran the agent's script").doesNotExist();
            assertThat(receipts).extracting(Receipt::outcome).containsExactly("PERMIT", "SILENCE", "SILENCE", "PERMIT");
            assertThat(receipts).extracting(receipt -> receipt.summary().get("process.program.path"))
                    .containsExactly("/usr/bin/echo", resolved("/bin/bash"), null, "/usr/bin/echo");
        }

        /**
         * A redirect's {@code File} is the application's: one that named {@code announced.txt} to Warden and another file to
         * the JDK's open had echo write that other file under a receipt naming the first (a twelfth review, 2026-12-07).
         */
        @Test
        void aRedirectWritesTheFileItsReceiptNames() throws Exception {
            assertThat(host.step(3)).as(host.toString()).isEqualTo("OK step=3 exit=0 out=");
            assertThat(workspace.resolve("marker-redirect")).as("the file no decision named").doesNotExist();
            assertThat(Files.readString(workspace.resolve("announced.txt")).strip()).isEqualTo("redirected");
            assertThat(receipts.get(3).summary()).containsEntry("process.redirects",
                    "stdin=PIPE,stdout=WRITE " + workspace.resolve("announced.txt") + ",stderr=PIPE");
        }

        /** A program named through /proc/self is not known here (found by a second reading, 2026-12-06). */
        @Test
        void aProgramNamedThroughProcSelfHasNoPathAPathRuleCouldPermit() {
            assertThat(host.step(2)).as(host.toString()).startsWith("DENIED step=2 ").contains("denied by default-deny");
            assertThat(workspace.resolve("marker-proc-self")).as("bash never ran the agent's script").doesNotExist();
        }

        @Test
        void theAuditorsVerifierAcceptsTheReceipts() {
            Receipts.Verification verification = store.verify();
            assertThat(verification.exitCode()).as(verification.output()).isZero();
        }
    }

    /**
     * With {@code child-agent=true}, a java child whose JVM options would run something Warden does not gate: HotSpot
     * runs {@code -XX:OnOutOfMemoryError}'s command itself ({@code /bin/sh -c}, in native code), from the arguments, from
     * {@code JDK_JAVA_OPTIONS} or {@code JAVA_TOOL_OPTIONS}, or from an argument file Warden does not read. Each child
     * runs out of memory at once, and the command would write a marker. Under the documented rules none is started.
     */
    @Nested
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    class HookedChildJvms {

        private Path workspace;

        private HostJvm.Result host;
        private Receipts store;
        private List<Receipt> receipts;

        @BeforeAll
        void runHost(@TempDir Path temporary) throws Exception {
            workspace = temporary;
            store = Receipts.in(workspace);
            Path argumentFile = Files.writeString(workspace.resolve("options"), "-XX:OnOutOfMemoryError=touch${IFS}" + marker("argfile") + "\n");
            String child = String.join("|", "-Xmx256m", "-cp", System.getProperty("warden.host.classpath"), ProcessHost.class.getName(),
                    "out-of-memory");
            host = HostJvm.withAgent(store.agentArguments()).withRules("process-child").with("child-agent=true").within(400)
                    .run(ProcessHost.class, List.of(
                            /* 0 */ "pb|" + HostJvm.java() + "|-XX:OnOutOfMemoryError=touch " + marker("arguments") + "|" + child,
                            /* 1 */ "pb-env|JDK_JAVA_OPTIONS=-XX:OnOutOfMemoryError=touch${IFS}" + marker("jdk-java-options") + "|"
                                    + HostJvm.java() + "|" + child,
                            /* 2 */ "pb-env|JAVA_TOOL_OPTIONS=-XX:OnOutOfMemoryError=touch${IFS}" + marker("java-tool-options") + "|"
                                    + HostJvm.java() + "|" + child,
                            /* 3 */ "pb|" + HostJvm.java() + "|@" + argumentFile + "|" + child,
                            /* 4 */ "pb|" + HostJvm.java() + "|-jar|" + launcherAgentJar(),
                            /* 5 */ "pb-env-dir|" + workspace + "|" + HostJvm.java() + "|-jar|/proc/self/cwd/launcher-agent.jar"));
            receipts = store.all();
        }

        private Path marker(String name) {
            return workspace.resolve("marker-" + name);
        }

        /** A main jar whose manifest names its own agent, which the JDK starts beside Warden's, before {@code main}. */
        private Path launcherAgentJar() throws java.io.IOException {
            Path jar = workspace.resolve("launcher-agent.jar");
            java.util.jar.Manifest manifest = new java.util.jar.Manifest();
            manifest.getMainAttributes().put(java.util.jar.Attributes.Name.MANIFEST_VERSION, "1.0");
            manifest.getMainAttributes().put(java.util.jar.Attributes.Name.MAIN_CLASS, LauncherAgentHost.class.getName());
            manifest.getMainAttributes().putValue("Launcher-Agent-Class", LauncherAgentHost.class.getName());
            String entry = LauncherAgentHost.class.getName().replace('.', '/') + ".class";
            try (var out = new java.util.jar.JarOutputStream(Files.newOutputStream(jar), manifest);
                 var in = LauncherAgentHost.class.getClassLoader().getResourceAsStream(entry)) {
                out.putNextEntry(new java.util.zip.ZipEntry(entry));
                in.transferTo(out);
            }
            return jar;
        }

        @Test
        void noSuchChildIsStartedAndNoCommandRuns() {
            assertThat(host.exitCode()).as(host.toString()).isZero();
            for (int step = 0; step < 6; step++) {
                assertThat(host.step(step)).as(host.toString()).startsWith("DENIED step=" + step + " ").contains("denied by ");
            }
            for (String marker : List.of("arguments", "jdk-java-options", "java-tool-options", "argfile")) {
                assertThat(marker(marker)).as(marker).doesNotExist();
            }
            assertThat(Path.of(store.directory() + ".children")).as("no child wrote receipts").doesNotExist();
            assertThat(host.lines()).noneMatch(line -> line.contains("launcher agent ran"));
        }

        @Test
        void theReceiptsNameWhatWasFoundAndNeverSayTheChildCarriesWarden() {
            assertThat(receipts).hasSize(6).allSatisfy(receipt -> {
                assertThat(receipt.outcome()).isEqualTo("DENY");
                assertThat(receipt.summary()).doesNotContainKey("process.child.agent");
            });
            assertThat(receipts).extracting(receipt -> receipt.summary().get("process.java.hooks")).containsExactly(
                    "-XX:OnOutOfMemoryError", "-XX:OnOutOfMemoryError (JDK_JAVA_OPTIONS)", "-XX:OnOutOfMemoryError (JAVA_TOOL_OPTIONS)",
                    "@argfile", "Launcher-Agent-Class", "Launcher-Agent-Class");
            assertThat(receipts).allSatisfy(receipt -> assertThat(receipt.rules()).contains("Java children run nothing beside Warden"));
        }

        @Test
        void theAuditorsVerifierAcceptsTheReceipts() {
            Receipts.Verification verification = store.verify();
            assertThat(verification.exitCode()).as(verification.output()).isZero();
        }
    }

    private static String receiptOf(String line) {
        Matcher matcher = RECEIPT.matcher(line);
        return matcher.find() ? matcher.group(1) : null;
    }

    private static String resolved(String path) {
        try {
            return Path.of(path).toRealPath().toString();
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }
}
