package dev.warden.agent.engine;

import dev.warden.bootstrap.http.StoreEndpoint;
import dev.warden.instrumentation.api.ActionDescription;

import java.util.Set;

/**
 * Whether a host's {@code net} or {@code http} action reaches an endpoint of Warden's own (the state store, the SIEM's
 * syslog receiver), by the address it connects or sends to, its address class or the name it gives.
 */
final class OwnEndpoint {

    private OwnEndpoint() {
    }

    /**
     * Where {@code action} reaches {@code endpoint} ({@code HOST:PORT} as the action names it), or null when it does not.
     *
     * @param netOperations the {@code net} operations that carry bytes there ({@code CONNECT}; a datagram's {@code SEND})
     */
    static String reached(String surface, ActionDescription action, StoreEndpoint endpoint, Set<String> netOperations) {
        if ("net".equals(surface)) {
            if (!netOperations.contains(action.operation()) || !endpoint.reaches(text(action, "net.address"), text(action, "address.class"),
                    text(action, "net.host"), number(action.attributes().get("net.port")))) {
                return null;
            }
            String address = text(action, "net.address");
            return (address != null ? address : text(action, "net.host")) + ":" + endpoint.port();
        }
        if ("http".equals(surface)) {
            String host = text(action, "url.host");
            return endpoint.reaches(null, text(action, "address.class"), host, number(action.attributes().get("url.port")))
                    ? host + ":" + endpoint.port() : null;
        }
        return null;
    }

    private static String text(ActionDescription action, String name) {
        Object value = action.attributes().get(name);
        return value == null ? null : value.toString();
    }

    private static long number(Object value) {
        return value instanceof Number n ? n.longValue() : -1;
    }
}
