package dev.warden.bootstrap.http;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What a request's header values bind in its action digest: every value the application set, whatever the case of
 * the names and the order of different names; not the headers a tracing agent adds to each request.
 */
class RequestHeadersTest {

    private static String digest(String... namesAndValues) {
        return RequestHeaders.digest(Arrays.asList(namesAndValues));
    }

    @Test
    void aHeadersValueIsBound() {
        assertThat(digest("X-Amount", "5")).hasSize(64).matches("[0-9a-f]{64}")
                .isNotEqualTo(digest("X-Amount", "500000"))
                .isEqualTo(digest("X-Amount", "5"));
    }

    @Test
    void theNamesCaseAndTheOrderOfDifferentNamesMeanNothing() {
        assertThat(digest("X-Amount", "5", "X-Note", "rent"))
                .isEqualTo(digest("x-note", "rent", "X-AMOUNT", "5"))
                .isEqualTo(digest("x-amount", "5", "x-NOTE", "rent"));
    }

    @Test
    void theOrderOfOneNamesValuesIsBound() {
        assertThat(digest("X-To", "acme", "X-Amount", "5", "X-To", "mallory"))
                .isEqualTo(digest("X-Amount", "5", "x-to", "acme", "X-TO", "mallory"))
                .isNotEqualTo(digest("X-To", "mallory", "X-Amount", "5", "X-To", "acme"));
    }

    @Test
    void fieldsCannotBeShiftedIntoOneAnother() {
        assertThat(digest("X-A", "1", "X-B", "2")).isNotEqualTo(digest("X-A", "1X-B2"));
        assertThat(digest("X-A", "")).isNotEqualTo(digest("X-A", null));
        assertThat(digest("X-A", "1", "X-A", "2")).isNotEqualTo(digest("X-A", "1,2"));
        // Two unpaired surrogates, which an encoding to UTF-8 would both replace with '?'.
        assertThat(digest("X-A", "\uD800")).isNotEqualTo(digest("X-A", "\uDBFF")).isNotEqualTo(digest("X-A", "?"));
    }

    @Test
    void theHeadersATracingAgentAddsToEachRequestAreNotBound() {
        String bound = digest("X-Amount", "5");
        assertThat(digest("traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01", "X-Amount", "5",
                "TraceState", "rojo=00f067aa0ba902b7", "baggage", "user=1", "b3", "80f198ee56343ba8-e457b5a2e4d86bd1-1",
                "X-B3-TraceId", "80f198ee56343ba864fe8b2a57d3eff7", "X-B3-SpanId", "e457b5a2e4d86bd1", "uber-trace-id", "1:2:0:1",
                "uberctx-user", "1", "ot-tracer-traceid", "1", "X-Amzn-Trace-Id", "Root=1-5759e988", "sw8", "1-x"))
                .isEqualTo(bound);
        assertThat(digest("traceparent", "00-1-2-01")).as("nothing else bound").isNull();
        assertThat(RequestHeaders.isTracing("x-amount")).isFalse();
        assertThat(RequestHeaders.isTracing("traceparent-x")).isFalse();
    }

    @Test
    void noHeaderBindsNothing() {
        assertThat(digest()).isNull();
        assertThat(RequestHeaders.digest(Map.of())).isNull();
    }

    @Test
    void aMapOfEachNameToItsValuesIsDigestedAsTheLinesAre() {
        Map<String, List<String>> map = new LinkedHashMap<>();
        map.put("x-to", List.of("acme", "mallory"));
        map.put("X-Amount", List.of("5"));
        assertThat(RequestHeaders.digest(map)).isEqualTo(digest("X-Amount", "5", "X-To", "acme", "X-To", "mallory"));
    }

    @Test
    void aNameWithoutItsValueOrAValueWithoutItsNameIsNotRead() {
        assertThatThrownBy(() -> digest("X-Amount")).isInstanceOf(IllegalArgumentException.class);
        List<String> nameless = new ArrayList<>();
        nameless.add(null);
        nameless.add("5");
        assertThatThrownBy(() -> RequestHeaders.digest(nameless)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theBindingIsTheBodysAloneWithoutHeadersAndBindsBothWithThem() {
        String body = "7621f4888bb0d2cb17a69155c0484de498951547f226371263d227d49a2dccab";
        String five = digest("X-Amount", "5");
        assertThat(RequestHeaders.binding(body, null)).as("the digest a request had before headers were bound").isEqualTo(body);
        assertThat(RequestHeaders.binding(null, null)).isNull();
        assertThat(RequestHeaders.binding(body, five)).matches("[0-9a-f]{64}")
                .isNotEqualTo(RequestHeaders.binding(body, digest("X-Amount", "500000")))
                .isNotEqualTo(RequestHeaders.binding(null, five))
                .isNotEqualTo(RequestHeaders.binding(five, body))
                .isEqualTo(RequestHeaders.binding(body, five));
    }

    @Test
    void theHeadersADecisionSawAreReadAgainAmongThoseWrittenByName() {
        List<String> written = List.of("Host", "api.example.com", "x-amount", "5", "User-Agent", "okhttp/4", "X-Note", "rent");
        assertThat(RequestHeaders.digest(written, List.of("X-Amount", "x-note"))).isEqualTo(digest("X-Amount", "5", "X-Note", "rent"));
        assertThat(RequestHeaders.digest(written, List.of())).as("none decided").isNull();
        assertThat(RequestHeaders.digest(written, null)).isEqualTo(RequestHeaders.digest(written));
    }
}
