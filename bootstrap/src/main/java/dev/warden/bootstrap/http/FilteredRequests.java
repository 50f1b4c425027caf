package dev.warden.bootstrap.http;

import dev.warden.bootstrap.Gate;

import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What the JDK {@code HttpClient}'s filters add to a request after it was decided: the host's {@code CookieHandler}'s
 * cookies and its {@code Authenticator}'s credentials ({@link HandlerHeaders}), decided again where they are added.
 */
public final class FilteredRequests {

    private FilteredRequests() {
    }

    /**
     * The JDK {@code HttpClient}'s request after its filters ran ({@code MultiExchange.requestFilters}): its cookie
     * filter adds what the client's {@code CookieHandler} returns, its authentication filter the {@code Authorization}
     * of the client's {@code Authenticator} (cached from an earlier answer, or on the request it makes again after a
     * {@code 401}, a request no decision saw), as "system" headers after the request was decided. When it holds any,
     * the request is decided again as it will be written, those values among its headers; null when it holds none or
     * is permitted so. The advice reads the request's public parts: {@code java.net.http} is no module the boot
     * loader's classes see.
     *
     * @param request     the client's {@code HttpRequestImpl}, whose system headers are read here
     * @param userHeaders the application's headers, {@code request.headers().map()}
     * @param body        its body publisher, or null
     * @param bodySize    the publisher's {@code contentLength()}, or -1
     */
    public static IOException refusalOfFiltered(Object request, String client, String method, URI uri,
                                                Map<String, List<String>> userHeaders, Object body, long bodySize) {
        if (Gate.isInternal()) {
            return null;
        }
        List<String> added;
        OutboundRequest written;
        List<String> lines;
        try {
            added = handlersLines(systemHeaders(request));
            if (added.isEmpty()) {
                return null;
            }
            lines = new ArrayList<>(RequestHeaders.lines(userHeaders));
            lines.addAll(added);
            List<String> names = new ArrayList<>(userHeaders.keySet());
            for (int i = 0; i < added.size(); i += 2) {
                names.add(added.get(i));
            }
            written = OutboundRequest.of(client, method, uri, names, bodySize, false);
        } catch (ReflectiveOperationException | RuntimeException unreadable) { // not sent undecided
            return HttpActions.unreadableHop(unreadable);
        }
        return HttpActions.refusalForHop(null, written, body, RequestHeaders.digest(lines));
    }

    /** The lines of {@code headers} under {@link HandlerHeaders#NAMES}, as a name, its value, the next name... */
    static List<String> handlersLines(Map<String, List<String>> headers) {
        List<String> lines = new ArrayList<>();
        for (Map.Entry<String, List<String>> header : headers.entrySet()) {
            for (String name : HandlerHeaders.NAMES) {
                if (name.equalsIgnoreCase(header.getKey())) {
                    for (String value : header.getValue()) {
                        lines.add(header.getKey());
                        lines.add(value);
                    }
                }
            }
        }
        return lines;
    }

    private static volatile Field systemHeaders;
    private static volatile Method map;

    /** {@code HttpRequestImpl.systemHeadersBuilder.map()}: the agent opens the one and exports the other to Warden. */
    @SuppressWarnings("unchecked")
    static Map<String, List<String>> systemHeaders(Object request) throws ReflectiveOperationException {
        Field field = systemHeaders;
        if (field == null || field.getDeclaringClass() != request.getClass()) {
            field = request.getClass().getDeclaredField("systemHeadersBuilder");
            field.setAccessible(true);
            systemHeaders = field;
        }
        Object builder = field.get(request);
        Method method = map;
        if (method == null || method.getDeclaringClass() != builder.getClass()) {
            method = builder.getClass().getMethod("map");
            map = method;
        }
        return (Map<String, List<String>>) method.invoke(builder);
    }
}
