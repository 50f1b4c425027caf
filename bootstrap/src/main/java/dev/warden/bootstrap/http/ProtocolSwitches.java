package dev.warden.bootstrap.http;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * The headers with which the JDK {@code HttpClient}'s own request asks the server to switch protocols, already on it
 * when it is decided: the opening handshake of {@code HttpClient.newWebSocketBuilder()} is a request object of the
 * client's own ({@code HttpRequestImpl}), whose {@code Connection: Upgrade} and {@code Upgrade: websocket} the
 * client sets as its "system" headers, beside the application's, before it calls {@code sendAsync}. The decision
 * reads the application's headers ({@code request.headers()}), which hold neither, so a rule refusing protocol
 * switches by {@code http.header.names} (HTTP.md, Limits) saw a plain {@code GET}; after the switch what the
 * socket sends is no HTTP request, and no decision sees it. OkHttp sets the same two as the request's own headers,
 * which the decision sees. (The JDK's {@code h2c} upgrade sets its own only later, where it writes the head, and
 * keeps sending HTTP requests, each decided.)
 */
public final class ProtocolSwitches {

    private static final String CLIENTS_OWN_REQUEST = "jdk.internal.net.http.HttpRequestImpl";

    private ProtocolSwitches() {
    }

    /** The header names a decision reads, and the digest of the header lines it binds. */
    public record DecidedHeaders(Collection<String> names, String digest) {
    }

    /**
     * What the decision of {@code request} reads of its headers: the application's ({@code headers}, as
     * {@code request.headers().map()} gives them), and the switch lines the client set on its own request ({@link #of}).
     */
    public static DecidedHeaders decided(Object request, Map<String, List<String>> headers) throws ReflectiveOperationException {
        List<String> switches = of(request);
        if (switches.isEmpty()) {
            return new DecidedHeaders(headers.keySet(), RequestHeaders.digest(headers));
        }
        List<String> names = new ArrayList<>(headers.keySet());
        for (int i = 0; i < switches.size(); i += 2) {
            names.add(switches.get(i));
        }
        List<String> lines = RequestHeaders.lines(headers);
        lines.addAll(switches);
        return new DecidedHeaders(names, RequestHeaders.digest(lines));
    }

    /**
     * The {@code Connection} and {@code Upgrade} lines the JDK client has set on {@code request} itself, as a name,
     * its value, the next name...; empty for a request object of the application's (the public builder's), which
     * carries none. Reflection, as {@link FilteredRequests}: {@code java.net.http} is no module the boot loader's
     * classes see, and the agent opens {@code jdk.internal.net.http} to Warden.
     */
    public static List<String> of(Object request) throws ReflectiveOperationException {
        if (request == null || !request.getClass().getName().equals(CLIENTS_OWN_REQUEST)) {
            return List.of();
        }
        List<String> lines = new ArrayList<>();
        for (Map.Entry<String, List<String>> header : FilteredRequests.systemHeaders(request).entrySet()) {
            if (header.getKey().equalsIgnoreCase("Connection") || header.getKey().equalsIgnoreCase("Upgrade")) {
                for (String value : header.getValue()) {
                    lines.add(header.getKey());
                    lines.add(value);
                }
            }
        }
        return lines;
    }
}
