package dev.warden.verifier.cli;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class TerminalTextTest {

    @Test
    void plainTextIsShownAsItIs() {
        assertThat(TerminalText.of("rm -rf scratch.tmp  DELETE FROM orders WHERE id = 1 é 日本 \ud83d\ude00")).isEqualTo(
                "rm -rf scratch.tmp  DELETE FROM orders WHERE id = 1 é 日本 \ud83d\ude00");
        assertThat(TerminalText.of(null)).isEqualTo("null");
    }

    @Test
    void lineBreaksAndTabsAreEscapesSoOneValueIsOneLine() {
        assertThat(TerminalText.of("a\nb\r\nc\td")).isEqualTo("a\\nb\\r\\nc\\td");
    }

    @Test
    void escapeSequencesCannotRedrawTheTerminal() {
        assertThat(TerminalText.of("rm -rf important\u001b[2K\u001b[G\u001b[1A-f scratch.tmp\u0007\b"))
                .isEqualTo("rm -rf important\\u001b[2K\\u001b[G\\u001b[1A-f scratch.tmp\\u0007\\u0008");
    }

    /** A second reading: characters a terminal draws as nothing made two values print alike. */
    @Test
    void blankAndDefaultIgnorableCharactersAreEscapedToo() {
        assertThat(TerminalText.of("a\u115fb\u3164c\u2800d\u034fe\ufe0ff\u180bg\uffa0h\u2065i"))
                .isEqualTo("a\\u115fb\\u3164c\\u2800d\\u034fe\\ufe0ff\\u180bg\\uffa0h\\u2065i");
        assertThat(TerminalText.of("x" + new String(Character.toChars(0xe0100)) + "y")).isEqualTo("x\\udb40\\udd00y");
    }

    @Test
    void aBackslashIsShownAsItself() {
        assertThat(TerminalText.of("C:\\tmp\\x1b")).isEqualTo("C:\\tmp\\x1b");
    }

    @Test
    void everyControlAndInvisibleCharacterIsEscaped() {
        StringBuilder hidden = new StringBuilder();
        for (int c = 0; c < 0x20; c++) {
            hidden.append((char) c);
        }
        for (int c = 0x7f; c <= 0x9f; c++) {
            hidden.append((char) c);
        }
        for (char c : new char[] {0x061c, 0x200e, 0x200f, 0x202a, 0x202b, 0x202c, 0x202d, 0x202e, 0x2066, 0x2067, 0x2068, 0x2069,
                0x200b, 0x200c, 0x200d, 0x2060, 0x2061, 0x2062, 0x2063, 0x2064, 0xfeff, 0x180e, 0x2028, 0x2029, 0xdc00, 0xd800}) { // the last two: unpaired, a low before a high
            hidden.append(c);
        }
        String shown = TerminalText.of(hidden.toString());
        assertThat(shown.chars()).allMatch(c -> c >= 0x20 && c < 0x7f);
        assertThat(shown).contains("\\u0000", "\\u001b", "\\u007f", "\\u0085", "\\u009f", "\\u202e", "\\u2066", "\\u200b", "\\ufeff",
                "\\u180e", "\\u2028", "\\u2029", "\\ud800", "\\udc00");
    }

    @Test
    void anUnpairedSurrogateOrAnInvisibleSupplementaryCharacterIsEscapedWhole() {
        assertThat(TerminalText.of("x\ud83dy")).isEqualTo("x\\ud83dy");
        assertThat(TerminalText.of("\ude00")).isEqualTo("\\ude00");
        assertThat(TerminalText.of("tag\udb40\udc01")).isEqualTo("tag\\udb40\\udc01"); // U+E0001 LANGUAGE TAG
    }

    @Test
    void aBidiOverrideCannotReorderWhatFollows() {
        assertThat(TerminalText.of("invoice_\u202egpj.exe")).isEqualTo("invoice_\\u202egpj.exe");
    }

    /** An eighth review (2026-12-07): a mail to {@code exаmple.com} (Cyrillic {@code а}) was shown as one to example.com. */
    @Test
    void aWordMixingScriptsALookAlikeIsShownWithItsForeignLettersEscaped() {
        assertThat(TerminalText.of("ceo@ex\u0430mple.com")).isEqualTo("ceo@ex\\u0430mple.com");
        assertThat(TerminalText.of("g\u03bfogle.com p\u0430yp\u0430l")).isEqualTo("g\\u03bfogle.com p\\u0430yp\\u0430l");
        assertThat(TerminalText.of("\u0430\u0440\u0440le")).isEqualTo("\\u0430\\u0440\\u0440le"); // Cyrillic then Latin
    }

    @Test
    void wordsOfOneScriptAndTheMixesWritingSystemsUseAreShownAsTheyAre() {
        for (String text : java.util.List.of("café déjà-vu", "пример письма", "ελληνικά", "日本語のテキスト", "ID番号とカナ", "한국어 漢字",
                "Grüße, Москва 2026", "naïve", "e\u0301cole")) {
            assertThat(TerminalText.of(text)).as(text).isEqualTo(text);
        }
    }
}
