package dev.warden.receipts.siem;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One SIEM event as a JSON object built from dotted field names ({@code event.outcome} becomes
 * {@code {"event":{"outcome":...}}}), written as one line. Values: strings, numbers, booleans,
 * collections of strings and maps of strings; nulls are left out.
 * <p>
 * {@link #toString(int)} bounds the line for a transport that carries only so much (a UDP datagram, a
 * receiver's message size): the values are cut, each with a visible marker and its length, never the
 * structure, so the event still parses and still says what was decided.
 */
final class JsonLine {
    /**
     * The cuts tried in turn, longest first: a string value (or map key) longer than this, counted as
     * {@link #cost}, is cut ...
     */
    private static final int[] VALUE_CUTS = {2048, 1024, 512, 256, 128, 64};
    /** ... and a list or map (a summary, the rules) keeps at most this many entries. */
    private static final int[] ENTRY_CUTS = {256, 64, 16, 8, 4, 2};

    /** The objects made of dotted names: structure, never cut (unlike a summary, a map of values). */
    private static final class Node extends LinkedHashMap<String, Object> {
    }

    private final Map<String, Object> root = new Node();

    @SuppressWarnings("unchecked")
    JsonLine put(String dotted, Object value) {
        if (value == null) {
            return this;
        }
        Map<String, Object> object = root;
        String[] names = dotted.split("\\.");
        for (int i = 0; i < names.length - 1; i++) {
            object = (Map<String, Object>) object.computeIfAbsent(names[i], name -> new Node());
        }
        object.put(names[names.length - 1], value);
        return this;
    }

    @Override
    public String toString() {
        StringBuilder out = new StringBuilder(512);
        write(out, root, Integer.MAX_VALUE, Integer.MAX_VALUE);
        return out.toString();
    }

    /**
     * The line, whole when its {@link #cost} is at most {@code max}; else with its values cut, as little
     * as the cuts tried allow, to fit. The last cut leaves every value at most 64 (a hash whole) and every
     * list and map at most 2 entries: a few KB whatever the receipt holds, so any {@code max} of 8 KB or
     * more is met.
     */
    String toString(int max) {
        String whole = toString();
        if (cost(whole) <= max) {
            return whole;
        }
        String cut = whole;
        for (int i = 0; i < VALUE_CUTS.length; i++) {
            StringBuilder out = new StringBuilder(Math.min(max, 1 << 16));
            write(out, root, VALUE_CUTS[i], ENTRY_CUTS[i]);
            cut = out.toString();
            if (cost(cut) <= max) {
                break;
            }
        }
        return cut;
    }

    /**
     * What a line costs a transport, in bytes at most: a printable ASCII character one, any other six (its JSON
     * escape, as syslog sends it; UTF-8 takes at most three per UTF-16 unit).
     */
    static int cost(CharSequence text) {
        int cost = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            cost += c >= 0x20 && c < 0x7f ? 1 : 6;
        }
        return cost;
    }

    private static void write(StringBuilder out, Object value, int valueCut, int entryCut) {
        if (value instanceof Map<?, ?> map) {
            boolean structure = value instanceof Node;
            out.append('{');
            int written = 0;
            int present = (int) map.values().stream().filter(v -> v != null).count();
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                if (entry.getValue() == null) {
                    continue;
                }
                if (!structure && written == entryCut && present > entryCut) {
                    out.append(',');
                    string(out, "...", valueCut);
                    out.append(':');
                    string(out, "[cut: " + (present - written) + " more entries]", Integer.MAX_VALUE);
                    break;
                }
                if (written > 0) {
                    out.append(',');
                }
                written++;
                string(out, String.valueOf(entry.getKey()), structure ? Integer.MAX_VALUE : valueCut);
                out.append(':');
                write(out, entry.getValue(), valueCut, entryCut);
            }
            out.append('}');
        } else if (value instanceof Collection<?> list) {
            out.append('[');
            int written = 0;
            for (Object element : list) {
                if (written > 0) {
                    out.append(',');
                }
                if (written == entryCut && list.size() > entryCut) {
                    string(out, "[cut: " + (list.size() - written) + " more entries]", Integer.MAX_VALUE);
                    break;
                }
                written++;
                write(out, element, valueCut, entryCut);
            }
            out.append(']');
        } else if (value instanceof Number || value instanceof Boolean) {
            out.append(value);
        } else {
            string(out, String.valueOf(value), valueCut);
        }
    }

    /** A string value, cut when it costs more than {@code cut}: its start, then how long it was. */
    private static void string(StringBuilder out, String s, int cut) {
        if (s.length() <= cut / 6 || cut == Integer.MAX_VALUE || cost(s) <= cut) {
            string(out, s);
            return;
        }
        int end = 0;
        int cost = 0;
        while (end < s.length()) {
            int next = cost + (s.charAt(end) < 0x80 ? 1 : 6);
            if (next > cut) {
                break;
            }
            cost = next;
            end++;
        }
        if (end > 0 && Character.isHighSurrogate(s.charAt(end - 1))) {
            end--; // never half a character
        }
        string(out, s.substring(0, end) + "...[cut: " + s.length() + " chars]");
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
                    if (breaksOrControls(c)) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }

    /**
     * A character JSON may carry as it is but a reader of lines or a terminal may not: the C0 and C1 controls, DEL,
     * and the line and paragraph separators. Python's {@code splitlines()} ends a line at NEL (U+0085) and at U+2028, so
     * a statement's text carrying one would split the event, its second half read as an event of the host's making.
     */
    private static boolean breaksOrControls(char c) {
        return c < 0x20 || (c >= 0x7f && c <= 0x9f) || c == 0x2028 || c == 0x2029;
    }
}
