package dev.warden.instrumentation.http;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * The path a lenient server serves, for {@code url.path.normalized}: a client sends {@code /api/../admin},
 * {@code /api/%2e%2e/admin} or {@code /api/..;/admin} as written, most servers serve {@code /admin}, and some (the JDK's
 * own HTTP server, Express) route the raw path. Neither reading alone is safe for every rule (an allow-list on the raw
 * path lets {@code /api/../admin} through, a deny-list on the normalised one lets {@code /admin/../v1} through), so
 * {@code url.path} stays as sent and {@code url.path.ambiguous} says when the two differ. Read as leniently as the
 * servers that read the most into a path:
 * <ul>
 *   <li>percent-encoded unreserved characters are decoded (RFC 3986 §6.2.2.2: {@code %2e} is {@code .}), and so are
 *       encoded slashes and backslashes, which some servers decode before they split the path;</li>
 *   <li>a backslash is a slash (IIS, some Java servers);</li>
 *   <li>each segment's parameters ({@code ;jsessionid=...}) are dropped, as servlet containers drop them before they
 *       map a path ({@code ..;} is {@code ..} there);</li>
 *   <li>empty segments are merged ({@code //admin} is {@code /admin}), and {@code .} and {@code ..} removed
 *       (RFC 3986 §5.2.4); a {@code ..} above the root stays at the root.</li>
 * </ul>
 * Any other percent-encoding is kept as written, with its hex digits upper-cased.
 */
final class UrlPaths {

    private UrlPaths() {
    }

    static String normalize(String raw) {
        if (raw == null || raw.isEmpty()) {
            return "/";
        }
        String decoded = decodeSeparatorsAndUnreserved(raw).replace('\\', '/');
        Deque<String> segments = new ArrayDeque<>();
        boolean trailingSlash = false;
        for (String segment : decoded.split("/", -1)) {
            int parameters = segment.indexOf(';');
            String name = parameters >= 0 ? segment.substring(0, parameters) : segment;
            trailingSlash = name.isEmpty() || name.equals(".") || name.equals("..");
            if (name.equals("..")) {
                segments.pollLast();
            } else if (!name.isEmpty() && !name.equals(".")) {
                segments.addLast(name);
            }
        }
        StringBuilder path = new StringBuilder(decoded.length() + 1);
        for (String segment : segments) {
            path.append('/').append(segment);
        }
        if (path.length() == 0 || trailingSlash) {
            path.append('/');
        }
        return path.toString();
    }

    private static String decodeSeparatorsAndUnreserved(String raw) {
        if (raw.indexOf('%') < 0) {
            return raw;
        }
        StringBuilder out = new StringBuilder(raw.length());
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            int high = c == '%' && i + 2 < raw.length() ? Character.digit(raw.charAt(i + 1), 16) : -1;
            int low = high >= 0 ? Character.digit(raw.charAt(i + 2), 16) : -1;
            if (low < 0) {
                out.append(c);
                continue;
            }
            char decoded = (char) (high * 16 + low);
            if (unreserved(decoded) || decoded == '/' || decoded == '\\') {
                out.append(decoded);
            } else {
                out.append('%').append(Character.toUpperCase(raw.charAt(i + 1))).append(Character.toUpperCase(raw.charAt(i + 2)));
            }
            i += 2;
        }
        return out.toString();
    }

    private static boolean unreserved(char c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '.' || c == '_' || c == '~';
    }
}
