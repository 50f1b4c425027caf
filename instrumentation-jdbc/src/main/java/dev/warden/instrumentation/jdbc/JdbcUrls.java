package dev.warden.instrumentation.jdbc;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** JDBC URLs as receipts and rules may see them: without credentials. */
final class JdbcUrls {

    /** {@code //user:password@host} in URL authority form. */
    private static final Pattern USER_INFO = Pattern.compile("//[^/?;@]*@");

    /** A {@code key=value} parameter after {@code ?}, {@code &} or {@code ;} whose key names a secret. */
    private static final Pattern SECRET_PARAMETER = Pattern.compile(
            "([?&;])([^=&;?]*(?:password|passwd|pwd|secret|token|credential)[^=&;?]*)=[^&;]*",
            Pattern.CASE_INSENSITIVE);

    private JdbcUrls() {
    }

    static String withoutCredentials(String url) {
        if (url == null) {
            return null;
        }
        String stripped = USER_INFO.matcher(url).replaceFirst("//");
        Matcher secrets = SECRET_PARAMETER.matcher(stripped);
        return secrets.replaceAll(match -> Matcher.quoteReplacement(match.group(1) + match.group(2) + "=***"));
    }

    /** {@code h2}, {@code postgresql}, {@code mariadb}, {@code sqlite}, ... from the product name. */
    static String system(String productName) {
        return productName == null ? "unknown" : productName.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "");
    }
}
