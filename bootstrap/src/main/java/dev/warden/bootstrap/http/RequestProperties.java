package dev.warden.bootstrap.http;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The header names of an {@code HttpURLConnection}'s request, from its {@code getRequestProperties()}. On a redirect
 * hop the JDK keeps the request it wrote last, whose first line, the request line ({@code GET /api/x?key=value
 * HTTP/1.1}), is a key without a value there: it is no header, and its query values must never become a fact or a
 * receipt's field. A header name is a token, which has no space; a line without a value whose "name" has one is that
 * request line (or a line no server reads as a header), and is left out.
 */
public final class RequestProperties {

    private RequestProperties() {
    }

    /** The names of the header lines the connection writes, the request line left out. */
    public static List<String> headerNames(Map<String, List<String>> properties) {
        List<String> names = new ArrayList<>(properties.size());
        for (Map.Entry<String, List<String>> property : properties.entrySet()) {
            String name = property.getKey();
            List<String> values = property.getValue();
            if (name == null || (hasNoValue(values) && name.indexOf(' ') >= 0)) {
                continue;
            }
            names.add(name);
        }
        return names;
    }

    private static boolean hasNoValue(List<String> values) {
        if (values == null) {
            return true;
        }
        for (String value : values) {
            if (value != null) {
                return false;
            }
        }
        return true;
    }
}
