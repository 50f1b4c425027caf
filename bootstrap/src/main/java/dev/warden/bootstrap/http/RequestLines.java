package dev.warden.bootstrap.http;

/**
 * Whether a request line is written as the one request it was decided as. OkHttp writes the method an application
 * gives it as it is ({@code METHOD SP target SP HTTP/1.1}), line breaks included: the method
 * {@code DELETE /admin/x HTTP/1.1\r\nX-Note:} on a request to {@code /api/ok} is written as a {@code DELETE /admin/x}
 * whose {@code X-Note} header holds the rest, while the decision saw the path {@code /api/ok} and an operation no rule
 * names, which a rule permitting any method of the API lets through. Apache HttpClient 4 and 5 write a method, and
 * Apache 5 the raw path of a request built from one, as given too, their buffers turning each control character into
 * {@code ?}; a method holding a space still moves the target a lenient server reads. So a method must be an RFC 9110
 * token, and a path and query hold no control character (RFC 9112 §3.2: a request target has none); any other is
 * refused, fail-closed whatever the policy, with a receipt. The JDK client refuses such a method itself, its
 * {@code HttpURLConnection} a line feed in a URL, and OkHttp encodes a path's.
 */
final class RequestLines {

    private RequestLines() {
    }

    /** Why a request of {@code method}, {@code path} and {@code query} is not written as decided, or null. */
    static String mismatch(String method, String path, String query) {
        if (method != null && !MessageFraming.isToken(method)) {
            return "a method of " + method.length() + " characters that is not a token (RFC 9110: a space, a line break"
                    + " or another control character, or nothing): a server reads the request line it ends as another request";
        }
        if (hasControl(path) || hasControl(query)) {
            return "a request target holding a control character (a line break, a tab, a NUL): a server reads the request"
                    + " line it ends as another request";
        }
        return null;
    }

    private static boolean hasControl(String text) {
        if (text == null) {
            return false;
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                return true;
            }
        }
        return false;
    }
}
