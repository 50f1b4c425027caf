package dev.warden.bootstrap.http;

import dev.warden.bootstrap.ActionDeniedException;
import dev.warden.bootstrap.ActionRequest;
import dev.warden.bootstrap.ActionScope;
import dev.warden.bootstrap.Decision;
import dev.warden.bootstrap.Gate;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.naming.NamingException;
import javax.naming.NoPermissionException;

/**
 * Name lookups under {@code net}: {@code RESOLVE <name>}, decided when a query is about to leave the
 * process (the JDK's name service behind {@code InetAddress}, a JNDI DNS query), never for a literal
 * address and never for an answer the JDK already has in its cache.
 */
public final class NameLookups {

    private static final int MAX_SERVERS = 16;

    private NameLookups() {
    }

    /**
     * {@code InetAddress} asking its resolver (the system's, a hosts file, or an installed
     * {@code InetAddressResolver}) for {@code name}.
     *
     * @return the {@link UnknownHostException} the lookup must fail with, or null when it may proceed
     */
    public static UnknownHostException refusalFor(String name) {
        if (Gate.isInternal()) {
            return null; // Warden's own lookups (a decision describing something, a receipt writer)
        }
        try {
            Map<String, Object> attributes = Endpoints.base("inet-address", "dns");
            String target = describeName(name, attributes);
            return unknownHost(Gate.decide(new ActionRequest(NetActions.SURFACE, "RESOLVE", target, attributes)));
        } catch (RuntimeException | Error failure) {
            return unknownHost(Gate.refuseUnreadable(NetActions.SURFACE, Decision.unreadable("could not describe the name lookup", failure)));
        }
    }

    /**
     * The resolver answered {@code name}: what it answered is what the name means at a connect ({@link ResolvedNames}).
     * Never throws (the lookup has succeeded; a failure here would fail it).
     */
    public static void answered(String name, InetAddress[] addresses) {
        try {
            ResolvedNames.record(name, addresses);
        } catch (RuntimeException | Error ignored) {
            // Not recorded: a connect to the name is then decided for its address, which fails closed.
        }
    }

    /**
     * A JNDI DNS query ({@code com.sun.jndi.dns.DnsClient.query}), asked of the context's servers.
     *
     * @param name    the fully qualified name queried (a {@code DnsName})
     * @param type    the query type (1 for A, 28 for AAAA, ...)
     * @param servers the servers the query would go to
     * @param ports   their ports
     * @return the {@link NamingException} the query must fail with, or null when it may proceed
     */
    public static NamingException refusalForDnsQuery(ActionScope scope, Object name, int type, InetAddress[] servers, int[] ports) {
        try {
            Map<String, Object> attributes = Endpoints.base("jndi-dns", "dns");
            String target = describeName(name == null ? null : name.toString(), attributes);
            attributes.put("dns.type", typeName(type));
            attributes.put("dns.servers", servers(servers, ports));
            return noPermission(scope.decideAsPartOfEnclosing(new ActionRequest(NetActions.SURFACE, "RESOLVE", target, attributes)));
        } catch (RuntimeException | Error failure) {
            return noPermission(Gate.refuseUnreadable(NetActions.SURFACE, Decision.unreadable("could not describe the DNS query", failure)));
        }
    }

    private static String describeName(String name, Map<String, Object> attributes) {
        Host host = Host.of(name);
        attributes.put("address.class", host.addressClass().label());
        if (host.error() != null) {
            attributes.put("url.error", host.error());
        }
        return host.name();
    }

    /**
     * Every server the query may go to: the JDK asks each in turn until one answers, so a server left out of the facts
     * would be asked undecided (a second review's: 16 that do not answer, then the attacker's). More than
     * {@value #MAX_SERVERS} is refused as unreadable rather than recorded at any length.
     */
    private static List<String> servers(InetAddress[] servers, int[] ports) {
        if (servers != null && servers.length > MAX_SERVERS) {
            throw new IllegalArgumentException(servers.length + " DNS servers, more than " + MAX_SERVERS);
        }
        List<String> endpoints = new ArrayList<>();
        if (servers != null) {
            for (int i = 0; i < servers.length; i++) {
                String address = servers[i] == null ? "?" : servers[i].getHostAddress();
                int port = ports != null && i < ports.length ? ports[i] : 53;
                endpoints.add(address + ":" + port);
            }
        }
        return List.copyOf(endpoints);
    }

    static String typeName(int type) {
        switch (type) {
            case 1: return "A";
            case 2: return "NS";
            case 5: return "CNAME";
            case 6: return "SOA";
            case 12: return "PTR";
            case 15: return "MX";
            case 16: return "TXT";
            case 28: return "AAAA";
            case 33: return "SRV";
            case 255: return "ANY";
            default: return Integer.toString(type);
        }
    }

    private static UnknownHostException unknownHost(Decision decision) {
        if (!decision.blocks()) {
            return null;
        }
        UnknownHostException refused = new UnknownHostException(decision.denialMessage());
        refused.initCause(new ActionDeniedException(decision));
        return refused;
    }

    private static NamingException noPermission(Decision decision) {
        if (decision == null || !decision.blocks()) {
            return null;
        }
        NoPermissionException refused = new NoPermissionException(decision.denialMessage());
        refused.setRootCause(new ActionDeniedException(decision));
        return refused;
    }
}
