package dev.warden.instrumentation.http;

import dev.warden.bootstrap.ActionRequest;
import dev.warden.instrumentation.api.ActionDescription;
import dev.warden.instrumentation.api.ActionEnricher;

import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Describes {@code http} and {@code net} actions. The advice's bootstrap helpers have already done
 * the work that needs the request (normalising the host once per spelling, keeping names but never
 * values), so rules get the attributes as they are. The receipt gets what an auditor needs to tell
 * one request from another: the redundant flags rules match on ({@code address.private}, ...) are
 * left out, and so are flags that are false; every receipt field costs scrubbing, encoding and
 * hashing on the request's path.
 */
final class EgressActionEnricher implements ActionEnricher {

    private static final List<String> RECEIPT_FIELDS = List.of(
            "http.client", "url.scheme", "url.port", "url.path", "url.query.keys", "url.userinfo", "url.error",
            "http.header.names", "http.header.count", "http.body.size", "http.redirect",
            "net.host", "net.port", "net.address", "net.via", "net.rebinding", "http.decided.class", "address.class",
            "net.protocol", "net.path", "net.ttl", "dns.type", "dns.servers");

    @Override
    public ActionDescription describe(ActionRequest request) {
        Map<String, Object> attributes = request.attributes();
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
        String target = request.target() == null ? "" : request.target();
        return new ActionDescription(request.operation(), target, target.isEmpty() ? Set.of() : Set.of(target),
                attributes, summary);
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
