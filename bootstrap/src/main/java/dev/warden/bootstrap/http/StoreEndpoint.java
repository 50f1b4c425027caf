package dev.warden.bootstrap.http;

import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.util.Collections;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/**
 * Where Warden's shared state store ({@code state=redis://...}) listens, which no host action reaches: the engine
 * refuses such actions as Warden's own, and a connect there is decided even when a permitted HTTP request's grant
 * covers it, since the name the request was decided on (any name, {@code cache.internal}) may lead there. A store on
 * this machine is every local address (loopback, the wildcard, each interface's), since Redis may listen on all of
 * them; a store whose name did not resolve at start is its port on any address.
 *
 * @param host       the store's host as configured, lower case
 * @param addresses  its addresses as {@link InetAddress#getHostAddress()} spells them (and every local one's)
 * @param local      whether the store is on this machine: any loopback-class address reaches it
 * @param anyAddress whether the store's addresses are unknown: its port on any address reaches it
 */
public record StoreEndpoint(String host, int port, Set<String> addresses, boolean local, boolean anyAddress) {

    private static volatile StoreEndpoint current;

    /** The store at {@code host:port}, its name resolved now (on Warden's own section: no decision is asked). */
    public static StoreEndpoint resolve(String host, int port) {
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
        return new StoreEndpoint(host.toLowerCase(Locale.ROOT), port, Set.copyOf(addresses), local, unresolved);
    }

    /**
     * Makes {@code endpoint} the one connects are checked against: the agent's, once, with the capability only its
     * installer holds (host code calling this public class could otherwise point the check elsewhere).
     */
    public static synchronized void protect(StoreEndpoint endpoint, dev.warden.bootstrap.Gate.Capability installer) {
        java.util.Objects.requireNonNull(installer, "the installer's capability");
        if (current == null) {
            current = endpoint;
        }
    }

    /** Whether a connect to {@code address} (null: unresolved) on {@code port} may reach the protected store. */
    static boolean reached(InetAddress address, int port) {
        StoreEndpoint endpoint = current;
        return endpoint != null && endpoint.reaches(address == null ? null : address.getHostAddress(),
                address == null ? null : AddressClass.of(address).label(), null, port);
    }

    /**
     * Whether an action that names {@code address} (as spelled by {@link InetAddress#getHostAddress()}), of address class
     * {@code addressClass}, or host {@code name}, on {@code port}, reaches the store.
     */
    public boolean reaches(String address, String addressClass, String name, long port) {
        if (port != this.port) {
            return false;
        }
        if (anyAddress || address != null && addresses.contains(address)) {
            return true;
        }
        if (local && AddressClass.LOOPBACK.label().equals(addressClass)) {
            return true; // 127.0.0.2, ::1, 0.0.0.0, ::ffff:127.0.0.1: each reaches a store listening here
        }
        return name != null && name.toLowerCase(Locale.ROOT).equals(host);
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
