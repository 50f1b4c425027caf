package dev.warden.bootstrap.langchain4j;

import dev.warden.bootstrap.Obligations;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Applies a permit's obligations to a tool result's text before the model reads it: the values of
 * named fields are redacted (JSON members {@code "ssn": ...} and {@code ssn=...}/{@code ssn: ...}
 * pairs), and with {@code maskPii} personal data anywhere in the text is masked — e-mail addresses,
 * card numbers (only digit runs that pass the Luhn check, so order numbers survive), national ids
 * (US SSN, UK NINO) and phone numbers.
 */
public final class ResultFilter {

    public static final String REDACTED = "[REDACTED]";

    /** What the model reads when a result's obligations cannot be applied to it (not text). */
    public static final String WITHHELD = "warden: the tool's result was withheld: its obligations apply only to text results";

    private static final Pattern EMAIL = Pattern.compile("[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\\.[A-Za-z0-9-]+)*\\.[A-Za-z]{2,}");
    private static final Pattern CARD = Pattern.compile("(?<![\\d-])\\d(?:[ -]?\\d){12,18}(?![\\d-])");
    private static final Pattern NATIONAL_ID = Pattern.compile(
            "(?<![\\w-])(?:\\d{3}-\\d{2}-\\d{4}|[A-CEGHJ-PR-TW-Z]{2} ?\\d{2} ?\\d{2} ?\\d{2} ?[A-D])(?![\\w-])");
    private static final Pattern PHONE = Pattern.compile("(?<![\\w+])\\+?\\(?\\d[\\d ().-]{6,}\\d(?![\\w])");

    private ResultFilter() {
    }

    /** The text as the obligations allow the model to see it; the text itself when nothing applies. */
    public static String restrict(String text, Obligations obligations) {
        if (text == null || text.isEmpty() || (obligations.redact().isEmpty() && !obligations.maskPii())) {
            return text;
        }
        String restricted = text;
        for (String field : obligations.redact()) {
            restricted = redactField(restricted, field);
        }
        return obligations.maskPii() ? maskPii(restricted) : restricted;
    }

    static String redactField(String text, String field) {
        String name = Pattern.quote(field);
        // JSON: "field": "value" | number | true | false | null
        String json = "(?i)(\"" + name + "\"\\s*:\\s*)(?:\"(?:[^\"\\\\]|\\\\.)*\"|[-+0-9.eE]+|true|false|null)";
        String redacted = text.replaceAll(json, "$1\"" + Matcher.quoteReplacement(REDACTED) + "\"");
        // Plain text: field=value, field: value (up to the next separator).
        String plain = "(?i)(?<![\\w\"])(" + name + "\\s*[=:]\\s*)(?!\\s*\")[^,;\\s}\\]]+";
        return redacted.replaceAll(plain, "$1" + Matcher.quoteReplacement(REDACTED));
    }

    static String maskPii(String text) {
        String masked = EMAIL.matcher(text).replaceAll("[EMAIL]");
        masked = replaceCards(masked);
        masked = NATIONAL_ID.matcher(masked).replaceAll("[NATIONAL-ID]");
        return replacePhones(masked);
    }

    private static String replaceCards(String text) {
        Matcher matcher = CARD.matcher(text);
        StringBuilder out = new StringBuilder(text.length());
        while (matcher.find()) {
            matcher.appendReplacement(out, luhn(matcher.group()) ? "[CARD]" : Matcher.quoteReplacement(matcher.group()));
        }
        matcher.appendTail(out);
        return out.toString();
    }

    private static String replacePhones(String text) {
        Matcher matcher = PHONE.matcher(text);
        StringBuilder out = new StringBuilder(text.length());
        while (matcher.find()) {
            long digits = matcher.group().chars().filter(Character::isDigit).count();
            // 8 to 15 digits (E.164's maximum), written as a phone number is: with a leading + or
            // separators. A bare run of digits is an id or an amount.
            String candidate = matcher.group();
            boolean written = candidate.startsWith("+") || candidate.chars().anyMatch(c -> " ().-".indexOf(c) >= 0);
            boolean phone = digits >= 8 && digits <= 15 && written && !looksLikeDecimal(candidate) && !looksLikeDate(candidate);
            matcher.appendReplacement(out, phone ? "[PHONE]" : Matcher.quoteReplacement(matcher.group()));
        }
        matcher.appendTail(out);
        return out.toString();
    }

    private static boolean looksLikeDecimal(String candidate) {
        return candidate.matches("\\d+\\.\\d+");
    }

    private static boolean looksLikeDate(String candidate) {
        return candidate.matches("\\d{4}-\\d{2}-\\d{2}|\\d{2}\\.\\d{2}\\.\\d{4}");
    }

    /** The Luhn checksum every payment card number satisfies. */
    static boolean luhn(String candidate) {
        int sum = 0;
        boolean doubled = false;
        int digits = 0;
        for (int i = candidate.length() - 1; i >= 0; i--) {
            char c = candidate.charAt(i);
            if (!Character.isDigit(c)) {
                continue;
            }
            int digit = c - '0';
            if (doubled) {
                digit *= 2;
                if (digit > 9) {
                    digit -= 9;
                }
            }
            sum += digit;
            doubled = !doubled;
            digits++;
        }
        return digits >= 13 && sum % 10 == 0;
    }
}
