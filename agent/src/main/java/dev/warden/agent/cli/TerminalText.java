package dev.warden.agent.cli;

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
 * A word that mixes scripts a reader takes for one another ({@code ex}, Cyrillic {@code а}, {@code mple}) has its
 * letters beyond ASCII escaped too, so that a look-alike never reads as the word it imitates (an eighth review,
 * 2026-12-07: an approver was shown {@code ceo@exаmple.com} for a mail to another domain than {@code example.com}).
 * <p>
 * The verifier has its own copy, {@code dev.warden.verifier.cli.TerminalText}: it shares no code with the gate.
 */
public final class TerminalText {
    private TerminalText() {
    }

    /** The value as it may be printed; {@code null} as {@code null}. */
    public static String of(Object value) {
        String text = String.valueOf(value);
        java.util.BitSet lookAlikes = lookAlikes(text);
        StringBuilder out = null; // made at the first character to escape: most values have none
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (plain(text, i) && (lookAlikes == null || !lookAlikes.get(i))) {
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

    /**
     * The characters beyond ASCII of each word (a run of letters, marks and digits) whose scripts a single-script reader
     * would not mix (UTS #39's "highly restrictive" level: one script, or Latin with Han and Japanese kana, Han and Bopomofo,
     * or Han and Hangul): {@code exаmple} with a Cyrillic {@code а}, {@code pаypal}, Greek {@code ο} in {@code gοogle}.
     * Words of one script ({@code café}, {@code пример}, {@code 日本語}) are shown as they are. Null when there is none.
     */
    private static java.util.BitSet lookAlikes(String text) {
        if (text.chars().allMatch(c -> c < 0x80)) {
            return null; // almost every value: no word of it can mix scripts
        }
        java.util.BitSet escaped = new java.util.BitSet();
        int start = -1;
        for (int i = 0; i <= text.length(); ) {
            int cp = i < text.length() ? text.codePointAt(i) : -1;
            boolean inWord = cp >= 0x80 ? Character.isLetterOrDigit(cp) || isMark(cp) : cp >= 0 && Character.isLetterOrDigit(cp);
            if (inWord && start < 0) {
                start = i;
            } else if (!inWord && start >= 0) {
                if (mixesScripts(text, start, i)) {
                    for (int j = start; j < i; j++) {
                        if (text.charAt(j) >= 0x80) {
                            escaped.set(j);
                        }
                    }
                }
                start = -1;
            }
            i += cp > 0xffff ? 2 : 1;
        }
        return escaped;
    }

    private static boolean isMark(int cp) {
        int type = Character.getType(cp);
        return type == Character.NON_SPACING_MARK || type == Character.COMBINING_SPACING_MARK || type == Character.ENCLOSING_MARK;
    }

    private static boolean mixesScripts(String text, int from, int to) {
        java.util.EnumSet<Character.UnicodeScript> scripts = java.util.EnumSet.noneOf(Character.UnicodeScript.class);
        boolean beyondAscii = false;
        for (int i = from; i < to; ) {
            int cp = text.codePointAt(i);
            beyondAscii |= cp >= 0x80;
            Character.UnicodeScript script = Character.UnicodeScript.of(cp);
            if (script != Character.UnicodeScript.COMMON && script != Character.UnicodeScript.INHERITED) {
                scripts.add(script);
            }
            i += Character.charCount(cp);
        }
        if (!beyondAscii || scripts.size() <= 1) {
            return false;
        }
        for (java.util.Set<Character.UnicodeScript> allowed : ALLOWED_MIXES) {
            if (allowed.containsAll(scripts)) {
                return false;
            }
        }
        return true;
    }

    /** The mixes of scripts that writing systems use in one word (UTS #39, "highly restrictive"). */
    private static final java.util.List<java.util.Set<Character.UnicodeScript>> ALLOWED_MIXES = java.util.List.of(
            java.util.EnumSet.of(Character.UnicodeScript.LATIN, Character.UnicodeScript.HAN, Character.UnicodeScript.HIRAGANA,
                    Character.UnicodeScript.KATAKANA),
            java.util.EnumSet.of(Character.UnicodeScript.LATIN, Character.UnicodeScript.HAN, Character.UnicodeScript.BOPOMOFO),
            java.util.EnumSet.of(Character.UnicodeScript.LATIN, Character.UnicodeScript.HAN, Character.UnicodeScript.HANGUL));

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
