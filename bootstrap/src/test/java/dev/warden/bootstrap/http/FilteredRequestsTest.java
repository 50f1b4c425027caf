package dev.warden.bootstrap.http;

import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class FilteredRequestsTest {

    @Test
    void theHandlersLinesAreTheCookiesAndCredentialsAmongTheClientsOwnHeaders() {
        Map<String, List<String>> system = new LinkedHashMap<>();
        system.put("User-Agent", List.of("Java-http-client/17"));
        system.put("Cookie", List.of("a=1", "b=2"));
        system.put("authorization", List.of("Basic eDp5"));
        system.put("Proxy-Authorization", List.of("Basic cDpx"));

        assertThat(FilteredRequests.handlersLines(system))
                .containsExactly("Cookie", "a=1", "Cookie", "b=2", "authorization", "Basic eDp5");
    }

    @Test
    void aRequestTheFiltersAddedNothingToHasNoLines() {
        assertThat(FilteredRequests.handlersLines(Map.of("User-Agent", List.of("Java-http-client/17")))).isEmpty();
    }
}
