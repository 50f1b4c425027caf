package dev.warden.agent.engine;

import dev.warden.instrumentation.api.ActionDescription;

import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.util.Collections;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/**
 * The shared state store ({@code state=redis://...}) is Warden's, not the host's. Counts, session labels and
 * approval requests live there in plain keys, and Redis answers anyone who connects: an agent whose tools reach
 * it (the application's own cache client, a permitted connect) could delete a limit's count, reopen a used
 * approval or rewrite a held request to need nobody. So before the rules, a host connect or HTTP request to the
 * store's port on one of its addresses is refused as {@link #RULE}, in every mode, with its receipt. Warden's own
 * connections are never decided. A store on this machine is every local address (loopback, the wildcard, each
 * interface's), since Redis may listen on all of them; a store whose name did not resolve at start is its port
 * on any address.
 */
public final class OwnStateStore implements WardensOwn {

    public static final String RULE = "warden.own-state";

    private final String describe;
    private final int port;
    private final String host;
    private final Set<String> addresses;
    private final boolean local;
    private final boolean anyAddress;

    private OwnStateStore(String describe, int port, String host, Set<String> addresses, boolean local, boolean anyAddress) {
        this.describe = describe;
        this.port = port;
        this.host = host;
        this.addresses = addresses;
        this.local = local;
        this.anyAddress = anyAddress;
    }

    /** @param describe the store as Warden names it ({@code redis://127.0.0.1:6379}) */
    public static OwnStateStore of(String describe, String host, int port) {
        Set<String> addresses = new HashSet<>();
        boolean local = false;
        boolean unresolved = false;
        try {
            for (InetAddress address : InetAddress.getAllByName(host)) {
                addresses.add(address.getHostAddress());
                local |= address.isLoopbackAddress() || address.isAnyLocalAddress() || NetworkInterface.getByInetAddress(address) != null;
            }
        } catch (UnknownHostException | SocketException e) {
            unresolved = true;
        }
        if (local) {
            addresses.addAll(interfaceAddresses());
        }
        return new OwnStateStore(describe, port, host.toLowerCase(Locale.ROOT), Set.copyOf(addresses), local, unresolved);
    }

    @Override
    public String rule() {
        return RULE;
    }

    @Override
    public String refusal(String surface, ActionDescription action) {
        String reached;
        if ("net".equals(surface)) {
            if (!"CONNECT".equals(action.operation()) || port != number(action.attributes().get("net.port"))
                    || !isStore(action.attributes().get("net.address"), action.attributes().get("address.class"), null)) {
                return null;
            }
            reached = action.attributes().get("net.address") + ":" + port;
        } else if ("http".equals(surface)) {
            Object urlHost = action.attributes().get("url.host");
            if (port != number(action.attributes().get("url.port"))
                    || !isStore(urlHost, action.attributes().get("address.class"), urlHost)) {
                return null;
            }
            reached = urlHost + ":" + port;
        } else {
            return null;
        }
        return "Warden's state store " + describe + " is at " + reached + ": no host action connects to it";
    }

    private boolean isStore(Object address, Object addressClass, Object name) {
        if (anyAddress) {
            return true;
        }
        if (address != null && addresses.contains(address.toString())) {
            return true;
        }
        if (local && "loopback".equals(addressClass)) {
            return true; // 127.0.0.2, ::1, 0.0.0.0, ::ffff:127.0.0.1: each reaches a store listening here
        }
        return name != null && name.toString().toLowerCase(Locale.ROOT).equals(host);
    }

    private static long number(Object value) {
        return value instanceof Number n ? n.longValue() : -1;
    }

    private static Set<String> interfaceAddresses() {
        Set<String> all = new HashSet<>();
        try {
            for (NetworkInterface network : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                for (InetAddress address : Collections.list(network.getInetAddresses())) {
                    String text = address.getHostAddress();
                    int scope = text.indexOf('%'); // fe80::1%eth0: the address as a connect's receipt spells it
                    all.add(scope < 0 ? text : text.substring(0, scope));
                }
            }
        } catch (SocketException e) {
            // No interfaces listed: loopback still counts, by its class.
        }
        return all;
    }
}
