package dev.warden.instrumentation.http;

import dev.warden.bootstrap.ActionRequest;
import dev.warden.instrumentation.api.ActionDescription;
import dev.warden.instrumentation.api.ActionEnricher;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * Describes {@code http} and {@code net} actions. The advice's bootstrap helpers have already done
 * the work that needs the request (normalising the host once per spelling, keeping names but never
 * values), so every attribute is fit for a receipt as it is.
 */
final class EgressActionEnricher implements ActionEnricher {

    @Override
    public ActionDescription describe(ActionRequest request) {
        Map<String, String> summary = new HashMap<>();
        request.attributes().forEach((name, value) -> summary.put(name,
                value instanceof Collection ? String.join(",", stringsOf((Collection<?>) value)) : String.valueOf(value)));
        String target = request.target() == null ? "" : request.target();
        return new ActionDescription(request.operation(), target, target.isEmpty() ? Set.of() : Set.of(target),
                request.attributes(), summary);
    }

    private static Iterable<String> stringsOf(Collection<?> values) {
        return values.stream().map(String::valueOf).toList();
    }
}
