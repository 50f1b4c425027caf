package dev.warden.e2e;

import dev.warden.e2e.host.JdbcHost;
import dev.warden.e2e.host.ProcessHost;
import dev.warden.receipts.Receipt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.ResourceLock;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Found by a fifth review (2026-12-06): a YAML scope matched an action only as it was spelt. A deny of
 * {@code process:rm:exec} let {@code /usr/bin/rm}, {@code /bin/rm} and {@code /usr/bin/../bin/rm} run; no scope
 * could name PostgreSQL's {@code "Invoice"}, which Warden lists with its quotes; a deny of
 * {@code jdbc:public.pay:delete} missed {@code DELETE FROM pay}. Here a role's denies hold every spelling, in a
 * host JVM with only {@code -javaagent}: the files the test counts stay, the rows it counts on its own connection
 * stay, the permitted control steps run, and every refusal's receipt names the deny and verifies.
 */
@SameOnEveryJdk
@ResourceLock(SharedServices.DATABASES)
class ScopeSpellingsEndToEndTest {

    private static final Pattern RECEIPT = Pattern.compile("\\(receipt ([0-9a-f-]{36})\\)");
    private static final String POSTGRESQL = "jdbc:postgresql://127.0.0.1:5432/test";

    @TempDir
    Path workspace;

    @Test
    void aDenyOfAProgramByNameHoldsItByEveryPathAndLink() throws Exception {
        Path rules = rules("""
                rule "the shell tool's programs, by where they really are"
                when
                    Action(surface == "process", operation == "EXEC", text("process.program.path") in ("/usr/bin/rm", "/usr/bin/ls"))
                then
                    verdict.permit("the shell tool's programs");
                end
                """, "process:rm:exec");
        Path files = Files.createDirectories(workspace.resolve("files"));
        Path links = Files.createDirectories(workspace.resolve("links"));
        List<String> steps = new ArrayList<>();
        for (String program : List.of("rm", "/usr/bin/rm", "/bin/rm", "/usr/bin/../bin/rm")) {
            Path file = Files.writeString(files.resolve("file-" + steps.size()), "kept");
            steps.add("pb|" + program + "|" + file);
        }
        Path linked = Files.writeString(files.resolve("file-" + steps.size()), "kept");
        steps.add("pb|" + Files.createSymbolicLink(links.resolve("x"), Path.of("/usr/bin/rm")) + "|" + linked);
        steps.add("pb|/usr/bin/ls|" + files);

        Receipts store = Receipts.in(Files.createDirectories(workspace.resolve("receipts-process")));
        HostJvm.Result host = HostJvm.withAgent(store.agentArguments()).with("rules=" + rules).with("actor=agent")
                .run(ProcessHost.class, steps);

        assertThat(host.lines()).as(host.toString()).contains("DONE");
        try (var listed = Files.list(files)) {
            assertThat(listed.count()).as("the files rm was given, counted after the host exited").isEqualTo(5);
        }
        for (int step = 0; step < 5; step++) {
            assertThat(host.step(step)).as(host.toString()).startsWith("DENIED step=" + step)
                    .contains("denied by role assistant denies process:rm:exec");
        }
        assertThat(host.step(5)).as("ls still runs").startsWith("OK step=5 exit=0").contains("file-0");
        assertRefusalsRecorded(host, store, "process");
    }

    /**
     * Found by a seventh review (2026-12-07): a role allowing {@code env} by its path allowed {@code env} given any
     * program, which it runs. Now no allow covers a launcher given a program; {@code env} alone still prints.
     */
    @Test
    void anAllowOfALauncherCoversItOnlyWhenItIsGivenNoProgram() throws Exception {
        Path rules = Files.createDirectories(workspace.resolve("rules"));
        Files.writeString(rules.resolve("roles.yaml"), """
                policies:
                  - role: assistant
                    allow: [process:/usr/bin/env:exec]
                actors:
                  agent: [assistant]
                """);
        Path marker = workspace.resolve("marker");
        Receipts store = Receipts.in(Files.createDirectories(workspace.resolve("receipts-launcher")));

        HostJvm.Result host = HostJvm.withAgent(store.agentArguments()).with("rules=" + rules).with("actor=agent")
                .run(ProcessHost.class, List.of("pb|/usr/bin/env|touch|" + marker, "pb|/usr/bin/env|-i|WARDEN_E2E=1"));

        assertThat(host.step(0)).as(host.toString()).startsWith("DENIED step=0")
                .contains("no rule permits process EXEC on /usr/bin/env");
        assertThat(marker).as("what env was told to run").doesNotExist();
        assertThat(host.step(1)).isEqualTo("OK step=1 exit=0 out=WARDEN_E2E=1");
        assertThat(store.all()).filteredOn(receipt -> receipt.surface().equals("process")).extracting(Receipt::outcome)
                .containsExactly("SILENCE", "PERMIT");
        assertThat(store.verify().exitCode()).isZero();
    }

    /**
     * Found by an eighth review (2026-12-07): a role allowing an interpreter, a shell or a tool by its path allowed it
     * given code or an option that runs a command ({@code python3 -c}, {@code tar --checkpoint-action=exec}, {@code git
     * -c alias.x=!cmd}, {@code sh -c}, {@code bash} or {@code python3} reading the application's input), or a variable that
     * makes it run code ({@code TAR_OPTIONS}, {@code BASH_ENV}). Found by a tenth review (2026-12-07): a variable that
     * points a tool at a configuration naming a command it runs, {@code KUBECONFIG} (kubectl's exec credential plugin
     * ran on {@code kubectl get pods}) and {@code DOCKER_CONFIG} (a CLI plugin ran on {@code docker --help}), was no
     * {@code process.env.code}: both starts were permitted with the previous build ({@code OK step=16}, kubectl saying
     * what its plugin answered; {@code OK step=17}).
     * Each attack makes a marker of its own; the same programs still run what the allow is for.
     */
    @Test
    void anAllowOfAProgramCoversNoCodeOrCommandItsArgumentsOrVariablesGiveIt() throws Exception {
        Path rules = Files.createDirectories(workspace.resolve("rules"));
        Files.writeString(rules.resolve("roles.yaml"), """
                policies:
                  - role: assistant
                    allow: [process:/bin/sh:exec, process:/usr/bin/bash:exec, process:/usr/bin/python3:exec, process:/usr/bin/perl:exec,
                            process:/usr/bin/gawk:exec, process:/usr/bin/tar:exec, process:/usr/bin/git:exec, process:/usr/bin/sed:exec,
                            process:/usr/bin/zip:exec, process:/usr/bin/split:exec, process:/usr/bin/vim.basic:exec,
                            process:/usr/bin/rsync:exec, process:/usr/bin/socat:exec,
                            process:/usr/lib/google-cloud-sdk/bin/kubectl:exec, process:/usr/local/bin/docker:exec]
                actors:
                  agent: [assistant]
                """);
        Path ws = Files.createDirectories(workspace.resolve("ws"));
        Path file = Files.writeString(ws.resolve("file"), "line\n");
        Path harmless = Files.writeString(ws.resolve("harmless.sh"), "echo harmless\n");
        List<Path> markers = new ArrayList<>();
        for (int i = 0; i < 18; i++) {
            markers.add(ws.resolve("marker-" + i));
        }
        Path tarHook = script(ws.resolve("tar-hook.sh"), markers.get(12));
        Path bashHook = script(ws.resolve("bash-hook.sh"), markers.get(13));
        // A kubeconfig whose user's credentials come from a command (kubectl's exec plugin), and a docker CLI plugin.
        Path kubeHook = script(ws.resolve("kube-hook.sh"), markers.get(16));
        Path kubeconfig = Files.writeString(ws.resolve("kubeconfig"), "apiVersion: v1\nkind: Config\n"
                + "clusters:\n- cluster: {server: \"https://127.0.0.1:9\"}\n  name: c\n"
                + "users:\n- name: u\n  user:\n    exec:\n      apiVersion: client.authentication.k8s.io/v1beta1\n"
                + "      command: " + kubeHook + "\n      interactiveMode: Never\n"
                + "contexts:\n- context: {cluster: c, user: u}\n  name: x\ncurrent-context: x\n");
        Path dockerConfig = Files.createDirectories(ws.resolve("docker"));
        script(Files.createDirectories(dockerConfig.resolve("cli-plugins")).resolve("docker-x"), markers.get(17));
        String dir = "pb-dir|" + ws + "|";
        List<String> attacks = List.of(
                /* 0 */ dir + "/bin/sh|-c|touch " + markers.get(0),
                /* 1 */ dir + "/usr/bin/python3|-c|open('" + markers.get(1) + "', 'w')",
                /* 2 */ dir + "/usr/bin/perl|-e|open(F, '>" + markers.get(2) + "')",
                /* 3 */ dir + "/usr/bin/gawk|BEGIN{system(\"touch " + markers.get(3) + "\")}",
                /* 4 */ dir + "/usr/bin/tar|-cf|a.tar|--checkpoint=1|--checkpoint-action=exec=touch " + markers.get(4) + "|file",
                /* 5 */ dir + "/usr/bin/git|-c|alias.x=!touch " + markers.get(5) + "|x",
                /* 6 */ dir + "/usr/bin/sed|-n|1e touch " + markers.get(6) + "|file",
                /* 7 */ dir + "/usr/bin/zip|-q|z.zip|file|-T|-TT|touch " + markers.get(7),
                /* 8 */ dir + "/usr/bin/split|--filter=touch " + markers.get(8) + "|file",
                /* 9 */ dir + "/usr/bin/vim.basic|-es|-c|!touch " + markers.get(9) + "|-c|qa!",
                /* 10 */ dir + "/usr/bin/rsync|-e|sh -c 'touch " + markers.get(10) + "'|file|h:x",
                /* 11 */ dir + "/usr/bin/socat|-u|OPEN:/dev/null|EXEC:touch " + markers.get(11),
                /* 12 */ "pb-env|TAR_OPTIONS=--checkpoint=1 --checkpoint-action=exec=" + tarHook + "|/usr/bin/tar|-cf|" + ws.resolve("b.tar")
                        + "|-C|" + ws + "|file",
                /* 13 */ "pb-env|BASH_ENV=" + bashHook + "|/usr/bin/bash|" + harmless,
                /* 14 */ "pb-stdin|touch " + markers.get(14) + "|/usr/bin/bash",
                /* 15 */ "pb-stdin|open('" + markers.get(15) + "', 'w')|/usr/bin/python3",
                /* 16 */ "pb-env|KUBECONFIG=" + kubeconfig + "|/usr/lib/google-cloud-sdk/bin/kubectl|get|pods",
                /* 17 */ "pb-env|DOCKER_CONFIG=" + dockerConfig + "|/usr/local/bin/docker|--help");
        List<String> controls = List.of(
                /* 18 */ dir + "/usr/bin/tar|-cf|ok.tar|file",
                /* 19 */ dir + "/usr/bin/sed|--sandbox|-n|p|file",
                /* 20 */ dir + "/usr/bin/gawk|{print $1}|file",
                /* 21 */ "pb-env|DEPLOY_TARGET=staging|/usr/bin/bash|" + harmless,
                /* 22 */ dir + "/usr/bin/python3|--version");
        List<String> steps = new ArrayList<>(attacks);
        steps.addAll(controls);
        Receipts store = Receipts.in(Files.createDirectories(workspace.resolve("receipts-code")));

        HostJvm.Result host = HostJvm.withAgent(store.agentArguments()).with("rules=" + rules).with("actor=agent")
                .run(ProcessHost.class, steps);

        assertThat(host.lines()).as(host.toString()).contains("DONE");
        for (int step = 0; step < attacks.size(); step++) {
            assertThat(host.step(step)).as(host.toString()).startsWith("DENIED step=" + step).contains("no rule permits process EXEC");
        }
        assertThat(markers).as("what the allowed programs were told to run, looked for after the host exited")
                .allSatisfy(marker -> assertThat(marker).doesNotExist());
        assertThat(host.step(18)).isEqualTo("OK step=18 exit=0 out=");
        assertThat(host.step(19)).isEqualTo("OK step=19 exit=0 out=line");
        assertThat(host.step(20)).isEqualTo("OK step=20 exit=0 out=line");
        assertThat(host.step(21)).isEqualTo("OK step=21 exit=0 out=harmless");
        assertThat(host.step(22)).startsWith("OK step=22 exit=0 out=Python 3");
        List<Receipt> starts = store.all().stream().filter(receipt -> receipt.surface().equals("process")).toList();
        assertThat(starts).extracting(Receipt::outcome).containsExactly(java.util.stream.Stream.concat(
                java.util.Collections.nCopies(attacks.size(), "SILENCE").stream(),
                java.util.Collections.nCopies(controls.size(), "PERMIT").stream()).toArray(String[]::new));
        assertThat(starts.get(0).summary()).containsEntry("process.shell", "true");
        assertThat(starts.subList(1, 12)).allSatisfy(receipt -> assertThat(receipt.summary()).containsEntry("process.launcher", "true"));
        assertThat(starts.get(12).summary()).containsEntry("process.env.code", "TAR_OPTIONS");
        assertThat(starts.get(13).summary()).containsEntry("process.env.code", "BASH_ENV");
        assertThat(starts.subList(14, 16)).allSatisfy(receipt -> assertThat(receipt.summary()).containsEntry("process.launcher", "true"));
        assertThat(starts.get(16).summary()).containsEntry("process.env.code", "KUBECONFIG");
        assertThat(starts.get(17).summary()).containsEntry("process.env.code", "DOCKER_CONFIG");
        assertThat(store.verify().exitCode()).isZero();
    }

    /**
     * Found by a ninth review (2026-12-07): a role allowing a program by its path allowed it whatever its input
     * language, the directory or library its options name, or the command it launches ran: {@code sqlite3 .shell},
     * {@code ed !cmd}, {@code psql \!}, {@code mariadb system}, {@code run-parts <dir>}, {@code ssh-agent},
     * {@code setarch}, {@code fakeroot}, {@code dbus-run-session}, {@code git clone --template} (a host-written
     * {@code post-checkout} hook), {@code git grep -O<command>}, {@code npx -c}, {@code openssl -engine <library>},
     * {@code wget --use-askpass}, {@code install --strip-program}, {@code sdiff --diff-program}, and {@code python3} or
     * {@code bash} given {@code /dev/stdin} as their script file, the application's input in disguise. Each
     * attack makes a marker of its own; the same programs still do what the allow is for.
     */
    @Test
    void anAllowOfAProgramCoversNoCommandItsInputItsHooksOrItsLibrariesRun() throws Exception {
        Path rules = Files.createDirectories(workspace.resolve("rules"));
        Files.writeString(rules.resolve("roles.yaml"), """
                policies:
                  - role: assistant
                    allow: [process:/usr/bin/sqlite3:exec, process:/usr/bin/ed:exec, process:/usr/bin/psql:exec,
                            process:/usr/bin/mariadb:exec, process:/usr/bin/run-parts:exec, process:/usr/bin/ssh-agent:exec,
                            process:/usr/bin/setarch:exec, process:/usr/bin/fakeroot:exec, process:/usr/bin/dbus-run-session:exec,
                            process:/usr/bin/git:exec, process:/usr/bin/npx:exec, process:/usr/bin/openssl:exec,
                            process:/usr/bin/wget:exec, process:/usr/bin/install:exec, process:/usr/bin/sdiff:exec,
                            process:/usr/bin/python3:exec, process:/usr/bin/bash:exec]
                actors:
                  agent: [assistant]
                """);
        Path ws = Files.createDirectories(workspace.resolve("ws"));
        Path file = Files.writeString(ws.resolve("file"), "line\n");
        List<Path> markers = new ArrayList<>();
        for (int i = 0; i < 17; i++) {
            markers.add(ws.resolve("marker-" + i));
        }
        Path askpass = script(ws.resolve("askpass.sh"), markers.get(12));
        Path strip = script(ws.resolve("strip.sh"), markers.get(13));
        Path differ = script(ws.resolve("diff.sh"), markers.get(14));
        Path parts = Files.createDirectories(ws.resolve("parts"));
        script(parts.resolve("hook"), markers.get(4));
        Path template = Files.createDirectories(ws.resolve("template/hooks"));
        script(template.resolve("post-checkout"), markers.get(9));
        Path source = Files.createDirectories(ws.resolve("source"));
        git(source, "init", "-q");
        git(source, "-c", "user.name=w", "-c", "user.email=w@example.com", "commit", "-q", "--allow-empty", "-m", "one");
        NativeLibraries libraries = new NativeLibraries(Files.createDirectories(workspace.resolve("native")));
        Path engine = libraries.build("engine");
        String dir = "pb-dir|" + ws + "|";
        List<String> attacks = List.of(
                /* 0 */ dir + "/usr/bin/sqlite3|:memory:|.shell touch " + markers.get(0),
                /* 1 */ "pb-stdin|!touch " + markers.get(1) + "|/usr/bin/ed|-s|" + file,
                /* 2 */ dir + "/usr/bin/psql|-h|127.0.0.1|-d|test|-c|\\! touch " + markers.get(2),
                /* 3 */ dir + "/usr/bin/mariadb|-h|127.0.0.1|-u|root|-e|system touch " + markers.get(3),
                /* 4 */ dir + "/usr/bin/run-parts|" + parts,
                /* 5 */ dir + "/usr/bin/ssh-agent|touch|" + markers.get(5),
                /* 6 */ dir + "/usr/bin/setarch|x86_64|touch|" + markers.get(6),
                /* 7 */ dir + "/usr/bin/fakeroot|touch|" + markers.get(7),
                /* 8 */ dir + "/usr/bin/dbus-run-session|--|touch|" + markers.get(8),
                /* 9 */ dir + "/usr/bin/git|clone|-q|--template=" + template.getParent() + "|" + source + "|" + ws.resolve("clone"),
                /* 10 */ dir + "/usr/bin/git|grep|--no-index|-Otouch " + markers.get(10) + ";true|line",
                /* 11 */ dir + "/usr/bin/npx|-c|touch " + markers.get(11),
                /* 12 */ dir + "/usr/bin/openssl|rand|-engine|" + engine + "|4",
                /* 13 */ dir + "/usr/bin/wget|-q|--use-askpass=" + askpass + "|-O|/dev/null|http://127.0.0.1:9/",
                /* 14 */ dir + "/usr/bin/install|-s|--strip-program=" + strip + "|/bin/true|" + ws.resolve("true"),
                /* 15 */ dir + "/usr/bin/sdiff|--diff-program=" + differ + "|file|file",
                /* 16 */ "pb-stdin|open('" + markers.get(15) + "', 'w')|/usr/bin/python3|/dev/stdin",
                /* 17 */ "pb-stdin|touch " + markers.get(16) + "|/usr/bin/bash|/dev/stdin");
        List<String> controls = List.of(
                /* 18 */ dir + "/usr/bin/git|grep|--no-index|-n|line|--|file",
                /* 19 */ dir + "/usr/bin/openssl|rand|-hex|4",
                /* 20 */ dir + "/usr/bin/sqlite3|--version");
        List<String> steps = new ArrayList<>(attacks);
        steps.addAll(controls);
        Receipts store = Receipts.in(Files.createDirectories(workspace.resolve("receipts-input")));

        HostJvm.Result host = HostJvm.withAgent(store.agentArguments()).with("rules=" + rules).with("actor=agent")
                .run(ProcessHost.class, steps);

        assertThat(host.lines()).as(host.toString()).contains("DONE");
        for (int step = 0; step < attacks.size(); step++) {
            assertThat(host.step(step)).as(host.toString()).startsWith("DENIED step=" + step).contains("no rule permits process EXEC");
        }
        assertThat(markers).as("what the allowed programs were told to run, looked for after the host exited")
                .allSatisfy(marker -> assertThat(marker).doesNotExist());
        assertThat(libraries.ran()).as("the engine library openssl was told to load").isEmpty();
        assertThat(host.step(18)).isEqualTo("OK step=18 exit=0 out=file:1:line");
        assertThat(host.step(19)).matches("OK step=19 exit=0 out=[0-9a-f]{8}");
        assertThat(host.step(20)).startsWith("OK step=20 exit=0 out=3.");
        List<Receipt> starts = store.all().stream().filter(receipt -> receipt.surface().equals("process")).toList();
        assertThat(starts).extracting(Receipt::outcome).containsExactly(java.util.stream.Stream.concat(
                java.util.Collections.nCopies(attacks.size(), "SILENCE").stream(),
                java.util.Collections.nCopies(controls.size(), "PERMIT").stream()).toArray(String[]::new));
        assertThat(starts.subList(0, attacks.size()))
                .allSatisfy(receipt -> assertThat(receipt.summary()).containsEntry("process.launcher", "true"));
        assertThat(store.verify().exitCode()).isZero();
    }

    /** Runs git in the test's own JVM (no agent): the repository a clone is made from. */
    private static void git(Path directory, String... arguments) throws Exception {
        List<String> command = new ArrayList<>(List.of("git"));
        command.addAll(List.of(arguments));
        Process git = new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true).start();
        String output = new String(git.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(git.waitFor()).as(output).isZero();
    }

    private static Path script(Path path, Path marker) throws Exception {
        Files.writeString(path, "#!/bin/sh\ntouch '" + marker + "'\n");
        Files.setPosixFilePermissions(path, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        return path;
    }

    @Test
    void aQuotedCasedTableAndAQualifiedOneAreHeldHoweverTheSqlNamesThem() throws Exception {
        try (Connection db = DriverManager.getConnection(POSTGRESQL, "postgres", "")) {
            DirectSql.run(db, "DROP TABLE IF EXISTS fx_scopes_pay", "DROP TABLE IF EXISTS \"fx_scopes_Invoice\"",
                    "DROP TABLE IF EXISTS fx_scopes_keep",
                    "CREATE TABLE fx_scopes_pay (id INT PRIMARY KEY)", "INSERT INTO fx_scopes_pay VALUES (1), (2)",
                    "CREATE TABLE \"fx_scopes_Invoice\" (id INT PRIMARY KEY)", "INSERT INTO \"fx_scopes_Invoice\" VALUES (1), (2)",
                    "CREATE TABLE fx_scopes_keep (id INT PRIMARY KEY)", "INSERT INTO fx_scopes_keep VALUES (1), (2)");
            try {
                Path rules = rules("""
                        rule "the database"
                        when
                            Action(surface == "net", operation == "CONNECT", target == "127.0.0.1", number("net.port") == 5432)
                        then
                            verdict.permit("the application's database");
                        end
                        rule "pgjdbc's own setup"
                        when
                            Action(surface == "jdbc", operation == "OTHER")
                        then
                            verdict.permit("transaction control");
                        end
                        rule "the ledger tool deletes"
                        when
                            Action(surface == "jdbc", operation == "DELETE", targetsWithin("fx_scopes_pay", "public.fx_scopes_pay",
                                   "\\"fx_scopes_Invoice\\"", "public.\\"fx_scopes_Invoice\\"", "fx_scopes_keep"))
                        then
                            verdict.permit("the ledger tool");
                        end
                        """, "'jdbc:\"fx_scopes_Invoice\":delete'", "jdbc:public.fx_scopes_pay:delete");
                Receipts store = Receipts.in(Files.createDirectories(workspace.resolve("receipts-jdbc")));
                HostJvm.Result host = HostJvm.withAgent(store.agentArguments()).with("rules=" + rules).with("actor=agent")
                        .run(JdbcHost.class, List.of(POSTGRESQL, "postgres", "",
                                "update:DELETE FROM \"fx_scopes_Invoice\" WHERE id = 1",
                                "update:DELETE FROM public.\"fx_scopes_Invoice\" WHERE id = 2",
                                "update:DELETE FROM fx_scopes_pay WHERE id = 1",
                                "update:DELETE FROM public.fx_scopes_pay WHERE id = 2",
                                "update:DELETE FROM fx_scopes_keep WHERE id = 1"));

                assertThat(host.lines()).as(host.toString()).contains("DONE");
                assertThat(DirectSql.count(db, "SELECT count(*) FROM \"fx_scopes_Invoice\"")).isEqualTo(2);
                assertThat(DirectSql.count(db, "SELECT count(*) FROM fx_scopes_pay")).isEqualTo(2);
                assertThat(DirectSql.count(db, "SELECT count(*) FROM fx_scopes_keep")).as("the permitted delete ran").isEqualTo(1);
                assertThat(host.step(0)).contains("may not jdbc:\"fx_scopes_Invoice\":delete");
                assertThat(host.step(1)).contains("may not jdbc:\"fx_scopes_Invoice\":delete");
                assertThat(host.step(2)).contains("may not jdbc:public.fx_scopes_pay:delete");
                assertThat(host.step(3)).contains("may not jdbc:public.fx_scopes_pay:delete");
                assertThat(host.step(4)).startsWith("OK step=4");
                assertRefusalsRecorded(host, store, "jdbc");
            } finally {
                DirectSql.run(db, "DROP TABLE IF EXISTS fx_scopes_pay", "DROP TABLE IF EXISTS \"fx_scopes_Invoice\"",
                        "DROP TABLE IF EXISTS fx_scopes_keep");
            }
        }
    }

    /** A rules directory: the DRL permits, and a role the host's actor holds that denies {@code denied}. */
    private Path rules(String drl, String... denied) throws Exception {
        Path rules = Files.createDirectories(workspace.resolve("rules"));
        Files.writeString(rules.resolve("permits.drl"), "package rules.permits;\nimport dev.warden.rules.Action;\n"
                + "global dev.warden.rules.Verdict verdict;\n" + drl);
        Files.writeString(rules.resolve("roles.yaml"), "policies:\n  - role: assistant\n    deny: [" + String.join(", ", denied)
                + "]\nactors:\n  agent: [assistant]\n");
        return rules;
    }

    private static void assertRefusalsRecorded(HostJvm.Result host, Receipts store, String surface) throws Exception {
        List<Receipt> receipts = store.all();
        List<String> refusals = host.lines().stream().filter(line -> line.startsWith("DENIED")).toList();
        assertThat(refusals).isNotEmpty();
        for (String refusal : refusals) {
            Matcher receipt = RECEIPT.matcher(refusal);
            assertThat(receipt.find()).as(refusal).isTrue();
            assertThat(receipts).filteredOn(recorded -> recorded.id().equals(receipt.group(1))).singleElement().satisfies(recorded -> {
                assertThat(recorded.surface()).isEqualTo(surface);
                assertThat(recorded.outcome()).isEqualTo("DENY");
                assertThat(recorded.rules()).anyMatch(rule -> rule.startsWith("role assistant denies "));
            });
        }
        assertThat(store.verify().exitCode()).isZero();
    }
}
