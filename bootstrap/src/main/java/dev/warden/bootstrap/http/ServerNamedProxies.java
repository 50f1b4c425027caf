package dev.warden.bootstrap.http;

import dev.warden.bootstrap.ActionScope;
import dev.warden.bootstrap.Decision;

import java.io.IOException;
import java.net.URI;

/**
 * {@code 305 Use Proxy}: the server tells the client to send the request again through the proxy its {@code Location}
 * names. {@code HttpURLConnection} still follows it, sending the decided request, on the decided request's grant, to
 * a host no decision named (a database port a {@code net} rule permits for another reason, anything the server
 * likes) and handing back that host's answer as the API's. RFC 7231 §6.4.5 deprecated 305 for exactly this; no other
 * client follows it. A proxy the server names is never used: following a 305 is refused, with a receipt that says why.
 */
public final class ServerNamedProxies {

    static final int USE_PROXY = 305;
    private static final int MAX_NAMED = 300;

    private ServerNamedProxies() {
    }

    /** The refusal to follow an answer of {@code status} whose {@code Location} is {@code location}, or null for any other. */
    public static IOException refusalFor(int status, String location) {
        if (status != USE_PROXY) {
            return null;
        }
        ActionScope scope = ActionScope.enter(HttpActions.SURFACE);
        try {
            String reason = "the server answered 305 Use Proxy, naming the proxy " + proxyOf(location)
                    + ": a proxy the server names is never used (RFC 7231 6.4.5), the request is not sent again through it";
            if (scope.isWardensOwn()) {
                return new IOException("warden: " + reason);
            }
            return HttpActions.refusal(scope.refused(Decision.failClosed(reason, null)));
        } finally {
            scope.exit();
        }
    }

    /** Where the location points ({@code host:port}), never its path or query; bounded. */
    static String proxyOf(String location) {
        try {
            URI uri = new URI(location);
            String named = uri.getRawAuthority() == null ? "(no authority)" : uri.getHost() + ":" + uri.getPort();
            return named.length() <= MAX_NAMED ? named : named.substring(0, MAX_NAMED);
        } catch (Exception unparseable) {
            return "(an unparseable location)";
        }
    }
}
