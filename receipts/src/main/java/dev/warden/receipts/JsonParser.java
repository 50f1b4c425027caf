package dev.warden.receipts;

import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A small strict JSON reader for what receipts contain: objects, arrays, strings, integers, booleans
 * and null. Objects keep their member order and reject duplicate names. It does not check
 * canonical form: callers re-encode and compare bytes, which checks every rule at once.
 */
final class JsonParser {
    private final String text;
    private int pos;

    private JsonParser(String text) {
        this.text = text;
    }

    /** Parses UTF-8 JSON text; malformed UTF-8 is an error, not a replacement character. */
    static Object parse(byte[] utf8) throws MalformedReceiptException {
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(java.nio.ByteBuffer.wrap(utf8)).toString();
        } catch (CharacterCodingException e) {
            throw new MalformedReceiptException("not valid UTF-8");
        }
        JsonParser p = new JsonParser(text);
        Object value = p.value();
        if (p.pos != text.length()) {
            throw p.error("unexpected data after the JSON value");
        }
        return value;
    }

    private Object value() throws MalformedReceiptException {
        if (pos >= text.length()) {
            throw error("unexpected end of input");
        }
        char c = text.charAt(pos);
        return switch (c) {
            case '{' -> object();
            case '[' -> array();
            case '"' -> string();
            case 't' -> literal("true", Boolean.TRUE);
            case 'f' -> literal("false", Boolean.FALSE);
            case 'n' -> literal("null", null);
            default -> {
                if (c == '-' || c >= '0' && c <= '9') {
                    yield number();
                }
                throw error("unexpected character " + (c < 0x20 || c > 0x7e ? String.format("U+%04X", (int) c) : "'" + c + "'"));
            }
        };
    }

    private Map<String, Object> object() throws MalformedReceiptException {
        pos++;
        Map<String, Object> members = new LinkedHashMap<>(32); // a receipt's 20 members without rehashing
        if (peek() == '}') {
            pos++;
            return members;
        }
        while (true) {
            if (peek() != '"') {
                throw error("expected a member name");
            }
            String name = string();
            expect(':');
            Object v = value();
            if (members.containsKey(name)) {
                throw error("duplicate member \"" + name + "\"");
            }
            members.put(name, v);
            char c = next();
            if (c == '}') {
                return members;
            }
            if (c != ',') {
                throw error("expected ',' or '}'");
            }
        }
    }

    private List<Object> array() throws MalformedReceiptException {
        pos++;
        List<Object> items = new ArrayList<>();
        if (peek() == ']') {
            pos++;
            return items;
        }
        while (true) {
            items.add(value());
            char c = next();
            if (c == ']') {
                return items;
            }
            if (c != ',') {
                throw error("expected ',' or ']'");
            }
        }
    }

    private String string() throws MalformedReceiptException {
        pos++;
        int end = plainStringEnd();
        if (end >= 0) { // the common case: nothing escaped, no copy through a builder
            String s = text.substring(pos, end);
            pos = end + 1;
            return s;
        }
        StringBuilder sb = new StringBuilder();
        while (true) {
            char c = next();
            if (c == '"') {
                return sb.toString();
            }
            if (c < 0x20) {
                throw error("unescaped control character in string");
            }
            if (c != '\\') {
                sb.append(c);
                continue;
            }
            char e = next();
            switch (e) {
                case '"', '\\', '/' -> sb.append(e);
                case 'b' -> sb.append('\b');
                case 'f' -> sb.append('\f');
                case 'n' -> sb.append('\n');
                case 'r' -> sb.append('\r');
                case 't' -> sb.append('\t');
                case 'u' -> {
                    if (pos + 4 > text.length()) {
                        throw error("truncated \\u escape");
                    }
                    try {
                        sb.append((char) Integer.parseInt(text, pos, pos + 4, 16));
                    } catch (NumberFormatException ex) {
                        throw error("bad \\u escape");
                    }
                    pos += 4;
                }
                default -> throw error("bad escape \\" + e);
            }
        }
    }

    /** Index of the closing quote when the string at pos has no escapes or controls, else -1. */
    private int plainStringEnd() {
        for (int i = pos; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '"') {
                return i;
            }
            if (c == '\\' || c < 0x20) {
                return -1;
            }
        }
        return -1;
    }

    private Long number() throws MalformedReceiptException {
        int start = pos;
        if (peek() == '-') {
            pos++;
        }
        while (pos < text.length() && Character.isDigit(text.charAt(pos))) {
            pos++;
        }
        if (pos < text.length() && "eE.".indexOf(text.charAt(pos)) >= 0) {
            throw error("only integers are used in receipts");
        }
        try {
            return Long.parseLong(text, start, pos, 10);
        } catch (NumberFormatException e) {
            throw error("bad integer");
        }
    }

    private Object literal(String word, Object value) throws MalformedReceiptException {
        if (!text.startsWith(word, pos)) {
            throw error("unexpected literal");
        }
        pos += word.length();
        return value;
    }

    private void expect(char c) throws MalformedReceiptException {
        if (next() != c) {
            throw error("expected '" + c + "'");
        }
    }

    private char peek() throws MalformedReceiptException {
        if (pos >= text.length()) {
            throw error("unexpected end of input");
        }
        return text.charAt(pos);
    }

    private char next() throws MalformedReceiptException {
        char c = peek();
        pos++;
        return c;
    }

    private MalformedReceiptException error(String why) {
        return new MalformedReceiptException(why + " at character " + pos);
    }
}
