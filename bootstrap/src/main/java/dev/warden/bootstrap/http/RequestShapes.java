package dev.warden.bootstrap.http;

import dev.warden.bootstrap.ActionRequest;

import java.util.concurrent.ConcurrentHashMap;

/**
 * The gate's view of each distinct request, made once. An agent sends the same request again and
 * again (polling, retrying, looping); its facts are then the same {@link ActionRequest}, not rebuilt,
 * re-hashed and compared afresh on every send. The key holds every part of the request that rules
 * can see. Bounded; a request too long to key cheaply is described afresh each time.
 */
final class RequestShapes {

    /** A request as the gate sees it, with the destination it names. */
    record Shaped(ActionRequest action, Host host, int port) {
    }

    private static final int MAX_SHAPES = 4096;
    private static final int MAX_KEY_LENGTH = 2048;
    private static final ConcurrentHashMap<String, Shaped> SHAPES = new ConcurrentHashMap<>();

    private RequestShapes() {
    }

    static Shaped of(OutboundRequest request) {
        String key = key(request);
        Shaped known = key == null ? null : SHAPES.get(key);
        if (known != null) {
            return known;
        }
        Host host = Host.of(request.host());
        int port = HttpActions.port(request.scheme(), request.port());
        Shaped fresh = new Shaped(new ActionRequest(HttpActions.SURFACE, HttpActions.method(request.method()), host.name(),
                HttpActions.attributes(request, host, port)), host, port);
        if (key != null) {
            if (SHAPES.size() >= MAX_SHAPES) {
                SHAPES.clear(); // a flood of distinct requests costs re-describing, never unbounded memory
            }
            SHAPES.put(key, fresh);
        }
        return fresh;
    }

    /** Every field, length-prefixed so that no two requests share a key; null when it grows too long. */
    private static String key(OutboundRequest request) {
        StringBuilder key = new StringBuilder(160);
        field(key, request.client());
        field(key, request.method());
        field(key, request.scheme());
        field(key, request.host());
        key.append(request.port()).append(',').append(request.bodySize()).append(',')
                .append(request.userinfo() ? 'u' : '-').append(request.redirect() ? 'r' : '-');
        field(key, request.path());
        field(key, request.query());
        for (String name : request.headerNames()) {
            field(key, name);
            if (key.length() > MAX_KEY_LENGTH) {
                return null;
            }
        }
        return key.length() > MAX_KEY_LENGTH ? null : key.toString();
    }

    private static void field(StringBuilder key, String value) {
        if (value == null) {
            key.append('-');
        } else {
            key.append(value.length()).append(':').append(value);
        }
    }
}
