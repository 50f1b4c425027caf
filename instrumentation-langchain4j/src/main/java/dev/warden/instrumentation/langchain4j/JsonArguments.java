package dev.warden.instrumentation.langchain4j;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a tool call's arguments, which the model wrote and nothing validated: JSON when it behaved,
 * anything otherwise. A small strict reader (no dependency for the agent to shade), bounded in size and
 * depth, that never throws past {@link #parse}: what it cannot read is reported, and the rules decide
 * what an unreadable call deserves.
 *
 * <p>At least as strict as the Jackson reader LangChain4j binds a tool's parameters with (no leading zeros or
 * plus signs, no whitespace but JSON's), so that what it reads is what the tool receives. LangChain4j also
 * reads the text a second way: with {@code \"} unescaped and trailing commas dropped, before its first parse
 * (1.0) or after a failed one (later versions). Text that this second way reads as other arguments is refused as
 * read two ways: {@code {"to":"a","body":"\",\"to\":\"b"}} is a mail to a here and to b in LangChain4j 1.0.
 */
final class JsonArguments {

    /** Larger arguments are not parsed: rules see their size and that they were not read. */
    static final int MAX_PARSED_CHARS = 64 * 1024;
    private static final int MAX_DEPTH = 32;
    /** Jackson's default limits (StreamReadConstraints): longer fails its parse, and LangChain4j then reads a second way. */
    private static final int MAX_NUMBER_CHARS = 1000;
    private static final int MAX_NAME_CHARS = 50_000;
    private static final int JACKSON_MAX_DEPTH = 1000;

    /** The top-level members of an argument object, or why there are none. */
    record Parsed(Map<String, Object> members, String error) {
        static Parsed failed(String error) {
            return new Parsed(Map.of(), error);
        }
    }

    private final String text;
    private final int maxDepth;
    private final boolean asJackson; // integers beyond a long are BigIntegers, as Jackson reads them
    private int position;

    private JsonArguments(String text, int maxDepth, boolean asJackson) {
        this.text = text;
        this.maxDepth = maxDepth;
        this.asJackson = asJackson;
    }

    static Parsed parse(String arguments) {
        if (arguments == null || arguments.isBlank()) {
            return new Parsed(Map.of(), null);
        }
        if (arguments.length() > MAX_PARSED_CHARS) {
            return Parsed.failed("arguments too large to read (" + arguments.length() + " chars, limit " + MAX_PARSED_CHARS + ")");
        }
        Parsed strict = strict(arguments, false, MAX_DEPTH);
        if (strict.error() != null) {
            return strict;
        }
        String unescaped = asLangChain4jUnescapes(arguments);
        if (!unescaped.equals(arguments)) {
            // As Jackson reads it: the first value, what follows it left unread, nested as deep as Jackson allows.
            Parsed other;
            try {
                other = strict(unescaped, true, JACKSON_MAX_DEPTH);
            } catch (StackOverflowError tooDeepForThisThread) {
                // Jackson may read what this thread's stack cannot: the second way is not known, so not trusted.
                return Parsed.failed("arguments read two ways: with \\\" unescaped they nest too deep to read here");
            }
            if (other.error() == null && !other.members().equals(strict.members())) {
                return Parsed.failed("arguments read two ways: with \\\" unescaped (as LangChain4j may read them) they are"
                        + " other arguments");
            }
        }
        return strict;
    }

    /** One JSON value, strictly read; {@code fallback} when the text is none (too large, or not JSON). */
    static Object value(String json, Object fallback) {
        if (json == null || json.length() > MAX_PARSED_CHARS) {
            return fallback;
        }
        JsonArguments reader = new JsonArguments(json, MAX_DEPTH, false);
        try {
            reader.skipWhitespace();
            Object value = reader.value(0);
            reader.skipWhitespace();
            return reader.position == json.length() ? value : fallback;
        } catch (IllegalArgumentException notJson) {
            return fallback;
        }
    }

    /** @param trailing whether text after the first value is left unread (Jackson's default), or an error */
    private static Parsed strict(String arguments, boolean trailing, int maxDepth) {
        JsonArguments reader = new JsonArguments(arguments, maxDepth, trailing);
        try {
            reader.skipWhitespace();
            Object value = reader.value(0);
            reader.skipWhitespace();
            if (!trailing && reader.position != arguments.length()) {
                throw reader.error("trailing characters");
            }
            if (!(value instanceof Map)) {
                return Parsed.failed("arguments are not a JSON object");
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> members = (Map<String, Object>) value;
            return new Parsed(members, null);
        } catch (IllegalArgumentException e) {
            return Parsed.failed("arguments are not valid JSON: " + e.getMessage());
        }
    }

    /** LangChain4j's {@code ^"|"$}, with its regex semantics ({@code $} also before a final line break). */
    private static final java.util.regex.Pattern END_QUOTE = java.util.regex.Pattern.compile("^\"|\"$");
    private static final java.util.regex.Pattern TRAILING_COMMA = java.util.regex.Pattern.compile(",(\\s*[}\\]])");

    /** The text as LangChain4j's second reading has it: a quote at either end dropped, \" unescaped, trailing commas dropped. */
    static String asLangChain4jUnescapes(String arguments) {
        String unquoted = END_QUOTE.matcher(arguments).replaceAll("").replace("\\\"", "\"");
        return TRAILING_COMMA.matcher(unquoted).replaceAll("$1");
    }

    private Object value(int depth) {
        if (depth > maxDepth) {
            throw error("nested deeper than " + maxDepth);
        }
        char c = peek();
        switch (c) {
            case '{':
                return object(depth);
            case '[':
                return array(depth);
            case '"':
                return string();
            case 't':
                return literal("true", Boolean.TRUE);
            case 'f':
                return literal("false", Boolean.FALSE);
            case 'n':
                return literal("null", null);
            default:
                if (c == '-' || (c >= '0' && c <= '9')) {
                    return number();
                }
                throw error("unexpected '" + c + "'");
        }
    }

    private Map<String, Object> object(int depth) {
        Map<String, Object> members = new LinkedHashMap<>();
        position++;
        skipWhitespace();
        if (peek() == '}') {
            position++;
            return members;
        }
        while (true) {
            skipWhitespace();
            if (peek() != '"') {
                throw error("expected a member name");
            }
            String name = string();
            if (name.length() > MAX_NAME_CHARS) {
                throw error("a member name longer than " + MAX_NAME_CHARS + " chars");
            }
            skipWhitespace();
            expect(':');
            skipWhitespace();
            members.put(name, value(depth + 1));
            skipWhitespace();
            char next = next();
            if (next == '}') {
                return members;
            }
            if (next != ',') {
                throw error("expected ',' or '}'");
            }
        }
    }

    private List<Object> array(int depth) {
        List<Object> elements = new ArrayList<>();
        position++;
        skipWhitespace();
        if (peek() == ']') {
            position++;
            return elements;
        }
        while (true) {
            skipWhitespace();
            elements.add(value(depth + 1));
            skipWhitespace();
            char next = next();
            if (next == ']') {
                return elements;
            }
            if (next != ',') {
                throw error("expected ',' or ']'");
            }
        }
    }

    private String string() {
        position++;
        StringBuilder out = new StringBuilder();
        while (true) {
            char c = next();
            if (c == '"') {
                return out.toString();
            }
            if (c == '\\') {
                char escaped = next();
                switch (escaped) {
                    case '"', '\\', '/' -> out.append(escaped);
                    case 'b' -> out.append('\b');
                    case 'f' -> out.append('\f');
                    case 'n' -> out.append('\n');
                    case 'r' -> out.append('\r');
                    case 't' -> out.append('\t');
                    case 'u' -> {
                        if (position + 4 > text.length()) {
                            throw error("truncated \\u escape");
                        }
                        int code = 0;
                        for (int i = 0; i < 4; i++) {
                            int digit = Character.digit(text.charAt(position + i), 16);
                            if (digit < 0 || text.charAt(position + i) > 'f') {
                                throw error("bad \\u escape");
                            }
                            code = code << 4 | digit;
                        }
                        out.append((char) code);
                        position += 4;
                    }
                    default -> throw error("bad escape \\" + escaped);
                }
            } else if (c < 0x20) {
                throw error("control character in a string");
            } else {
                out.append(c);
            }
        }
    }

    /** JSON's grammar: {@code -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?}, nothing looser. */
    private Object number() {
        int start = position;
        accept('-');
        if (!accept('0')) {
            digits();
        }
        if (accept('.')) {
            digits();
        }
        if (accept('e') || accept('E')) {
            if (!accept('+')) {
                accept('-');
            }
            digits();
        }
        String number = text.substring(start, position);
        if (number.length() > MAX_NUMBER_CHARS) {
            throw error("a number longer than " + MAX_NUMBER_CHARS + " chars");
        }
        try {
            if (number.indexOf('.') < 0 && number.indexOf('e') < 0 && number.indexOf('E') < 0) {
                try {
                    return Long.parseLong(number);
                } catch (NumberFormatException beyondALong) {
                    if (!asJackson) {
                        throw beyondALong; // the rules could not compare it: unreadable
                    }
                    return new java.math.BigInteger(number);
                }
            }
            return Double.parseDouble(number);
        } catch (NumberFormatException e) {
            throw error("bad number " + number);
        }
    }

    private boolean accept(char c) {
        if (position < text.length() && text.charAt(position) == c) {
            position++;
            return true;
        }
        return false;
    }

    private void digits() {
        int start = position;
        while (position < text.length() && text.charAt(position) >= '0' && text.charAt(position) <= '9') {
            position++;
        }
        if (position == start) {
            throw error("bad number " + text.substring(Math.max(0, start - 1), Math.min(text.length(), start + 1)));
        }
    }

    private Object literal(String word, Object value) {
        if (!text.startsWith(word, position)) {
            throw error("unexpected '" + peek() + "'");
        }
        position += word.length();
        return value;
    }

    private void expect(char expected) {
        if (next() != expected) {
            throw error("expected '" + expected + "'");
        }
    }

    private char peek() {
        if (position >= text.length()) {
            throw error("unexpected end");
        }
        return text.charAt(position);
    }

    private char next() {
        char c = peek();
        position++;
        return c;
    }

    private void skipWhitespace() {
        while (position < text.length() && " \t\n\r".indexOf(text.charAt(position)) >= 0) {
            position++;
        }
    }

    private IllegalArgumentException error(String what) {
        return new IllegalArgumentException(what + " at offset " + position);
    }
}
