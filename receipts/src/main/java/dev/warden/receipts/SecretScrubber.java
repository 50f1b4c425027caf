package dev.warden.receipts;

import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The log's last line of defence against secrets in receipts: a summary value whose key names a
 * secret is replaced by {@value #REDACTED}, whatever the gate did before. Keys are compared
 * case-insensitively, ignoring separators, so {@code X-Api-Key}, {@code api_key} and {@code apiKey}
 * all match "api key".
 */
final class SecretScrubber {
    static final String REDACTED = "[redacted]";
    private static final String[] SECRET_WORDS = {
            "password", "passwd", "secret", "token", "apikey", "authorization", "cookie"}; // "cookie" covers set-cookie

    private SecretScrubber() {
    }

    /** The same map when nothing needs scrubbing (the usual case, and allocation-free). */
    static Map<String, String> scrub(Map<String, String> summary) {
        Map<String, String> scrubbed = null;
        for (Map.Entry<String, String> e : summary.entrySet()) {
            if (e.getValue() != null && !REDACTED.equals(e.getValue()) && namesSecret(e.getKey())) {
                if (scrubbed == null) {
                    scrubbed = new TreeMap<>(summary);
                }
                scrubbed.put(e.getKey(), REDACTED);
            }
        }
        return scrubbed == null ? summary : scrubbed;
    }

    static boolean namesSecret(String key) {
        StringBuilder letters = new StringBuilder(key.length());
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            if (Character.isLetterOrDigit(c)) {
                letters.append(c);
            }
        }
        String normalized = letters.toString().toLowerCase(Locale.ROOT);
        for (String word : SECRET_WORDS) {
            if (normalized.contains(word)) {
                return true;
            }
        }
        return false;
    }
}
