package dev.warden.bootstrap.http;

import dev.warden.bootstrap.ActionRequest;
import dev.warden.bootstrap.Decision;
import dev.warden.bootstrap.Gate;

import java.io.IOException;
import java.net.InetAddress;
import java.util.Map;

/**
 * {@code InetAddress.isReachable} under {@code net}: {@code PROBE <address>}. It sends an ICMP echo
 * request, or without the privilege for that, tries a TCP connect to port 7: traffic to the address
 * either way, and a way to map a network. A probe of its own, not a {@code CONNECT}, so that rules
 * that permit connecting to a service do not also permit sweeping its network.
 */
public final class ReachabilityProbes {

    private ReachabilityProbes() {
    }

    /**
     * @param address the address probed (an {@code Inet4Address} or {@code Inet6Address}: JDK classes only)
     * @param ttl     the probe's time to live, 0 for the default
     * @return the exception the probe must fail with, or null when it may proceed
     */
    public static IOException refusalFor(InetAddress address, int ttl) {
        if (Gate.isInternal()) {
            return null;
        }
        try {
            Map<String, Object> attributes = Endpoints.base("reachability", "icmp");
            String literal = address.getHostAddress();
            // toString is "name/literal" with the name the address was created with, never a lookup.
            String shown = address.toString();
            int slash = shown.indexOf('/');
            Host host = Host.of(literal);
            attributes.put("net.host", slash > 0 ? Host.of(shown.substring(0, slash)).name() : host.name());
            attributes.put("net.address", literal);
            attributes.put("net.ttl", (long) ttl);
            attributes.put("address.class", AddressClass.reached(address).label());
            Decision decision = Gate.decide(new ActionRequest(NetActions.SURFACE, "PROBE", host.name(), attributes));
            return decision.blocks() ? HttpActions.refusal(decision) : null;
        } catch (RuntimeException | Error failure) {
            return HttpActions.refusal(Gate.refuseUnreadable(NetActions.SURFACE,
                    Decision.unreadable("could not describe the reachability probe", failure)));
        }
    }
}
