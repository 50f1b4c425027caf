package dev.warden.agent.engine;

import dev.warden.bootstrap.http.StoreEndpoint;
import dev.warden.instrumentation.api.ActionDescription;

import java.util.Set;

/**
 * The SIEM's syslog receiver ({@code siem=syslog://...}, {@code syslog+tcp://...}) takes Warden's events, and syslog
 * authenticates no sender: a datagram or connection of the host's there, under a policy that permits loopback or the
 * log host, could carry a message spelled as Warden's (its PRI, host name, {@code warden}, its pid, {@code decision})
 * saying a refused action was permitted, or one that never ran. So before the rules, a host {@code CONNECT}, datagram
 * {@code SEND} or HTTP request that reaches the receiver is refused as {@link #RULE}, in every mode, with its receipt.
 * Warden's own stream is never decided.
 */
public final class OwnSiemReceiver implements WardensOwn {

    public static final String RULE = "warden.own-siem";

    /** Connects and datagrams: either one carries a message to the receiver. */
    private static final Set<String> NET_ACTIONS = Set.of("CONNECT", "SEND");

    private final String describe;
    private final StoreEndpoint endpoint;

    /** @param describe the receiver as configured ({@code syslog://siem.example:514}) */
    public OwnSiemReceiver(String describe, StoreEndpoint endpoint) {
        this.describe = describe;
        this.endpoint = endpoint;
    }

    @Override
    public String rule() {
        return RULE;
    }

    @Override
    public String refusal(String surface, ActionDescription action) {
        String reached = OwnEndpoint.reached(surface, action, endpoint, NET_ACTIONS);
        return reached == null ? null : "Warden's SIEM receiver " + describe + " is at " + reached
                + ": no host action sends to it (it would take the host's messages for Warden's)";
    }
}
