package dev.warden.instrumentation.http;

import dev.warden.bootstrap.ActionRequest;
import dev.warden.instrumentation.api.ActionDescription;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Rules get every fact; the receipt gets what tells one request from another, and nothing redundant. */
class EgressActionEnricherTest {

    private final EgressActionEnricher enricher = new EgressActionEnricher();

    @Test
    void rulesSeeEveryAttributeAndTheReceiptOnlyWhatAnAuditorNeeds() {
        Map<String, Object> attributes = Map.of("http.client", "okhttp", "url.scheme", "https", "url.port", 443L,
                "url.path", "/v1/chat", "url.query.keys", List.of("model", "stream"), "url.userinfo", false,
                "http.header.names", List.of(), "http.redirect", true, "address.class", "public", "address.private", false);
        ActionDescription description = enricher.describe(new ActionRequest("http", "POST", "api.example.com", attributes));

        assertThat(description.operation()).isEqualTo("POST");
        assertThat(description.target()).isEqualTo("api.example.com");
        assertThat(description.targets()).containsExactly("api.example.com");
        assertThat(description.attributes()).isEqualTo(attributes);
        assertThat(description.summary()).containsOnly(
                Map.entry("http.client", "okhttp"), Map.entry("url.scheme", "https"), Map.entry("url.port", "443"),
                Map.entry("url.path", "/v1/chat"), Map.entry("url.query.keys", "model,stream"),
                Map.entry("http.redirect", "true"), Map.entry("address.class", "public"));
    }

    @Test
    void aConnectIsSummarisedByWhereItWent() {
        ActionDescription description = enricher.describe(new ActionRequest("net", "CONNECT", "db.internal", Map.of(
                "net.host", "db.internal", "net.port", 5432L, "net.address", "10.0.3.4", "net.via", "socket",
                "address.class", "private")));

        assertThat(description.summary()).containsEntry("net.address", "10.0.3.4").containsEntry("net.port", "5432")
                .containsEntry("address.class", "private").containsEntry("net.via", "socket");
    }
}
