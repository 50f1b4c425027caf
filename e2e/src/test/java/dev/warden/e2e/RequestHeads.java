package dev.warden.e2e;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/** What the raw test servers read of a request: its head, up to the blank line. */
final class RequestHeads {

    private RequestHeads() {
    }

    /** The path of the next request's line, once its whole head is read; null when the client sent none. */
    static String path(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        for (int b; matched < 4 && (b = in.read()) >= 0; ) {
            head.write(b);
            matched = (b == "\r\n\r\n".charAt(matched)) ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        String[] line = head.toString(StandardCharsets.US_ASCII).split(" ", 3);
        return matched == 4 && line.length == 3 ? line[1] : null;
    }
}
