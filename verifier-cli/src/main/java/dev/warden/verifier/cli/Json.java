package dev.warden.verifier.cli;

/** Just enough JSON writing for the CLI's reports; receipts themselves are printed as their canonical JSON. */
final class Json {
    private Json() {
    }

    static String string(String s) {
        if (s == null) {
            return "null";
        }
        StringBuilder sb = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    // Also what would act on or hide from a terminal the report is read on (TerminalText): escaped, the same JSON.
                    if (c < 0x20 || c >= 0x7f && c <= 0x9f || Character.isSurrogate(c) || hides(c)) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.append('"').toString();
    }

    private static boolean hides(char c) {
        int type = Character.getType(c);
        return type == Character.FORMAT || type == Character.LINE_SEPARATOR || type == Character.PARAGRAPH_SEPARATOR || c == 0x180e;
    }
}
