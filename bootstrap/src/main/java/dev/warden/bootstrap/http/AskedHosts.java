package dev.warden.bootstrap.http;

import java.util.ArrayList;
import java.util.List;

/**
 * The host a request's {@code Host} header asks its server for, against the one the request is written to (and was
 * decided for): a server that hosts several names serves the one asked for, so a request decided for an API can ask
 * it for a name no decision saw ({@code Host: internal.example}). OkHttp and the Apache clients write an
 * application's {@code Host} as given; {@code HttpURLConnection} and the JDK client do when
 * {@code sun.net.http.allowRestrictedHeaders} or {@code jdk.httpclient.allowRestrictedHeaders} is set, system
 * properties the host's own code can set at run time before the client is first used.
 */
final class AskedHosts {

    private AskedHosts() {
    }

    /** The {@code Host} values among header lines (a name, its value, the next name...), in order. */
    static List<String> valuesIn(List<String> headerLines) {
        List<String> values = new ArrayList<>(1);
        for (int i = 0; i + 1 < headerLines.size(); i += 2) {
            if ("host".equalsIgnoreCase(headerLines.get(i))) {
                values.add(headerLines.get(i + 1));
            }
        }
        return values;
    }

    /**
     * Why a request written to {@code written}'s host and port asks for another, or null when it asks for that one or
     * names none (the client adds its own).
     *
     * @param asked the request's {@code Host} values
     */
    static String mismatch(OutboundRequest written, List<String> asked) {
        if (asked.isEmpty()) {
            return null;
        }
        String decided = Host.of(written.host()).name() + ":" + written.effectivePort();
        if (asked.size() > 1 || asked.get(0) == null) {
            return "the request asks its server for " + asked.size() + " hosts, not for " + decided
                    + " where it was decided to go: no decision covers that";
        }
        String value = asked.get(0).trim();
        String host = value;
        // Without a port, the scheme's default (RFC 9110 §7.2), as a client writes it.
        int port = new OutboundRequest(written.client(), written.method(), written.scheme(), written.host(), -1, null, null,
                false, null, -1L, false).effectivePort();
        int colon = value.lastIndexOf(':');
        if (colon > value.lastIndexOf(']')) {
            host = value.substring(0, colon);
            String digits = value.substring(colon + 1);
            port = digits.isEmpty() || digits.length() > 5 || !digits.chars().allMatch(c -> c >= '0' && c <= '9')
                    ? -1 : Integer.parseInt(digits);
        }
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        if (host.isEmpty() || port != written.effectivePort() || !HttpActions.sameHost(host, written.host())) {
            return anotherHost(Host.of(host).name() + ":" + port, decided);
        }
        return null;
    }

    static String anotherHost(String asked, String decided) {
        return "the request asks its server for " + asked + ", not for " + decided
                + " where it was decided to go and connects: no decision covers that";
    }
}
