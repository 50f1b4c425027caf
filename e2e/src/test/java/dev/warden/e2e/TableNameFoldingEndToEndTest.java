package dev.warden.e2e;

import dev.warden.e2e.host.JdbcHost;
import dev.warden.receipts.Receipt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.ArrayList;
import java.util.List;

import static dev.warden.e2e.DirectSql.run;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * H2 folds an unquoted name with Java's English upper case, so {@code fold_salarıes} (a dotless i) and
 * {@code fold_ſalaries} (a long s) are the table {@code FOLD_SALARIES} (a security review: Warden folded ASCII letters
 * alone and listed them as tables of their own, so a deny-list naming {@code fold_salaries} let them read it). With the
 * agent, each spelling is listed as {@code fold_salaries} and refused with a receipt; without it, each reads the row.
 */
@SameOnEveryJdk
class TableNameFoldingEndToEndTest {

    private static final List<String> SPELLINGS = List.of(
            "query:SELECT who, amount FROM fold_salaries",
            "query:SELECT who, amount FROM fold_salar\u0131es",
            "query:SELECT who, amount FROM fold_\u017falaries",
            "query:SELECT who, amount FROM FOLD_SALARIES");

    @TempDir
    Path workspace;

    @Test
    void everySpellingH2TakesForTheDeniedTableIsThatTable() throws Exception {
        String url = "jdbc:h2:file:" + workspace.resolve("payroll");
        try (Connection db = DriverManager.getConnection(url, "sa", "")) {
            run(db, "CREATE TABLE fold_notes(id INT, body VARCHAR(40))", "INSERT INTO fold_notes VALUES (1, 'a note')",
                    "CREATE TABLE fold_salaries(who VARCHAR(40), amount INT)", "INSERT INTO fold_salaries VALUES ('ceo', 900000)");
        }
        List<String> steps = new ArrayList<>(List.of("query:SELECT body FROM fold_notes"));
        steps.addAll(SPELLINGS);

        HostJvm.Result bare = HostJvm.withoutAgent().run(JdbcHost.class, arguments(url, steps));
        for (int step = 1; step < steps.size(); step++) {
            assertThat(bare.step(step)).as("without Warden: %s", steps.get(step)).contains("who=ceo,amount=900000");
        }

        Receipts store = Receipts.in(workspace);
        HostJvm.Result host = HostJvm.withAgent(store.agentArguments()).withRules("sql-deny-list").with("surfaces=jdbc")
                .run(JdbcHost.class, arguments(url, steps));

        assertThat(host.lines()).as(host.toString()).contains("DONE");
        assertThat(host.step(0)).isEqualTo("OK step=0 rows=1 first=body=a note");
        assertThat(host.stdout()).doesNotContain("900000");
        List<Receipt> receipts = store.all().stream().filter(receipt -> receipt.surface().equals("jdbc")).toList();
        assertThat(receipts).as("one receipt per step").hasSize(steps.size());
        for (int step = 1; step < steps.size(); step++) {
            Receipt receipt = receipts.get(step);
            assertThat(host.step(step)).as(steps.get(step))
                    .startsWith("DENIED step=" + step + " state=42501").endsWith("(receipt " + receipt.id() + ")");
            assertThat(receipt.outcome()).isEqualTo("DENY");
            assertThat(receipt.summary().get("sql.tables")).as(steps.get(step)).isEqualTo("fold_salaries");
        }
        assertThat(store.verify().exitCode()).isZero();
    }

    private static List<String> arguments(String url, List<String> steps) {
        List<String> arguments = new ArrayList<>(List.of(url, "sa", ""));
        arguments.addAll(steps);
        return arguments;
    }
}
