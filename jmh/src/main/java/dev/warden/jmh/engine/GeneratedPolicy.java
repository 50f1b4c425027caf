package dev.warden.jmh.engine;

import dev.warden.rules.Action;
import dev.warden.rules.PolicyBundle;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;

/**
 * A policy of {@code count} rules such as a security team writes them, one resource each (table_i,
 * host_i, tool_i, agent_i), as DRL or as YAML roles, with two actions to decide: one that none of the
 * rules matches, by an actor the policy knows, and one that exactly one rule permits. The same count
 * and kind always give the same files, so a policy cache compiles each once.
 *
 * @param rule the rule that permits {@code matchingOne}
 */
record GeneratedPolicy(String kind, int count, String drlOrYaml, Action matchingNone, Action matchingOne, String rule) {

    /**
     * DRL: five families in turn, with the constraint orders of docs/RULES.md and docs/HTTP.md.
     * {@code drl-equalities-first}: the same rules with the SELECT permits' {@code actor ==} before
     * {@code targetsWithin}, as Warden reorders them when it compiles (docs/RULES.md): the two should
     * measure alike.
     * YAML: {@code count / 2} roles, each held by its own agent, compiling to one allow and one deny rule.
     */
    static GeneratedPolicy of(String kind, int count) {
        return switch (kind) {
            case "drl" -> drl(count, false);
            case "drl-equalities-first" -> drl(count, true);
            case "yaml" -> yaml(count);
            default -> throw new IllegalArgumentException("kind is drl, drl-equalities-first or yaml, not " + kind);
        };
    }

    /** Writes the policy as the only file of {@code directory}; the bundle read from it, the file deleted again. */
    PolicyBundle bundleIn(Path directory) throws IOException {
        Path file = Files.writeString(directory.resolve(kind.equals("yaml") ? "generated.yaml" : "generated.drl"), drlOrYaml,
                StandardCharsets.UTF_8);
        try {
            return PolicyBundle.load(directory);
        } finally {
            Files.delete(file);
        }
    }

    private static GeneratedPolicy drl(int count, boolean equalitiesFirst) {
        StringBuilder drl = new StringBuilder("package rules.generated;\n\nimport dev.warden.rules.Action;\n"
                + "global dev.warden.rules.Verdict verdict;\n\n");
        for (int i = 0; i < count; i++) {
            String when = switch (i % 5) {
                case 0 -> "Action(surface == \"jdbc\", operation == \"DELETE\", targets contains \"table_" + i + "\")";
                case 1 -> equalitiesFirst
                        ? "Action(surface == \"jdbc\", operation == \"SELECT\", actor == \"agent_" + i + "\", targetsWithin(\"table_" + i + "\"))"
                        : "Action(surface == \"jdbc\", operation == \"SELECT\", targetsWithin(\"table_" + i + "\"), actor == \"agent_" + i + "\")";
                case 2 -> "Action(surface == \"http\", target == \"host-" + i + ".example.net\")";
                case 3 -> "Action(surface == \"http\", target == \"api-" + i + ".example.com\", text(\"url.scheme\") == \"https\")";
                default -> "Action(surface == \"tool\", operation == \"tool_" + i + "\", actor == \"agent_" + i + "\")";
            };
            String then = switch (i % 5) {
                case 0, 2 -> "verdict.deny(\"not that one\");";
                default -> "verdict.permit(\"granted\");";
            };
            drl.append("rule \"rule ").append(i).append("\"\nwhen\n    ").append(when).append("\nthen\n    ").append(then)
                    .append("\nend\n\n");
        }
        int k = count / 10 * 5 + 1; // a SELECT permit (family 1) in the middle of the file
        return new GeneratedPolicy(equalitiesFirst ? "drl-equalities-first" : "drl", count, drl.toString(), select("agent_" + k, "orders"), select("agent_" + k, "table_" + k),
                "rule " + k);
    }

    private static GeneratedPolicy yaml(int count) {
        StringBuilder yaml = new StringBuilder("policies:\n");
        StringBuilder actors = new StringBuilder("actors:\n");
        for (int i = 0; i < count / 2; i++) {
            yaml.append("  - role: role_").append(i).append('\n')
                    .append("    allow: [jdbc:table_").append(i).append(":select, jdbc:table_").append(i)
                    .append(":insert, http:api-").append(i).append(".example.com:get]\n")
                    .append("    deny:  [jdbc:table_").append(i).append(":delete]\n");
            actors.append("  agent_").append(i).append(": [role_").append(i).append("]\n");
        }
        int k = count / 4; // a role in the middle of the file
        return new GeneratedPolicy("yaml", count, yaml.append(actors).toString(), select("agent_" + k, "orders"),
                select("agent_" + k, "table_" + k), "role role_" + k + " allows");
    }

    private static Action select(String actor, String table) {
        return new Action("id", "jdbc", "SELECT", table, Set.of(table), Map.of("sql", "SELECT name FROM " + table + " WHERE id = ?",
                "db.product", "H2", "jdbc.method", "executeQuery", "jdbc.prepared", true), actor, null, null);
    }
}
