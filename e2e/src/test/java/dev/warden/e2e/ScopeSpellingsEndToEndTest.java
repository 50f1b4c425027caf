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
