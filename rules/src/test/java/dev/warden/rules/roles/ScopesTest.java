package dev.warden.rules.roles;

import dev.warden.rules.Action;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class ScopesTest {

    @Test
    void aProgramGoesByItsNameAsGivenItsRealPathAndTheFileNameOfBoth() {
        assertThat(Scopes.namesOf(exec("/usr/bin/../bin/rm", "/usr/bin/rm"))).containsExactly(
                List.of("process", "/usr/bin/../bin/rm", "exec"), List.of("process", "/usr/bin/rm", "exec"),
                List.of("process", "rm", "exec"));
        assertThat(Scopes.pathsOf(exec("/usr/bin/../bin/rm", "/usr/bin/rm")))
                .containsExactly(List.of("process", "/usr/bin/../bin/rm", "exec"));
    }

    @Test
    void aDenyOrTierByNameOrPathHoldsEverySpellingOfTheProgram() {
        for (Action rm : List.of(exec("rm", "/usr/bin/rm"), exec("/usr/bin/rm", "/usr/bin/rm"), exec("/bin/rm", "/usr/bin/rm"),
                exec("/usr/bin/../bin/rm", "/usr/bin/rm"), exec("./x", "/usr/bin/rm"), exec("/nowhere/rm", null))) {
            assertThat(Scopes.matchAny(rm, "process:rm:exec")).as(rm.getTarget()).isTrue();
        }
        assertThat(Scopes.matchAny(exec("rm", "/usr/bin/rm"), "process:/usr/bin/rm:exec")).isTrue();
        assertThat(Scopes.matchAny(exec("/bin/rm", "/usr/bin/rm"), "process:/usr/bin/rm:exec")).isTrue();
        assertThat(Scopes.matchAny(exec("/usr/bin/rmdir", "/usr/bin/rmdir"), "process:rm:exec")).isFalse();
    }

    @Test
    void anAllowCoversTheProgramOnlyAsGiven() {
        assertThat(Scopes.coverAll(exec("ls", "/usr/bin/ls"), "process:ls:exec")).isTrue();
        assertThat(Scopes.coverAll(exec("/tmp/ls", "/tmp/ls"), "process:ls:exec")).as("another program of that name").isFalse();
        assertThat(Scopes.coverAll(exec("/usr/bin/ls", "/usr/bin/ls"), "process:ls:exec")).isFalse();
        assertThat(Scopes.coverAll(exec("/usr/bin/ls", "/usr/bin/ls"), "process:/usr/bin/ls:exec")).isTrue();
        assertThat(Scopes.coverAll(exec("/tmp/x", "/usr/bin/ls"), "process:/usr/bin/ls:exec")).isFalse();
    }

    @Test
    void stackedStatementsGoByEveryMilderOperationForADenyOrTierButAnAllowMustCoverTheStrongest() {
        Action stacked = new Action("1", "jdbc", "DDL", "invoice_drafts", Set.of("invoice_drafts"),
                Map.of("sql.statements", 2L), "agent", null, null);
        Action alone = new Action("1", "jdbc", "DDL", "invoice_drafts", Set.of("invoice_drafts"),
                Map.of("sql.statements", 1L), "agent", null, null);

        assertThat(Scopes.matchAny(stacked, "jdbc:invoice_drafts:delete")).as("DELETE ...; SET @x = 1").isTrue();
        assertThat(Scopes.matchAny(stacked, "jdbc:invoice_drafts:select")).isTrue();
        assertThat(Scopes.matchAny(stacked, "jdbc:orders:delete")).isFalse();
        assertThat(Scopes.matchAny(alone, "jdbc:invoice_drafts:delete")).as("one DDL statement").isFalse();
        assertThat(Scopes.namesOf(alone)).containsExactly(List.of("jdbc", "invoice_drafts", "ddl"));
        assertThat(Scopes.coverAll(stacked, "jdbc:invoice_drafts:delete")).as("an allow still covers the strongest only").isFalse();
        assertThat(Scopes.coverAll(stacked, "jdbc:invoice_drafts:ddl")).isTrue();
        // as a past action read back from its receipt: the count is its summary's text
        assertThat(Scopes.namesOf("jdbc", "UPDATE", "orders", Set.of(), Map.<String, Object>of("sql.statements", "3")::get))
                .contains(List.of("jdbc", "orders", "insert"), List.of("jdbc", "orders", "select"))
                .doesNotContain(List.of("jdbc", "orders", "delete"));
    }

    @Test
    void aNativeLibraryGoesByItsPathFileAndLibraryName() {
        Action jna = new Action("1", "native", "LOAD", "/usr/lib/x86_64-linux-gnu/libsodium.so.23", Set.of(),
                Map.of("native.path", "/usr/lib/x86_64-linux-gnu/libsodium.so.23"), "agent", null, null);

        assertThat(Scopes.matchAny(jna, "native:sodium:load")).isTrue();
        assertThat(Scopes.matchAny(jna, "native:libsodium.so.23:load")).isTrue();
        assertThat(Scopes.coverAll(jna, "native:sodium:load")).isFalse();
    }

    @Test
    void aCasedTableKeepsItsCaseInItsPath() {
        Action delete = new Action("1", "jdbc", "DELETE", "\"Invoice\"", Set.of("\"Invoice\"", "public.\"Invoice\""), Map.of(),
                "agent", null, null);

        assertThat(Scopes.pathsOf(delete)).containsExactlyInAnyOrder(List.of("jdbc", "\"Invoice\"", "delete"),
                List.of("jdbc", "public.\"Invoice\"", "delete"));
        assertThat(Scopes.coverAll(delete, "jdbc:\"Invoice\":delete", "jdbc:public.\"Invoice\":delete")).isTrue();
        assertThat(Scopes.coverAll(delete, "jdbc:invoice:delete", "jdbc:public.invoice:delete")).isFalse();
        assertThat(Scopes.matchAny(delete, "jdbc:\"Invoice\":delete")).isTrue();
    }

    @Test
    void noAllowCoversALauncherGivenAProgramToRun() {
        Action envRunningTouch = new Action("1", "process", "EXEC", "/usr/bin/env", Set.of(),
                Map.of("process.program", "/usr/bin/env", "process.program.path", "/usr/bin/env", "process.launcher", true),
                "agent", null, null);
        assertThat(Scopes.coverAll(envRunningTouch, "process:/usr/bin/env:exec")).isFalse();
        assertThat(Scopes.coverAll(envRunningTouch, "process:*:exec", "**")).isFalse();
        assertThat(Scopes.coverAll(exec("/usr/bin/env", "/usr/bin/env"), "process:/usr/bin/env:exec")).as("env printing the environment")
                .isTrue();
        assertThat(Scopes.matchAny(envRunningTouch, "process:/usr/bin/env:exec")).as("a deny still holds it").isTrue();
    }

    /** Found by an eighth review (2026-12-07): a role's allow of tar, python3 or bash ran what their arguments or variables said. */
    @Test
    void noAllowCoversAStartThatRunsWhatItsArgumentsOrVariablesSay() {
        for (Map<String, Object> facts : List.<Map<String, Object>>of(Map.of("process.shell", true),
                Map.of("process.java.hooks", List.of("-XX:OnError")), Map.of("process.env.code", List.of("TAR_OPTIONS")))) {
            Map<String, Object> all = new java.util.HashMap<>(facts);
            all.put("process.program", "/usr/bin/tar");
            Action action = new Action("1", "process", "EXEC", "/usr/bin/tar", Set.of(), all, "agent", null, null);
            assertThat(Scopes.coverAll(action, "process:/usr/bin/tar:exec")).as(facts.toString()).isFalse();
            assertThat(Scopes.matchAny(action, "process:/usr/bin/tar:exec")).as("a deny still holds it").isTrue();
        }
        Action plain = new Action("1", "process", "EXEC", "/usr/bin/tar", Set.of(), Map.of("process.program", "/usr/bin/tar",
                "process.shell", false, "process.env.names", List.of("PATH")), "agent", null, null);
        assertThat(Scopes.coverAll(plain, "process:/usr/bin/tar:exec")).isTrue();
    }

    private static Action exec(String program, String realPath) {
        Map<String, Object> facts = realPath == null ? Map.of("process.program", program)
                : Map.of("process.program", program, "process.program.path", realPath);
        return new Action("1", "process", "EXEC", program, Set.of(), facts, "agent", null, null);
    }
}
