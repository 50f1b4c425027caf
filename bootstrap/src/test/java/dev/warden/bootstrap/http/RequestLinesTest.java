package dev.warden.bootstrap.http;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** A request line is written as one request: its method a token, its target without control characters, or it is named, never quoted. */
class RequestLinesTest {

    @Test
    void whatClientsWriteOfTheirOwnPasses() {
        for (String method : new String[]{"GET", "POST", "DELETE", "PATCH", "PROPFIND", "CONNECT", "get", "M-SEARCH", "X_CUSTOM"}) {
            assertThat(RequestLines.mismatch(method, "/api/x", "a=1")).as(method).isNull();
        }
        assertThat(RequestLines.mismatch(null, null, null)).as("the client's defaults").isNull();
        assertThat(RequestLines.mismatch("GET", "/a%0D%0Ab", "q=%0A")).as("encoded, as OkHttp writes a line break").isNull();
        assertThat(RequestLines.mismatch("GET", "/a b", null)).as("a space in a path: HttpURLConnection writes it so").isNull();
    }

    @Test
    void aMethodThatEndsOrSplitsItsRequestLineIsNamedWithoutItsText() {
        for (String method : new String[]{"DELETE /admin/x HTTP/1.1\r\nX-Note:", "GET\n", "GET /admin", "GET\t", "", "GE\u0000T",
                "G\u00c9T"}) {
            assertThat(RequestLines.mismatch(method, "/api/ok", null)).as(method).isNotNull()
                    .contains(method.length() + " characters").doesNotContain("admin", "\r", "\n");
        }
    }

    @Test
    void aTargetHoldingALineBreakOrAnotherControlIsNamedWithoutItsText() {
        assertThat(RequestLines.mismatch("GET", "/admin/x HTTP/1.1\r\nX-Note:", null)).contains("control character")
                .doesNotContain("admin");
        assertThat(RequestLines.mismatch("GET", "/api/x", "a=1\nb")).contains("control character");
        assertThat(RequestLines.mismatch("GET", "/api/\u0000x", null)).isNotNull();
        assertThat(RequestLines.mismatch("GET", "/api/\u007fx", null)).isNotNull();
    }
}
