package dev.warden.receipts.siem;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One SIEM event as a JSON object built from dotted field names ({@code event.outcome} becomes
 * {@code {"event":{"outcome":...}}}), written as one line. Values: strings, numbers, booleans,
 * collections of strings and maps of strings; nulls are left out.
 */
final class JsonLine {
    private final Map<String, Object> root = new LinkedHashMap<>();

    @SuppressWarnings("unchecked")
    JsonLine put(String dotted, Object value) {
        if (value == null) {
            return this;
        }
        Map<String, Object> object = root;
        String[] names = dotted.split("\\.");
        for (int i = 0; i < names.length - 1; i++) {
            object = (Map<String, Object>) object.computeIfAbsent(names[i], name -> new LinkedHashMap<String, Object>());
        }
        object.put(names[names.length - 1], value);
        return this;
    }

    @Override
    public String toString() {
        StringBuilder out = new StringBuilder(512);
        write(out, root);
        return out.toString();
    }

    private static void write(StringBuilder out, Object value) {
        if (value instanceof Map<?, ?> map) {
            out.append('{');
            boolean first = true;
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                if (entry.getValue() == null) {
                    continue;
                }
                if (!first) {
                    out.append(',');
                }
                first = false;
                string(out, String.valueOf(entry.getKey()));
                out.append(':');
                write(out, entry.getValue());
            }
            out.append('}');
        } else if (value instanceof Collection<?> list) {
            out.append('[');
            boolean first = true;
            for (Object element : list) {
                if (!first) {
                    out.append(',');
                }
                first = false;
                write(out, element);
            }
            out.append(']');
        } else if (value instanceof Number || value instanceof Boolean) {
            out.append(value);
        } else {
            string(out, String.valueOf(value));
        }
    }

    private static void string(StringBuilder out, String s) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20 || c == 0x2028 || c == 0x2029) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }
}
