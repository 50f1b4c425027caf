package dev.warden.verifier.cli;

/**
 * Text from receipts and approval requests as a terminal may show it. Those values come from the agent
 * (a tool's name, a statement, a path, a reason quoting them): printed raw, a line break forges another
 * row, and an escape sequence moves the cursor and redraws what the operator reads, so an approver saw
 * {@code -f scratch.tmp} while approving {@code rm -rf important} (review, 2026-12-06). Every character
 * that acts on a terminal or hides, rather than shows, is written as a visible escape: {@code \n},
 * {@code \r}, {@code \t}, else {@code \}{@code u} and four hex digits (C0 and C1 controls, DEL, bidi
 * controls, zero-width and other format characters, line and paragraph separators, unpaired surrogates).
 * One value is one line. A backslash stays itself, so paths and patterns read as written: six characters
 * {@code \}{@code u001b} in a value look like an escaped ESC, and act as little ({@code --json} tells them apart).
 * <p>
 * The gate has its own copy, {@code dev.warden.agent.cli.TerminalText}: the verifier shares no code with the gate.
 */
public final class TerminalText {
    private TerminalText() {
    }

    /** The value as it may be printed; {@code null} as {@code null}. */
    public static String of(Object value) {
        String text = String.valueOf(value);
        StringBuilder out = null; // made at the first character to escape: most values have none
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (plain(text, i)) {
                if (out != null) {
                    out.append(c);
                }
                if (Character.isHighSurrogate(c)) {
                    i++; // the pair, whole
                    if (out != null) {
                        out.append(text.charAt(i));
                    }
                }
                continue;
            }
            if (out == null) {
                out = new StringBuilder(text.length() + 16).append(text, 0, i);
            }
            switch (c) {
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> out.append(String.format("\\u%04x", (int) c));
            }
        }
        return out == null ? text : out.toString();
    }

    /** Whether the character at {@code i} (a surrogate pair counted whole) is shown as itself. */
    private static boolean plain(String text, int i) {
        char c = text.charAt(i);
        if (c >= 0x20 && c < 0x7f) {
            return true;
        }
        if (Character.isHighSurrogate(c)) {
            if (i + 1 >= text.length() || !Character.isLowSurrogate(text.charAt(i + 1))) {
                return false;
            }
            return shown(Character.toCodePoint(c, text.charAt(i + 1)));
        }
        if (Character.isLowSurrogate(c)) {
            // reached only when not after a high surrogate: the loop steps over pairs
            return false;
        }
        return shown(c);
    }

    /**
     * Controls (Cc), format characters (Cf: bidi, zero-width, U+FEFF...), line and paragraph separators and unassigned
     * code points hide or act; so do the other default-ignorable and blank characters a terminal draws as nothing
     * (fillers, variation selectors, the grapheme joiner, the braille blank: a second reading, 2026-12-06).
     */
    private static boolean shown(int codePoint) {
        return switch (Character.getType(codePoint)) {
            case Character.CONTROL, Character.FORMAT, Character.LINE_SEPARATOR, Character.PARAGRAPH_SEPARATOR,
                 Character.SURROGATE, Character.UNASSIGNED -> false;
            default -> !blank(codePoint);
        };
    }

    private static boolean blank(int c) {
        return c == 0x034f || c == 0x115f || c == 0x1160 || c == 0x17b4 || c == 0x17b5 || (c >= 0x180b && c <= 0x180f)
                || c == 0x2800 || c == 0x3164 || c == 0xffa0 || (c >= 0xfe00 && c <= 0xfe0f) || (c >= 0xe0000 && c <= 0xe0fff);
    }
}
