package dev.warden.instrumentation.jdbc;

import dev.warden.bootstrap.jdbc.PlainValues;

import java.util.Locale;
import java.util.regex.Pattern;

/** JDBC URLs as receipts and rules may see them: without credentials, and without SQL in their settings. */
final class JdbcUrls {

    /** {@code //user:password@host} in URL authority form. */
    private static final Pattern USER_INFO = Pattern.compile("//[^/?;@]*@");

    /** A key that names a secret. */
    private static final Pattern SECRET_KEY = Pattern.compile(".*(?:password|passwd|pwd|secret|token|credential).*",
            Pattern.CASE_INSENSITIVE | Pattern.DOTALL);

    private static final Pattern PLAIN_KEY = Pattern.compile("[A-Za-z0-9_.-]+");

    private JdbcUrls() {
    }

    /**
     * The URL without credentials and without SQL: parameters ({@code key=value} after {@code ?},
     * {@code &} or {@code ;}, a backslash escaping any character as in H2) are kept while key and value
     * are {@linkplain PlainValues plain}; a secret's value is masked; from the first parameter that is
     * not plain on, everything is masked. Such a value is SQL (H2's {@code INIT}, MariaDB's
     * {@code initSql}, an H2 setting carrying a second command), SQL literals never reach receipts,
     * and where it ends is the driver's reading, not Warden's.
     */
    static String withoutCredentials(String url) {
        if (url == null) {
            return null;
        }
        String stripped = USER_INFO.matcher(url).replaceFirst("//");
        int start = firstOf(stripped, 0, "?;");
        if (start < 0) {
            return stripped;
        }
        StringBuilder out = new StringBuilder(stripped.length()).append(stripped, 0, start);
        while (start < stripped.length()) {
            int end = firstOf(stripped, start + 1, "&;?");
            end = end < 0 ? stripped.length() : end;
            String parameter = stripped.substring(start + 1, end);
            int equals = parameter.indexOf('=');
            String key = equals < 0 ? parameter : parameter.substring(0, equals);
            boolean plainKey = PLAIN_KEY.matcher(key).matches() || key.isEmpty();
            out.append(stripped.charAt(start));
            if (plainKey && equals >= 0 && SECRET_KEY.matcher(key).matches()) {
                out.append(key).append("=***");
            } else if (plainKey && (equals < 0 || PlainValues.isPlain(parameter.substring(equals + 1)))) {
                out.append(parameter);
            } else {
                out.append(plainKey ? key + "=" : "").append("***");
                break;
            }
            start = end;
        }
        return out.toString();
    }

    /** The index of the first of {@code characters} at or after {@code from} that no backslash escapes, or -1. */
    private static int firstOf(String url, int from, String characters) {
        for (int i = from; i < url.length(); i++) {
            char c = url.charAt(i);
            if (c == '\\') {
                i++;
            } else if (characters.indexOf(c) >= 0) {
                return i;
            }
        }
        return -1;
    }

    /** {@code h2}, {@code postgresql}, {@code mariadb}, {@code sqlite}, ... from the product name. */
    static String system(String productName) {
        return productName == null ? "unknown" : productName.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "");
    }
}
