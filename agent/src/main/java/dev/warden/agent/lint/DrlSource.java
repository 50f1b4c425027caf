package dev.warden.agent.lint;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The text of one DRL file as the linter reads it: comments blanked out (offsets and lines kept), and a
 * second copy with the contents of string literals blanked too, so that parentheses, commas and
 * keywords are found only in code.
 */
final class DrlSource {

    /** A range of offsets, end exclusive. */
    record Span(int start, int end) {
        boolean contains(int offset) {
            return offset >= start && offset < end;
        }
    }

    private final String text;
    private final String code;
    private final List<Integer> lineStarts = new ArrayList<>();

    DrlSource(String raw) {
        StringBuilder text = new StringBuilder(raw);
        StringBuilder code = new StringBuilder(raw);
        int i = 0;
        while (i < raw.length()) {
            char c = raw.charAt(i);
            if (c == '"' || c == '\'') {
                int end = i + 1;
                while (end < raw.length() && raw.charAt(end) != c && raw.charAt(end) != '\n') {
                    end += raw.charAt(end) == '\\' ? 2 : 1;
                }
                for (int k = i + 1; k < Math.min(end, raw.length()); k++) {
                    code.setCharAt(k, ' ');
                }
                i = end + 1;
            } else if (raw.startsWith("//", i)) {
                int end = raw.indexOf('\n', i);
                blank(text, code, i, end < 0 ? raw.length() : end);
                i = end < 0 ? raw.length() : end;
            } else if (raw.startsWith("/*", i)) {
                int end = raw.indexOf("*/", i + 2);
                end = end < 0 ? raw.length() : end + 2;
                blank(text, code, i, end);
                i = end;
            } else {
                i++;
            }
        }
        this.text = text.toString();
        this.code = code.toString();
        lineStarts.add(0);
        for (int k = 0; k < raw.length(); k++) {
            if (raw.charAt(k) == '\n') {
                lineStarts.add(k + 1);
            }
        }
    }

    private static void blank(StringBuilder text, StringBuilder code, int from, int to) {
        for (int k = from; k < to; k++) {
            if (text.charAt(k) != '\n') {
                text.setCharAt(k, ' ');
                code.setCharAt(k, ' ');
            }
        }
    }

    /** The text without comments. */
    String text() {
        return text;
    }

    String text(Span span) {
        return text.substring(span.start(), span.end());
    }

    /** 1-based line of an offset. */
    int lineOf(int offset) {
        int low = 0;
        int high = lineStarts.size() - 1;
        while (low < high) {
            int middle = (low + high + 1) >>> 1;
            if (lineStarts.get(middle) <= offset) {
                low = middle;
            } else {
                high = middle - 1;
            }
        }
        return low + 1;
    }

    /** The offsets lines {@code first} to {@code last} (1-based, inclusive) cover. */
    Span lines(int first, int last) {
        int start = lineStarts.get(Math.max(0, Math.min(first, lineStarts.size()) - 1));
        int end = last >= lineStarts.size() ? text.length() : lineStarts.get(last);
        return new Span(start, Math.max(start, end));
    }

    /** Where {@code keyword} first occurs as a word in code within {@code span}, or -1. */
    int keyword(String keyword, Span span) {
        Matcher matcher = Pattern.compile("\\b" + Pattern.quote(keyword) + "\\b").matcher(code);
        matcher.region(span.start(), span.end());
        return matcher.find() ? matcher.start() : -1;
    }

    /** The contents of each {@code Type( ... )} pattern within {@code span}, between its parentheses. */
    List<Span> patterns(String type, Span span) {
        List<Span> found = new ArrayList<>();
        Matcher matcher = Pattern.compile("(?<![\\w.$])" + Pattern.quote(type) + "\\s*\\(").matcher(code);
        matcher.region(span.start(), span.end());
        while (matcher.find()) {
            int open = matcher.end() - 1;
            int close = closing(open);
            found.add(new Span(open + 1, close));
        }
        return found;
    }

    /** The parts of {@code span} between its top-level commas, trimmed. */
    List<Span> split(Span span) {
        List<Span> parts = new ArrayList<>();
        int depth = 0;
        int start = span.start();
        for (int i = span.start(); i < span.end(); i++) {
            char c = code.charAt(i);
            if (c == '(' || c == '[' || c == '{') {
                depth++;
            } else if (c == ')' || c == ']' || c == '}') {
                depth--;
            } else if (c == ',' && depth == 0) {
                parts.add(trim(start, i));
                start = i + 1;
            }
        }
        parts.add(trim(start, span.end()));
        return parts;
    }

    private Span trim(int start, int end) {
        while (start < end && Character.isWhitespace(code.charAt(start))) {
            start++;
        }
        while (end > start && Character.isWhitespace(code.charAt(end - 1))) {
            end--;
        }
        return new Span(start, end);
    }

    private int closing(int open) {
        int depth = 0;
        for (int i = open; i < code.length(); i++) {
            char c = code.charAt(i);
            if (c == '(') {
                depth++;
            } else if (c == ')' && --depth == 0) {
                return i;
            }
        }
        return code.length();
    }
}
