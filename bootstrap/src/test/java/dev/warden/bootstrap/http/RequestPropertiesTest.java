package dev.warden.bootstrap.http;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The header names of an {@code HttpURLConnection}'s request: its headers, never the request line it wrote last. */
class RequestPropertiesTest {

    @Test
    void aRedirectHopsHeaderNamesLeaveOutThePreviousRequestLine() {
        // What getRequestProperties() gives on a hop: the request written before, its line a key without a value.
        Map<String, List<String>> properties = new LinkedHashMap<>();
        properties.put("GET /api/redir?api_key=sk-live-secret123&to=%2Fapi%2Fok HTTP/1.1", Arrays.asList((String) null));
        properties.put("User-Agent", List.of("Java/17"));
        properties.put("Host", List.of("127.0.0.1:18081"));
        properties.put("X-Trace", List.of("a", "b"));

        List<String> names = RequestProperties.headerNames(properties);

        assertThat(names).containsExactly("User-Agent", "Host", "X-Trace");
        assertThat(names.toString()).doesNotContain("sk-live", "api_key", "HTTP/1.1");
    }

    @Test
    void aFirstRequestsNamesAreItsOwn() {
        Map<String, List<String>> properties = new LinkedHashMap<>();
        properties.put("Authorization", List.of("Bearer x"));
        properties.put("X-Empty", Arrays.asList((String) null)); // a header of the host's without a value: written "X-Empty:"
        properties.put(null, List.of("x"));

        assertThat(RequestProperties.headerNames(properties)).containsExactly("Authorization", "X-Empty");
        assertThat(RequestProperties.headerNames(Map.of())).isEmpty();
    }
}
