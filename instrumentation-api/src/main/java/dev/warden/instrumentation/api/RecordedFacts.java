package dev.warden.instrumentation.api;

import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * A receipt's summary read back as rule facts, for replay: receipts keep text, rules compare numbers,
 * flags and sets. {@code true}/{@code false} become booleans, whole numbers become longs (as enrichers
 * give counts and ports), and the attributes a surface names as lists are split at the commas the
 * enricher joined them with.
 */
public final class RecordedFacts {

    /** Whole numbers as an enricher writes them: no sign but minus, no leading zeros, within a long. */
    private static final Pattern WHOLE = Pattern.compile("-?(0|[1-9][0-9]{0,17})");

    private RecordedFacts() {
    }

    /** The summary's values typed; {@code lists} name the attributes that are sets of names. */
    public static Map<String, Object> typed(Map<String, String> summary, Set<String> lists) {
        Map<String, Object> facts = new TreeMap<>();
        summary.forEach((name, value) -> facts.put(name, lists.contains(name) ? list(value) : value(value)));
        return facts;
    }

    /** One recorded value as the enricher most likely produced it. */
    public static Object value(String text) {
        if (text == null) {
            return null;
        }
        if (text.equals("true") || text.equals("false")) {
            return Boolean.valueOf(text);
        }
        return WHOLE.matcher(text).matches() ? (Object) Long.parseLong(text) : text;
    }

    /** A comma-joined list of names; empty for null or "". */
    public static Set<String> list(String joined) {
        return joined == null || joined.isEmpty() ? Set.of() : new LinkedHashSet<>(Arrays.asList(joined.split(",")));
    }
}
