package dev.warden.instrumentation.http;

import dev.warden.bootstrap.ActionRequest;
import dev.warden.bootstrap.http.OutboundRequest;
import dev.warden.instrumentation.api.ActionDescription;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What rules see of a request, made from the raw parts its client's advice read: every fact, names
 * but never values; the receipt gets what tells one request from another, and nothing redundant.
 */
class EgressActionEnricherTest {

    private final EgressActionEnricher enricher = new EgressActionEnricher(EgressActionEnricher.HTTP_FACTS);

    @Test
    void rulesSeeNamesButNeverValues() {
        ActionDescription description = describe(OutboundRequest.of("test", "post",
                URI.create("https://user:pw@API.example.com./v1/x?token=s3cret&page=2&token=again"),
                List.of("Authorization", "X-Trace"), 12, false));

        assertThat(description.operation()).isEqualTo("POST");
        assertThat(description.target()).isEqualTo("api.example.com");
        assertThat(description.targets()).containsExactly("api.example.com");
        assertThat(description.attributes()).containsEntry("http.client", "test").containsEntry("http.method", "POST")
                .containsEntry("url.scheme", "https").containsEntry("url.host", "api.example.com").containsEntry("url.port", 443L)
                .containsEntry("url.path", "/v1/x").containsEntry("url.query.keys", List.of("token", "page"))
                .containsEntry("http.header.names", List.of("authorization", "x-trace")).containsEntry("http.header.count", 2L)
                .containsEntry("http.body.size", 12L).containsEntry("url.userinfo", true).containsEntry("http.redirect", false)
                .containsEntry("address.class", "public").containsEntry("address.literal", false)
                .containsEntry("address.loopback", false).containsEntry("address.private", false)
                .containsEntry("address.linkLocal", false).doesNotContainKey("url.error");
        // The receipt's digest binds these facts, and its summary shows some: neither may carry a value.
        assertThat(description.attributes().values().toString()).doesNotContain("s3cret", "again", "pw", "user");
        assertThat(description.summary().values().toString()).doesNotContain("s3cret", "again", "pw", "user");
    }

    /** Rules see a bounded path and the query's keys; an approval binds the whole target, every value included. */
    @Test
    void theDigestBindsThePathAndQueryExactlyAsSent() {
        String path = "/transfer/" + "x".repeat(3_000);
        ActionDescription description = describe(new OutboundRequest("jdk", "GET", "http", "127.0.0.1", 8080, path,
                "to=acme&amount=5", false, List.of(), -1, false));

        assertThat(description.bound()).containsExactly(Map.entry("url.target", path + "?to=acme&amount=5"));
        assertThat((String) description.attributes().get("url.path")).hasSize(2_048);
        assertThat(describe(new OutboundRequest("jdk", "GET", "http", "127.0.0.1", 8080, "", null, false, List.of(), -1, false))
                .bound()).containsExactly(Map.entry("url.target", "/"));
    }

    @Test
    void theReceiptGetsOnlyWhatAnAuditorNeeds() {
        ActionDescription description = describe(new OutboundRequest("okhttp", "POST", "https", "api.example.com", 443,
                "/v1/chat", "model=x&stream=true", false, List.of(), -1, true));

        assertThat(description.summary()).containsOnly(
                Map.entry("http.client", "okhttp"), Map.entry("url.scheme", "https"), Map.entry("url.port", "443"),
                Map.entry("url.path", "/v1/chat"), Map.entry("url.query.keys", "model,stream"), Map.entry("url.query.count", "2"),
                Map.entry("http.header.count", "0"), Map.entry("http.redirect", "true"), Map.entry("address.class", "public"));
    }

    @Test
    void theHostIsDecidedInItsCanonicalSpellingAndClassedBySpelling() {
        ActionDescription description = describe(new OutboundRequest("okhttp", "GET", "http", "0x7f000001", 8080, "/", null,
                false, List.of(), -1, false));

        assertThat(description.target()).isEqualTo("127.0.0.1");
        assertThat(description.attributes()).containsEntry("address.class", "loopback").containsEntry("address.loopback", true)
                .containsEntry("address.literal", true);
    }

    @Test
    void malformedRequestsSayWhy() {
        assertThat(describe(new OutboundRequest("test", "GET", "http", "localhost", 70000, "/", null, false, List.of(), -1, false))
                .attributes()).containsEntry("url.error", "port 70000 out of range");
        assertThat(describe(new OutboundRequest("test", "GET", "http", "localhost", Integer.MAX_VALUE, "/", null, false, List.of(), -1, false))
                .attributes()).containsEntry("url.error", "port unparseable out of range");
        assertThat(describe(new OutboundRequest("test", "GET", null, "localhost", 80, "/", null, false, List.of(), -1, false))
                .attributes()).containsEntry("url.error", "no scheme");
        ActionDescription noHost = describe(new OutboundRequest("unknown", "POST", null, null, -1, "/admin", null, false, List.of(), -1, false));
        assertThat(noHost.attributes()).containsEntry("url.error", "no host").containsEntry("address.class", "unknown");
        assertThat(describe(new OutboundRequest("test", "GET", "http", "exa..mple.com", 80, "", null, false, List.of(), -1, false))
                .attributes()).containsEntry("url.error", "empty or over-long label in host name").containsEntry("url.path", "/");
    }

    @Test
    void headerFloodsAreCountedButOnlySoManyNamesKept() {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            names.add("X-Pad-" + i);
        }
        names.add(null);
        Map<String, Object> attributes = describe(new OutboundRequest("test", "GET", "http", "localhost", 80, "/", null, false,
                names, -1, false)).attributes();

        assertThat(attributes).containsEntry("http.header.count", 1001L);
        assertThat((List<?>) attributes.get("http.header.names")).hasSize(HttpRequestFacts.MAX_NAMES);
    }

    @Test
    void longPathsAndNamesAreBounded() {
        String query = "k".repeat(500) + "=1&" + "x=2&".repeat(100);
        Map<String, Object> attributes = describe(new OutboundRequest("test", "g".repeat(500), "http", "localhost", 80,
                "/" + "p".repeat(5000), query, false, List.of(), -1, false)).attributes();

        assertThat((String) attributes.get("url.path")).hasSize(2048);
        assertThat((String) attributes.get("http.method")).hasSize(128);
        assertThat(attributes.get("url.query.keys")).isEqualTo(List.of("k".repeat(128), "x"));
    }

    @Test
    void queryKeysAreTheKeysServersDecode() {
        // The API deletes what a "delete" parameter names: a rule on that key must see every spelling a server decodes.
        assertThat(describe(query("%64elete=42&DEL%45TE=1&delet%65=2&a%2Bb=3&a+b=4&%zz=5&caf%C3%A9=6&%FF=7")).attributes())
                .containsEntry("url.query.keys", List.of("delete", "DELETE", "a+b", "a b", "%zz", "caf\u00e9", "\ufffd"))
                .containsEntry("url.query.count", 7L);
        assertThat(QueryKeys.of("%").keys()).containsExactly("%");
        assertThat(QueryKeys.of("a%6").keys()).containsExactly("a%6");
        assertThat(QueryKeys.of("%\u0661\u0662x=1").keys()).as("only ASCII hex digits decode").containsExactly("%\u0661\u0662x");
        assertThat(QueryKeys.of("caf\u00e9=1&\ud83d\ude00=2").keys()).as("characters a URL left unencoded")
                .containsExactly("caf\u00e9", "\ud83d\ude00");
        assertThat(QueryKeys.of("=1&&x").keys()).containsExactly("x");
    }

    @Test
    @SuppressWarnings("unchecked")
    void theQueryKeyCountSaysWhenKeysWereLeftOut() {
        StringBuilder query = new StringBuilder();
        for (int i = 0; i < 64; i++) {
            query.append('k').append(i).append("=1&");
        }
        Map<String, Object> sixtyFour = describe(query(query + "k0=again")).attributes();
        Map<String, Object> sixtyFive = describe(query(query + "delete=42")).attributes();

        assertThat(sixtyFour).containsEntry("url.query.count", 64L);
        assertThat((List<?>) sixtyFour.get("url.query.keys")).hasSize(64);
        assertThat(sixtyFive).containsEntry("url.query.count", 65L);
        assertThat((List<String>) sixtyFive.get("url.query.keys")).hasSize(64).doesNotContain("delete");
        assertThat(describe(query(null)).attributes()).containsEntry("url.query.count", 0L)
                .containsEntry("url.query.keys", List.of());
    }

    private static OutboundRequest query(String query) {
        return new OutboundRequest("test", "GET", "http", "localhost", 80, "/api/items", query, false, List.of(), -1, false);
    }

    @Test
    void aConnectIsSummarisedByWhereItWentAndGetsTheFlagsOfItsClass() {
        ActionDescription description = enricher.describe(new ActionRequest("net", "CONNECT", "db.internal", Map.of(
                "net.host", "db.internal", "net.port", 5432L, "net.address", "10.0.3.4", "net.via", "socket",
                "address.class", "private")));

        assertThat(description.operation()).isEqualTo("CONNECT");
        assertThat(description.target()).isEqualTo("db.internal");
        assertThat(description.summary()).containsEntry("net.address", "10.0.3.4").containsEntry("net.port", "5432")
                .containsEntry("address.class", "private").containsEntry("net.via", "socket")
                .doesNotContainKeys("address.private", "address.loopback");
        assertThat(description.attributes()).containsEntry("address.private", true).containsEntry("address.loopback", false)
                .containsEntry("address.linkLocal", false).containsEntry("net.host", "db.internal");
    }

    @Test
    void aNetActionWithoutAnAddressClassGetsNoFlags() {
        ActionDescription description = enricher.describe(new ActionRequest("net", "CONNECT", "unix:/var/run/docker.sock",
                Map.of("net.protocol", "unix", "net.path", "/var/run/docker.sock")));

        assertThat(description.attributes()).containsOnlyKeys("net.protocol", "net.path");
    }

    private ActionDescription describe(OutboundRequest request) {
        return enricher.describe(request.action());
    }

    /** The rule linter checks rules against the declared facts: a fact described but not declared would be flagged as a typo. */
    @Test
    void everyFactDescribedIsDeclaredForItsSurface() {
        ActionDescription request = describe(OutboundRequest.of("test", "post",
                URI.create("https://user:pw@api.example.com/v1/x?token=s&page=2"), List.of("Authorization"), 12, true));
        ActionDescription broken = describe(new OutboundRequest("okhttp", "GET", null, "10.0.0.1", 99999, "/", null,
                false, List.of(), -1, false));
        ActionDescription connect = enricher.describe(new ActionRequest("net", "CONNECT", "db.internal", Map.of(
                "net.host", "db.internal", "net.port", 5432L, "net.address", "10.0.3.4", "net.via", "socket", "net.protocol", "tcp",
                "address.class", "private", "net.rebinding", true, "http.decided.class", "public", "url.error", "x")));
        ActionDescription lookup = enricher.describe(new ActionRequest("net", "RESOLVE", "example.com", Map.of(
                "net.host", "example.com", "dns.type", "A", "dns.servers", List.of("10.0.0.2:53"), "address.class", "public")));
        ActionDescription probe = enricher.describe(new ActionRequest("net", "PROBE", "10.0.0.9", Map.of(
                "net.host", "10.0.0.9", "net.address", "10.0.0.9", "net.ttl", 3L, "address.class", "private")));

        assertThat(broken.attributes()).containsKey("url.error");
        assertThat(EgressActionEnricher.HTTP_FACTS.undeclared(request)).isEmpty();
        assertThat(EgressActionEnricher.HTTP_FACTS.undeclared(broken)).isEmpty();
        for (ActionDescription net : List.of(connect, lookup, probe)) {
            assertThat(EgressActionEnricher.NET_FACTS.undeclared(net)).isEmpty();
        }
        assertThat(EgressActionEnricher.HTTP_FACTS.undeclared(connect)).contains("net.host", "net.port");
    }
}
