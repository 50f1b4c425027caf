package dev.warden.bootstrap.http;

import dev.warden.bootstrap.ActionRequest;
import dev.warden.bootstrap.Attachment;
import dev.warden.bootstrap.Decision;
import dev.warden.bootstrap.Gate;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.HashMap;
import java.util.Map;

/**
 * The {@code net} catch-all at socket connect. A connect that an HTTP decision already covers is
 * only checked (does the address lead where the decision thought?); any other connect is decided
 * as {@code CONNECT host}.
 */
public final class NetActions {

    public static final String SURFACE = "net";

    private static final Attachment<InetSocketAddress> FAST_OPENED = new Attachment<>();

    private NetActions() {
    }

    /**
     * A native socket's TCP Fast Open send, whose SYN carries the first bytes: decided as the connect
     * it is. When permitted, the connect call that completes it (Netty makes one when no fast-open
     * cookie let the data leave with the SYN) is the same connection, and is not decided again.
     */
    public static IOException refusalForFastOpen(Object socket, InetAddress address, int port, String via) {
        InetSocketAddress endpoint = new InetSocketAddress(address, port);
        IOException refusal = refusalFor(endpoint, via);
        if (refusal == null) {
            FAST_OPENED.set(socket, endpoint);
        }
        return refusal;
    }

    /** A native socket's connect: decided, unless it completes a fast-open connect permitted to the same address. */
    public static IOException refusalForNativeConnect(Object socket, SocketAddress endpoint, String via) {
        if (endpoint != null && endpoint.equals(FAST_OPENED.get(socket))) {
            return null;
        }
        return refusalFor(endpoint, via);
    }

    /**
     * @param endpoint where the socket is about to connect
     * @param via      {@code socket}, {@code channel} or {@code async-channel}
     * @return the exception the connect must fail with, or null when it may proceed
     */
    public static IOException refusalFor(SocketAddress endpoint, String via) {
        if (!(endpoint instanceof InetSocketAddress)) {
            return null; // Unix domain sockets do not leave the host
        }
        try {
            InetSocketAddress inet = (InetSocketAddress) endpoint;
            Host host = Host.of(inet.getHostString());
            InetAddress resolved = inet.getAddress();
            AddressClass actual = resolved != null ? AddressClass.of(resolved) : host.addressClass();
            DecidedDestinations.Grant grant = DecidedDestinations.lookup(host, inet.getPort());
            if (grant != null && !(grant.decided().isPublic() && !actual.isPublic())) {
                return null; // the connect of a permitted HTTP request, to where it was decided to go
            }
            Map<String, Object> attributes = new HashMap<>(16);
            attributes.put("net.host", host.name());
            attributes.put("net.port", (long) inet.getPort());
            attributes.put("net.via", via);
            if (resolved != null) {
                attributes.put("net.address", resolved.getHostAddress());
            }
            HttpActions.putAddressClass(attributes, actual);
            if (grant != null) {
                // DNS rebinding: the request was decided for a public host that now resolves inside.
                attributes.put("net.rebinding", true);
                attributes.put("http.decided.class", grant.decided().label());
            }
            if (host.error() != null) {
                attributes.put("url.error", host.error());
            }
            Decision decision = Gate.decide(new ActionRequest(SURFACE, "CONNECT", host.name(), attributes));
            return decision.blocks() ? HttpActions.refusal(decision) : null;
        } catch (RuntimeException | Error failure) {
            return HttpActions.refusal(Decision.failClosed("could not describe the connect: " + failure, null));
        }
    }
}
