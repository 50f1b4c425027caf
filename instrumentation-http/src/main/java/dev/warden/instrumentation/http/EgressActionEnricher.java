package dev.warden.instrumentation.http;

import dev.warden.bootstrap.ActionRequest;
import dev.warden.bootstrap.http.AddressClass;
import dev.warden.bootstrap.http.OutboundRequest;
import dev.warden.instrumentation.api.ActionDescription;
import dev.warden.instrumentation.api.ActionEnricher;
import dev.warden.instrumentation.api.FactModel;
import dev.warden.instrumentation.api.RecordedFacts;

import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Describes {@code http} and {@code net} actions. An HTTP request comes as its client's raw parts
 * ({@link OutboundRequest}), and is turned into facts here ({@link HttpRequestFacts}); a {@code net}
 * action comes with the facts its bootstrap helper had to establish to enforce it (the canonical
 * host, the address connected to, the address class), so rules get those as they are. Both get the
 * flags of their address class. The engine describes each distinct request once.
 * <p>
 * The receipt gets what an auditor needs to tell one request from another: the redundant flags rules
 * match on ({@code address.private}, ...) are left out, and so are flags that are false; every receipt
 * field costs scrubbing, encoding and hashing on the request's path. Neither the receipt nor the
 * facts carry a query value, a header value or a body; the digest binds the whole path and query as sent
 * ({@value #REQUEST_TARGET}) and the body (the request's binding), not header values.
 */
final class EgressActionEnricher implements ActionEnricher {

    private static final List<String> RECEIPT_FIELDS = List.of(
            "http.client", "url.scheme", "url.port", "url.path", "url.path.ambiguous", "url.query.keys", "url.query.count", "url.userinfo",
            "url.error",
            "http.header.names", "http.header.count", "http.body.size", "http.redirect",
            "net.host", "net.host.claimed", "net.port", "net.address", "net.via", "net.rebinding", "http.decided.class", "address.class",
            "net.protocol", "net.path", "net.path.named", "net.ttl", "dns.type", "dns.servers");

    /** What an HTTP request's digest binds besides its facts: the path and query exactly as sent. */
    static final String REQUEST_TARGET = "url.target";

    /** The flags derived from {@code address.class}, on both surfaces. */
    private static final Set<String> ADDRESS_FLAGS = Set.of("address.class", "address.loopback", "address.private", "address.linkLocal");

    /** {@code http}: the request as sent ({@link HttpRequestFacts}); any method a client sends, the usual ones known. */
    static final FactModel HTTP_FACTS = new FactModel(Set.of("GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "TRACE", "CONNECT"),
            true, Set.of("http.client", "http.method", "url.scheme", "url.host", "url.port", "url.path", "url.path.normalized", "url.path.ambiguous", "url.userinfo",
            "http.redirect", "address.literal", "url.query.keys", "url.query.count", "http.header.names", "http.header.count", "http.body.size",
            "url.error"), Set.of(), Set.of()).withAttributes(ADDRESS_FLAGS).withTargetAttributes("url.host", "address.class");

    /** {@code net}: what the bootstrap helpers established to enforce a connect, send, lookup or probe. */
    static final FactModel NET_FACTS = FactModel.of(Set.of("CONNECT", "SEND", "RESOLVE", "PROBE"), Set.of(
            "net.host", "net.host.claimed", "net.port", "net.address", "net.via", "net.protocol", "net.rebinding", "http.decided.class",
            "net.path", "net.path.named", "net.ttl", "dns.type", "dns.servers", "url.error")).withAttributes(ADDRESS_FLAGS)
            .withTargetAttributes("net.host", "net.address", "net.port", "net.path", "address.class");

    private final FactModel facts;

    /** @param facts {@link #HTTP_FACTS} or {@link #NET_FACTS}: the two surfaces share the describing, not the facts */
    EgressActionEnricher(FactModel facts) {
        this.facts = facts;
    }

    @Override
    public FactModel facts() {
        return facts;
    }

    @Override
    public ActionDescription describe(ActionRequest request) {
        String operation = request.operation();
        String target = request.target() == null ? "" : request.target();
        Map<String, Object> attributes;
        Map<String, String> bound = Map.of();
        Object outbound = request.attribute(OutboundRequest.ATTRIBUTE);
        if (outbound instanceof OutboundRequest) {
            HttpRequestFacts facts = HttpRequestFacts.of((OutboundRequest) outbound);
            operation = facts.operation();
            target = facts.target();
            attributes = facts.attributes();
            // Rules see a bounded path and the query's keys; an approval binds what is sent, every value included.
            bound = Map.of(REQUEST_TARGET, HttpRequestFacts.requestTarget((OutboundRequest) outbound));
        } else {
            attributes = new HashMap<>(request.attributes());
        }
        putAddressFlags(attributes);
        Map<String, String> summary = new HashMap<>(RECEIPT_FIELDS.size() * 2);
        for (String field : RECEIPT_FIELDS) {
            Object value = attributes.get(field);
            if (value == null || Boolean.FALSE.equals(value)) {
                continue;
            }
            if (value instanceof Collection) {
                if (((Collection<?>) value).isEmpty()) {
                    continue;
                }
                summary.put(field, join((Collection<?>) value));
            } else {
                summary.put(field, value.toString());
            }
        }
        return new ActionDescription(operation, target, target.isEmpty() ? Set.of() : Set.of(target),
                Map.copyOf(attributes), summary, bound);
    }

    /** Receipts join these sets with commas. */
    private static final Set<String> LISTS = Set.of("url.query.keys", "http.header.names", "dns.servers");

    /**
     * The request as recorded: the host is the target and the method the operation (the summary leaves
     * them out), the address flags come from the class again, and a flag the summary left out was false.
     */
    @Override
    public ActionDescription recorded(String operation, String target, Map<String, String> summary) {
        Map<String, Object> attributes = RecordedFacts.typed(summary, LISTS);
        if (facts == HTTP_FACTS) {
            attributes.put("url.host", target);
            attributes.put("http.method", operation);
            attributes.putIfAbsent("http.redirect", false);
            attributes.putIfAbsent("address.literal", false);
        }
        putAddressFlags(attributes);
        return new ActionDescription(operation, target, target.isEmpty() ? Set.of() : Set.of(target), attributes, summary);
    }

    @Override
    public List<String> unrecorded() {
        return List.of("query, header and body values are not recorded (their names and sizes are), nor whether the host was an IP literal (address.literal)");
    }

    /** The flags rules match on ({@code flag("address.private")}), from the class's label. */
    private static void putAddressFlags(Map<String, Object> attributes) {
        Object addressClass = attributes.get("address.class");
        if (addressClass != null) {
            attributes.put("address.loopback", AddressClass.LOOPBACK.label().equals(addressClass));
            attributes.put("address.private", AddressClass.PRIVATE.label().equals(addressClass));
            attributes.put("address.linkLocal", AddressClass.LINK_LOCAL.label().equals(addressClass));
        }
    }

    private static String join(Collection<?> values) {
        StringBuilder joined = new StringBuilder();
        for (Object value : values) {
            if (joined.length() > 0) {
                joined.append(',');
            }
            joined.append(value);
        }
        return joined.toString();
    }
}
