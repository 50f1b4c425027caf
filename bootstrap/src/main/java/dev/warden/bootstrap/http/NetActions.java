package dev.warden.bootstrap.http;

import dev.warden.bootstrap.ActionRequest;
import dev.warden.bootstrap.ActionScope;
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
 * The {@code net} catch-all at socket connect. The one connect a permitted HTTP request makes is
 * only checked (is it that client's, and does the address lead where the decision thought? see
 * {@link ConnectGrants}); any other connect is decided as {@code CONNECT host}, and so is the
 * connect to a proxy, whatever request it carries.
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
    public static IOException refusalForFastOpen(ActionScope scope, Object socket, InetAddress address, int port, String via) {
        if (Gate.isInternal()) {
            return null;
        }
        InetSocketAddress endpoint = new InetSocketAddress(address, port);
        IOException refusal = refusalFor(scope, endpoint, via);
        if (refusal == null) {
            FAST_OPENED.set(socket, endpoint);
        }
        return refusal;
    }

    /**
     * A native socket's connect (Netty's epoll or kqueue {@code Socket}, or an io_uring channel's unsafe): decided,
     * unless it completes a fast-open connect permitted to the same address. Netty connects a unix-domain socket here
     * too, past the JDK: its own {@code DomainSocketAddress} is decided as {@code CONNECT unix:<path>}. Any other address
     * type (Netty refuses those itself) is refused without calling its methods.
     *
     * @param socket the Netty socket or unsafe, whose Netty (shaded or not) defines the domain socket address type
     *               ({@link NettyDomainSockets})
     */
    public static IOException refusalForNativeConnect(ActionScope scope, Object socket, SocketAddress endpoint, String via) {
        if (Gate.isInternal()) {
            return null;
        }
        try {
            InetSocketAddress fastOpened = FAST_OPENED.get(socket);
            if (fastOpened != null && fastOpened.equals(endpoint)) { // the JDK's equals, never the endpoint's
                return null;
            }
            if (endpoint == null || endpoint instanceof InetSocketAddress) {
                return refusalFor(scope, endpoint, via);
            }
            String domainSocket = NettyDomainSockets.pathOf(socket, endpoint);
            if (domainSocket != null) {
                return UnixSocketActions.refusalFor(domainSocket, via);
            }
            return HttpActions.refusal(scope.refused(Decision.failClosed("could not describe the connect: an address of type "
                    + endpoint.getClass().getName() + ", never read", null)));
        } catch (Throwable failure) {
            return HttpActions.refusal(scope.refused(Decision.unreadable("could not describe the connect", failure)));
        }
    }

    /**
     * The connect of a SOCKS proxy: the proxy is a destination of its own, decided as a connect to it
     * whatever the request it will relay (which the socket's own connect decides).
     */
    public static IOException refusalForProxy(ActionScope scope, String proxyHost, int proxyPort) {
        if (proxyHost == null) {
            return null; // no proxy: the socket connects directly, decided at Socket.connect
        }
        try {
            return refusalFor(scope, InetSocketAddress.createUnresolved(proxyHost, proxyPort), "socks-proxy");
        } catch (Throwable failure) {
            return HttpActions.refusal(scope.refused(Decision.unreadable("could not describe the proxy connect", failure)));
        }
    }

    /**
     * @param endpoint where the socket is about to connect
     * @param via      {@code socket}, {@code channel} or {@code async-channel}
     * @return the exception the connect must fail with, or null when it may proceed
     */
    public static IOException refusalFor(ActionScope scope, SocketAddress endpoint, String via) {
        if (Gate.isInternal()) {
            return null; // Warden's own connection (a store, an exporter)
        }
        if (!(endpoint instanceof InetSocketAddress)) {
            return null; // Unix domain sockets: decided where the JDK opens them
        }
        try {
            InetSocketAddress inet = (InetSocketAddress) endpoint;
            Host host = Host.of(inet.getHostString());
            InetAddress resolved = inet.getAddress();
            AddressClass actual = resolved != null ? AddressClass.reached(resolved) : host.addressClass();
            ConnectGrants.Grant grant = ConnectGrants.take(host, inet.getPort(), resolved, actual);
            if (grant != null && !grant.rebinding() && !StoreEndpoint.reached(resolved, inet.getPort())) {
                return null; // the one connect of a permitted HTTP request, to where it was decided to go
            }
            // Decided for the address when its name is no answer of the resolver's for it (getByAddress(name, bytes)).
            Host decided = ResolvedNames.decidedFor(host, resolved);
            Map<String, Object> attributes = new HashMap<>(16);
            attributes.put("net.host", decided.name());
            if (decided != host) {
                attributes.put("net.host.claimed", host.name());
            }
            attributes.put("net.port", (long) inet.getPort());
            attributes.put("net.via", via);
            if (resolved != null) {
                attributes.put("net.address", resolved.getHostAddress());
            }
            attributes.put("address.class", actual.label());
            if (grant != null && grant.rebinding()) {
                // DNS rebinding: the request was decided for a public host that now resolves inside, or for a name
                // that resolves to loopback or link-local (cloud metadata) when its spelling did not say so.
                attributes.put("net.rebinding", true);
                attributes.put("http.decided.class", grant.decided().label());
            }
            String error = host.error() != null ? host.error() : decided.error();
            if (error != null) {
                attributes.put("url.error", error);
            }
            Decision decision = scope.decide(new ActionRequest(SURFACE, "CONNECT", decided.name(), attributes));
            return decision.blocks() ? HttpActions.refusal(decision) : null;
        } catch (Throwable failure) {
            return HttpActions.refusal(scope.refused(Decision.unreadable("could not describe the connect", failure)));
        }
    }
}
