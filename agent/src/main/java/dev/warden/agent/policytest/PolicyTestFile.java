package dev.warden.agent.policytest;

import dev.warden.rules.PolicyYaml;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Reads a file of policy tests (docs/WORKFLOW.md):
 * <pre>
 * tests:
 *   - name: the support bot may not delete notes
 *     action:
 *       surface: jdbc
 *       actor: support-bot
 *       attributes: {sql: "DELETE FROM notes WHERE id = 7"}
 *     context: {session.labels: [pii]}
 *     expect: {outcome: SILENCE, reason: "jdbc:notes:delete"}
 * </pre>
 * Unknown keys are errors: a misspelt {@code expect} key must not make a test that checks nothing.
 */
public final class PolicyTestFile {

    private static final List<String> OUTCOMES = List.of("PERMIT", "DENY", "SILENCE", "HOLD");

    private PolicyTestFile() {
    }

    public static List<PolicyTest> parse(String file, String yaml) throws PolicyTestFileException {
        try {
            Object document = new Yaml(new SafeConstructor(new LoaderOptions())).load(yaml);
            Map<?, ?> top = PolicyYaml.map(document, "the document");
            only(top, List.of("tests"), "the document");
            List<PolicyTest> tests = new ArrayList<>();
            Set<String> names = new TreeSet<>();
            for (Object entry : PolicyYaml.list(top.get("tests"), "tests")) {
                PolicyTest test = test(file, PolicyYaml.map(entry, "each test"));
                if (!names.add(test.name())) {
                    throw new IllegalArgumentException("two tests are named '" + test.name() + "'");
                }
                tests.add(test);
            }
            if (tests.isEmpty()) {
                throw new IllegalArgumentException("no tests");
            }
            return tests;
        } catch (YAMLException e) {
            throw new PolicyTestFileException(file + ": not valid YAML: " + e.getMessage().replaceAll("\\s+", " "));
        } catch (IllegalArgumentException e) {
            throw new PolicyTestFileException(file + ": " + e.getMessage());
        }
    }

    private static PolicyTest test(String file, Map<?, ?> entry) {
        String name = text(entry.get("name"), "each test's name");
        String where = "test '" + name + "'";
        only(entry, List.of("name", "action", "context", "expect"), where);
        Map<?, ?> action = PolicyYaml.map(entry.get("action"), where + ": action");
        only(action, List.of("surface", "operation", "target", "attributes", "actor", "on-behalf-of", "session"), where + ": action");
        Map<String, Object> attributes = new LinkedHashMap<>();
        if (action.get("attributes") != null) {
            PolicyYaml.map(action.get("attributes"), where + ": attributes").forEach((key, value) ->
                    attributes.put(text(key, where + ": an attribute name"), fact(value)));
        }
        Map<String, Object> context = new LinkedHashMap<>();
        if (entry.get("context") != null) {
            PolicyYaml.map(entry.get("context"), where + ": context").forEach((key, value) -> context.put(text(key, where + ": a context fact"), value));
        }
        return new PolicyTest(file, name, text(action.get("surface"), where + ": action surface"),
                optional(action.get("operation"), where + ": operation"), optional(action.get("target"), where + ": target"),
                attributes, optional(action.get("actor"), where + ": actor"), optional(action.get("on-behalf-of"), where + ": on-behalf-of"),
                optional(action.get("session"), where + ": session"), context, expectation(entry.get("expect"), where));
    }

    private static PolicyTest.Expectation expectation(Object value, String where) {
        Map<?, ?> expect = PolicyYaml.map(value, where + ": expect");
        only(expect, List.of("outcome", "rules", "rule", "obligations", "reason"), where + ": expect");
        String outcome = text(expect.get("outcome"), where + ": expect outcome").toUpperCase(Locale.ROOT);
        if (!OUTCOMES.contains(outcome)) {
            throw new IllegalArgumentException(where + ": outcome '" + expect.get("outcome") + "' is not one of " + String.join(", ", OUTCOMES));
        }
        List<String> rules = null;
        if (expect.containsKey("rules")) {
            rules = new ArrayList<>();
            for (Object rule : PolicyYaml.list(expect.get("rules"), where + ": expect rules")) {
                rules.add(text(rule, where + ": a rule"));
            }
        }
        Map<String, String> obligations = null;
        if (expect.containsKey("obligations")) {
            obligations = new LinkedHashMap<>();
            Map<?, ?> given = expect.get("obligations") == null ? Map.of() : PolicyYaml.map(expect.get("obligations"), where + ": obligations");
            for (Map.Entry<?, ?> obligation : given.entrySet()) {
                String key = text(obligation.getKey(), where + ": an obligation");
                if (!List.of("maxRows", "redact", "maskPii").contains(key)) {
                    throw new IllegalArgumentException(where + ": unknown obligation '" + key + "' (expected maxRows, redact, maskPii)");
                }
                Object v = obligation.getValue();
                obligations.put(key, v instanceof Collection<?> names
                        ? String.join(",", names.stream().map(n -> String.valueOf(n).toLowerCase(Locale.ROOT)).sorted().toList())
                        : String.valueOf(v));
            }
        }
        return new PolicyTest.Expectation(outcome, rules, optional(expect.get("rule"), where + ": rule"), obligations,
                optional(expect.get("reason"), where + ": reason"));
    }

    /** Attribute values as advice packs them: whole numbers as longs, lists as lists of facts. */
    private static Object fact(Object value) {
        if (value instanceof Integer number) {
            return number.longValue();
        }
        if (value instanceof Collection<?> values) {
            return values.stream().map(PolicyTestFile::fact).toList();
        }
        if (value == null || value instanceof Map) {
            throw new IllegalArgumentException("an attribute is text, a number, true/false or a list, not '" + value + "'");
        }
        return value;
    }

    private static void only(Map<?, ?> map, List<String> keys, String where) {
        for (Object key : map.keySet()) {
            if (!keys.contains(String.valueOf(key))) {
                throw new IllegalArgumentException(where + ": unknown key '" + key + "' (expected " + String.join(", ", keys) + ")");
            }
        }
    }

    private static String text(Object value, String what) {
        if (value == null || value instanceof Map || value instanceof Collection || String.valueOf(value).isBlank()) {
            throw new IllegalArgumentException(what + " must be a non-empty text");
        }
        return String.valueOf(value).trim();
    }

    private static String optional(Object value, String what) {
        return value == null ? null : text(value, what);
    }
}
