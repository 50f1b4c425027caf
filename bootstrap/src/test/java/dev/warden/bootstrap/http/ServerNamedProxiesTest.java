package dev.warden.bootstrap.http;

import dev.warden.bootstrap.ActionDeniedException;
import dev.warden.bootstrap.ActionRequest;
import dev.warden.bootstrap.Decision;
import dev.warden.bootstrap.Obligations;
import dev.warden.bootstrap.Outcome;
import dev.warden.bootstrap.TestGate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.NoRouteToHostException;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** A {@code 305 Use Proxy} names a proxy no decision covers: following it is refused, with a receipt saying why. */
class ServerNamedProxiesTest {

    private final List<ActionRequest> decided = new ArrayList<>();

    @AfterEach
    void uninstall() {
        TestGate.clear();
    }

    @Test
    void followingA305IsRefusedAndRecordedWhateverThePolicy() {
        TestGate.answerWith(request -> {
            decided.add(request);
            return new Decision(Outcome.PERMIT, true, List.of("rule"), "because", "receipt-1", Obligations.NONE);
        });

        IOException refusal = ServerNamedProxies.refusalFor(305, "http://127.0.0.2:18082/?token=s3cret");

        assertThat(refusal).isInstanceOf(NoRouteToHostException.class).hasMessageContaining("305 Use Proxy")
                .hasMessageContaining("127.0.0.2:18082").hasMessageNotContaining("s3cret")
                .hasCauseInstanceOf(ActionDeniedException.class);
        assertThat(decided).singleElement().satisfies(action -> {
            assertThat(action.surface()).isEqualTo("http");
            assertThat(String.valueOf(action.attributes().get(Decision.UNREADABLE_ATTRIBUTE))).contains("305 Use Proxy")
                    .doesNotContain("s3cret");
        });
    }

    @Test
    void everyOtherAnswerIsFollowedAsBefore() {
        TestGate.answerWith(request -> {
            decided.add(request);
            return new Decision(Outcome.DENY, true, List.of("rule"), "because", "receipt-1", Obligations.NONE);
        });

        for (int status : new int[]{300, 301, 302, 303, 304, 307, 308}) {
            assertThat(ServerNamedProxies.refusalFor(status, "http://127.0.0.2:18082/")).isNull();
        }
        assertThat(decided).isEmpty();
    }

    @Test
    void theProxyIsNamedByItsAuthorityOnly() {
        assertThat(ServerNamedProxies.proxyOf("http://user:pw@proxy.example:3128/a?b=c")).isEqualTo("proxy.example:3128");
        assertThat(ServerNamedProxies.proxyOf("/relative")).isEqualTo("(no authority)");
        assertThat(ServerNamedProxies.proxyOf("http://[bad")).isEqualTo("(an unparseable location)");
        assertThat(ServerNamedProxies.proxyOf(null)).isEqualTo("(an unparseable location)");
    }
}
