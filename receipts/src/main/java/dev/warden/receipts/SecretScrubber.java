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

    /** Summary keys come from a small vocabulary: decide each once, not on every receipt (bounded). */
    private static final int MAX_KNOWN_KEYS = 4096;
    private static final java.util.concurrent.ConcurrentHashMap<String, Boolean> KNOWN_KEYS =
            new java.util.concurrent.ConcurrentHashMap<>();

    private SecretScrubber() {
    }

    /** The same map when nothing needs scrubbing (the usual case, and allocation-free). */
    static Map<String, String> scrub(Map<String, String> summary) {
        Map<String, String> scrubbed = null;
        for (Map.Entry<String, String> e : summary.entrySet()) {
            if (e.getValue() != null && !REDACTED.equals(e.getValue()) && namesSecretCached(e.getKey())) {
                if (scrubbed == null) {
                    scrubbed = new TreeMap<>(summary);
                }
                scrubbed.put(e.getKey(), REDACTED);
            }
        }
        return scrubbed == null ? summary : scrubbed;
    }

    private static boolean namesSecretCached(String key) {
        Boolean known = KNOWN_KEYS.get(key);
        if (known == null) {
            known = namesSecret(key);
            if (KNOWN_KEYS.size() < MAX_KNOWN_KEYS) {
                KNOWN_KEYS.put(key, known);
            }
        }
        return known;
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
