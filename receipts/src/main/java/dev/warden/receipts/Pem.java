package dev.warden.receipts;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** RFC 7468 textual encoding, just the one-block case key files use. */
final class Pem {
    private Pem() {
    }

    static String encode(String label, byte[] der) {
        return "-----BEGIN " + label + "-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
                + "\n-----END " + label + "-----\n";
    }

    static byte[] decode(String label, String text, String what) throws KeyFormatException {
        String begin = "-----BEGIN " + label + "-----";
        String end = "-----END " + label + "-----";
        int from = text.indexOf(begin);
        int to = text.indexOf(end);
        if (from < 0 || to < from) {
            String found = text.contains("-----BEGIN ")
                    ? text.substring(text.indexOf("-----BEGIN "), Math.min(text.length(), text.indexOf("-----BEGIN ") + 40)).lines().findFirst().orElse("")
                    : "no PEM block";
            throw new KeyFormatException(what + " must be a PEM '" + label + "' block, found " + found);
        }
        try {
            return Base64.getMimeDecoder().decode(text.substring(from + begin.length(), to));
        } catch (IllegalArgumentException e) {
            throw new KeyFormatException(what + " holds invalid base64: " + e.getMessage());
        }
    }
}
