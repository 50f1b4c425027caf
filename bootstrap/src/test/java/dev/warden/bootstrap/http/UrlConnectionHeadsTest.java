package dev.warden.bootstrap.http;

import dev.warden.bootstrap.ActionRequest;
import dev.warden.bootstrap.Decision;
import dev.warden.bootstrap.Obligations;
import dev.warden.bootstrap.Outcome;
import dev.warden.bootstrap.TestGate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.NoRouteToHostException;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code HttpURLConnection}'s head, the JDK's own {@code sun.net.www.MessageHeader} (built here as the connection
 * builds it, by reflection: the class is not exported to code compiled for Java 17): its framing headers read, the
 * body after it told apart as posted, streamed or none.
 */
class UrlConnectionHeadsTest {

    private final List<ActionRequest> decided = new ArrayList<>();

    @BeforeEach
    void gate() {
        TestGate.answerWith(request -> {
            decided.add(request);
            return new Decision(Outcome.PERMIT, true, List.of("rule"), "because", "receipt-1", Obligations.NONE);
        });
    }

    @AfterEach
    void uninstall() {
        TestGate.clear();
    }

    private static Object head(String... keysAndValues) throws Exception {
        Class<?> type = Class.forName("sun.net.www.MessageHeader");
        Object head = type.getConstructor().newInstance();
        type.getMethod("prepend", String.class, String.class).invoke(head, "GET /api/x HTTP/1.1", null);
        for (int i = 0; i < keysAndValues.length; i += 2) {
            type.getMethod("add", String.class, String.class).invoke(head, keysAndValues[i], keysAndValues[i + 1]);
        }
        return head;
    }

    @Test
    void readsEveryValueOfOneHeaderWhateverItsCase() throws Exception {
        Object head = head("Host", "127.0.0.1", "content-length", "0", "X-Note", "secret", "Content-Length", "36");
        assertThat(UrlConnectionHeads.values(head, "Content-Length")).containsExactly("0", "36");
        assertThat(UrlConnectionHeads.values(head, "Transfer-Encoding")).isEmpty();
    }

    @Test
    void everyHeaderLineIsDigestedTheRequestLineAHopKeepsLeftOut() throws Exception {
        Object head = head("X-Amount", "5", "Authorization", "Bearer t", "X-Amount", "6");
        assertThat(UrlConnectionHeads.headersDigest(head))
                .isEqualTo(RequestHeaders.digest(List.of("X-Amount", "5", "Authorization", "Bearer t", "X-Amount", "6")))
                .isNotEqualTo(UrlConnectionHeads.headersDigest(head("X-Amount", "5", "Authorization", "Bearer u", "X-Amount", "6")));
        assertThat(UrlConnectionHeads.headersDigest(head())).as("the request line alone").isNull();
    }

    @Test
    void aLengthTheApplicationSetOnABodilessGetIsRefused() throws Exception {
        // What sun.net.http.allowRestrictedHeaders lets through: the connection adds no framing of its own here.
        assertThat(UrlConnectionHeads.refusalOfFraming(head("Content-Length", "36"), -1, false))
                .isInstanceOf(NoRouteToHostException.class).hasMessageContaining("Content-Length: 36 on a request with no body");
        assertThat(decided).hasSize(1);
    }

    @Test
    void aHeaderNameThatIsNotATokenIsRefused() throws Exception {
        // setRequestProperty takes a name with a space: the connection writes "Content-Length : 36".
        assertThat(UrlConnectionHeads.refusalOfFraming(head("Content-Length ", "36"), -1, false))
                .isInstanceOf(NoRouteToHostException.class).hasMessageContaining("a header name that is not a token");
        assertThat(UrlConnectionHeads.refusalOfFraming(head("X-Note", "a b"), -1, false)).as("the request line is no name").isNull();
    }

    @Test
    void whatTheConnectionFramesItselfIsWritten() throws Exception {
        assertThat(UrlConnectionHeads.refusalOfFraming(head("User-Agent", "Java"), -1, false)).as("a GET").isNull();
        assertThat(UrlConnectionHeads.refusalOfFraming(head("Content-Length", "5"), 5, false)).as("posted").isNull();
        assertThat(UrlConnectionHeads.refusalOfFraming(head("Content-Length", "5"), -1, true)).as("a fixed-length stream").isNull();
        assertThat(UrlConnectionHeads.refusalOfFraming(head("Transfer-Encoding", "chunked"), -1, true)).as("a chunked stream").isNull();
        assertThat(decided).isEmpty();
    }

    @Test
    void anApplicationsLengthBesideTheConnectionsIsRefused() throws Exception {
        // MessageHeader.set replaces the last of a name: an application's first Content-Length stays beside the connection's.
        assertThat(UrlConnectionHeads.refusalOfFraming(head("Content-Length", "40", "Content-Length", "5"), 5, false)).isNotNull();
        assertThat(UrlConnectionHeads.refusalOfFraming(head("Content-Length", "40", "Transfer-Encoding", "chunked"), -1, true)).isNotNull();
    }

    @Test
    void anUnreadableHeadIsRefusedNotWritten() {
        assertThat(UrlConnectionHeads.refusalOfFraming(new Object(), -1, false)).isInstanceOf(NoRouteToHostException.class)
                .hasMessageContaining("could not read");
        assertThat(decided).singleElement().satisfies(action -> assertThat(action.attributes()).containsKey(Decision.UNREADABLE_ATTRIBUTE));
    }
}
