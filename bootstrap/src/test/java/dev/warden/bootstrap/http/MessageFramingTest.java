package dev.warden.bootstrap.http;

import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.warden.bootstrap.http.MessageFraming.AS_THE_HEAD_SAYS;
import static dev.warden.bootstrap.http.MessageFraming.NO_BODY;
import static dev.warden.bootstrap.http.MessageFraming.UNKNOWN_LENGTH;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A head frames exactly the body the client writes after it: what each client writes of its own passes, and every
 * head a server would read to another end (the next pooled request taken for a body, a body taken for requests) is
 * named, without the values of anything but a length.
 */
class MessageFramingTest {

    private static final List<String> NONE = List.of();

    private static String head(List<String> lengths, List<String> encodings, long body) {
        return MessageFraming.ofHead(lengths, encodings, body);
    }

    @Test
    void whatTheClientsWriteThemselvesPasses() {
        assertThat(head(NONE, NONE, NO_BODY)).as("a GET").isNull();
        assertThat(head(List.of("0"), NONE, NO_BODY)).as("Apache's POST without an entity").isNull();
        assertThat(head(List.of("5"), NONE, 5)).isNull();
        assertThat(head(List.of("0"), NONE, 0)).isNull();
        assertThat(head(NONE, NONE, 0)).as("an empty body, nothing to frame").isNull();
        assertThat(head(NONE, List.of("chunked"), UNKNOWN_LENGTH)).isNull();
        assertThat(head(NONE, List.of("Chunked"), UNKNOWN_LENGTH)).isNull();
        assertThat(head(List.of("0012"), NONE, 12)).as("leading zeros are still the length").isNull();
        assertThat(head(List.of("7"), NONE, AS_THE_HEAD_SAYS)).isNull();
        assertThat(head(NONE, List.of("chunked"), AS_THE_HEAD_SAYS)).isNull();
    }

    @Test
    void aLengthOnABodilessRequestMakesTheServerReadTheNextRequestAsItsBody() {
        assertThat(head(List.of("36"), NONE, NO_BODY)).isEqualTo("Content-Length: 36 on a request with no body");
        assertThat(head(List.of("36"), NONE, 0)).isEqualTo("Content-Length: 36 on a body of 0 bytes");
        assertThat(head(NONE, List.of("chunked"), NO_BODY)).isEqualTo("Transfer-Encoding: chunked on a request with no body");
    }

    @Test
    void aHeaderNameThatIsNotATokenIsRefusedWhateverTheFramingHeadersSay() {
        // "Content-Length : 36": a lenient server drops the space and reads a length the check never saw.
        assertThat(MessageFraming.ofHead(List.of("Host", "Content-Length "), 0, null, 0, null, NO_BODY))
                .startsWith("a header name that is not a token");
        assertThat(MessageFraming.ofHead(List.of("Transfer-Encoding:chunked"), NONE, NONE, NO_BODY)).isNotNull();
        assertThat(MessageFraming.ofHeadBeforeItsFraming(List.of(" Content-Length"), 0, null, 0, null, NO_BODY)).isNotNull();
        assertThat(MessageFraming.ofNames(List.of(""))).isNotNull();
        assertThat(MessageFraming.ofNames(List.of("X-A\tB"))).isNotNull();
        assertThat(MessageFraming.ofNames(List.of("X-\u00e9"))).as("not ASCII").isNotNull();
        assertThat(MessageFraming.ofNames(List.of("Host", "X-Amount", "a!#$%&'*+-.^_`|~9"))).as("every tchar").isNull();
        assertThat(MessageFraming.ofHead(List.of("Content-Length"), List.of("36"), NONE, NO_BODY))
                .as("tokens: the framing decides").isEqualTo("Content-Length: 36 on a request with no body");
    }

    @Test
    void aLengthOtherThanTheBodysIsRefused() {
        assertThat(head(List.of("3"), NONE, 5)).isEqualTo("Content-Length: 3 on a body of 5 bytes");
        assertThat(head(List.of("9"), NONE, 5)).isEqualTo("Content-Length: 9 on a body of 5 bytes");
        assertThat(head(List.of("5"), NONE, UNKNOWN_LENGTH)).contains("unknown length");
    }

    @Test
    void aBodyWithoutFramingWouldBeReadAsRequests() {
        assertThat(head(NONE, NONE, 38)).isEqualTo("a body of 38 bytes with neither a Content-Length nor a Transfer-Encoding");
        assertThat(head(NONE, NONE, UNKNOWN_LENGTH)).isEqualTo("a body of unknown length without Transfer-Encoding: chunked");
        assertThat(head(NONE, NONE, AS_THE_HEAD_SAYS)).isNotNull();
    }

    @Test
    void onlyTheClientsOwnChunkedOfABodyOfUnknownLengthIsATransferEncoding() {
        assertThat(head(NONE, List.of("chunked"), 5)).as("an application's on a body of known length").isNotNull();
        assertThat(head(NONE, List.of("gzip, chunked"), UNKNOWN_LENGTH)).isEqualTo("a Transfer-Encoding other than chunked");
        assertThat(head(NONE, List.of("identity"), 5)).isEqualTo("a Transfer-Encoding other than chunked");
        assertThat(head(NONE, List.of(" chunked"), UNKNOWN_LENGTH)).as("Apache 4 writes it as given, and then refuses it").isNotNull();
        assertThat(head(NONE, List.of("chunked", "chunked"), UNKNOWN_LENGTH)).isEqualTo("2 Transfer-Encoding headers");
        assertThat(head(List.of("5"), List.of("chunked"), 5)).isEqualTo("both a Content-Length and a Transfer-Encoding");
        assertThat(head(List.of("5"), List.of("chunked"), AS_THE_HEAD_SAYS)).isEqualTo("both a Content-Length and a Transfer-Encoding");
    }

    @Test
    void aLengthIsDigitsAndOneOnly() {
        assertThat(head(List.of("0", "36"), NONE, NO_BODY)).isEqualTo("2 Content-Length headers");
        assertThat(head(List.of("5", "5"), NONE, 5)).as("even when they agree").isEqualTo("2 Content-Length headers");
        for (String notANumber : List.of("+36", "-1", " 36", "36 ", "5, 5", "0x24", "", "1234567890123456789", "３６")) {
            assertThat(head(List.of(notANumber), NONE, NO_BODY)).as(notANumber).isEqualTo("a Content-Length that is not a number");
        }
        assertThat(head(List.of("36 secret"), NONE, NO_BODY)).as("a value that is no length is never repeated").doesNotContain("secret");
    }

    @Test
    void beforeTheConnectionFramesItAMissingFramingIsTheClientsToAdd() {
        assertThat(MessageFraming.ofHeadBeforeItsFraming(0, null, 0, null, 38)).isNull();
        assertThat(MessageFraming.ofHeadBeforeItsFraming(0, null, 0, null, UNKNOWN_LENGTH)).isNull();
        assertThat(MessageFraming.ofHeadBeforeItsFraming(1, "36", 0, null, NO_BODY)).isEqualTo("Content-Length: 36 on a request with no body");
        assertThat(MessageFraming.ofHeadBeforeItsFraming(0, null, 1, "chunked", NO_BODY)).isNotNull();
        assertThat(MessageFraming.ofHeadBeforeItsFraming(1, "3", 0, null, 5)).isNotNull();
        assertThat(MessageFraming.ofHeadBeforeItsFraming(1, "5", 0, null, 5)).isNull();
    }

    @Test
    void anApplicationsHeadersBesideTheClientsOwnFramingMayOnlyRepeatTheLength() {
        assertThat(MessageFraming.ofApplicationHeaders(NONE, NONE, 34)).isNull();
        assertThat(MessageFraming.ofApplicationHeaders(NONE, NONE, UNKNOWN_LENGTH)).isNull();
        assertThat(MessageFraming.ofApplicationHeaders(List.of("34"), NONE, 34)).isNull();
        assertThat(MessageFraming.ofApplicationHeaders(List.of("0"), NONE, NO_BODY)).isNull();
        // The JDK writes its own Content-Length: 34 beside it, and a server that prefers the chunked reading ends the
        // body at "0\r\n\r\n" and reads the rest of it as a request.
        assertThat(MessageFraming.ofApplicationHeaders(NONE, List.of("chunked"), 34)).contains("Transfer-Encoding");
        assertThat(MessageFraming.ofApplicationHeaders(NONE, List.of("chunked"), UNKNOWN_LENGTH)).contains("Transfer-Encoding");
        assertThat(MessageFraming.ofApplicationHeaders(List.of("36"), NONE, NO_BODY)).isEqualTo("Content-Length: 36 on a request with no body");
        assertThat(MessageFraming.ofApplicationHeaders(List.of("36"), NONE, 0)).isNotNull();
        assertThat(MessageFraming.ofApplicationHeaders(List.of("3"), NONE, 5)).isNotNull();
        assertThat(MessageFraming.ofApplicationHeaders(List.of("5"), NONE, UNKNOWN_LENGTH)).isNotNull();
    }

    @Test
    void aBodyIsNoneItsLengthOrUnknown() {
        assertThat(MessageFraming.body(false, 12)).isEqualTo(NO_BODY);
        assertThat(MessageFraming.body(true, 12)).isEqualTo(12);
        assertThat(MessageFraming.body(true, 0)).isEqualTo(0);
        assertThat(MessageFraming.body(true, -1)).isEqualTo(UNKNOWN_LENGTH);
        assertThat(MessageFraming.body(true, -7)).isEqualTo(UNKNOWN_LENGTH);
    }
}
