package dev.warden.receipts;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;

/**
 * Receipt times: RFC 3339 in UTC with exactly nine fraction digits, {@code 2026-11-22T10:15:30.000000250Z}.
 * A fixed width keeps the encoding a function of the instant (ISO_INSTANT drops trailing zero groups)
 * and loses no precision.
 */
final class Timestamps {
    private Timestamps() {
    }

    static String format(Instant t) {
        LocalDateTime d = LocalDateTime.ofEpochSecond(t.getEpochSecond(), t.getNano(), ZoneOffset.UTC);
        if (d.getYear() < 0 || d.getYear() > 9999) {
            throw new IllegalArgumentException("time outside years 0000-9999: " + t);
        }
        char[] c = new char[30];
        digits(c, 0, 4, d.getYear());
        c[4] = '-';
        digits(c, 5, 2, d.getMonthValue());
        c[7] = '-';
        digits(c, 8, 2, d.getDayOfMonth());
        c[10] = 'T';
        digits(c, 11, 2, d.getHour());
        c[13] = ':';
        digits(c, 14, 2, d.getMinute());
        c[16] = ':';
        digits(c, 17, 2, d.getSecond());
        c[19] = '.';
        digits(c, 20, 9, d.getNano());
        c[29] = 'Z';
        return new String(c);
    }

    static Instant parse(String s) throws MalformedReceiptException {
        if (s.length() != 30 || s.charAt(19) != '.' || s.charAt(29) != 'Z') {
            throw new MalformedReceiptException("time is not in the form YYYY-MM-DDThh:mm:ss.nnnnnnnnnZ: " + s);
        }
        try {
            // Fixed positions: DateTimeFormatter would cost more than the rest of parsing a receipt.
            LocalDateTime d = LocalDateTime.of(number(s, 0, 4), number(s, 5, 2), number(s, 8, 2),
                    number(s, 11, 2), number(s, 14, 2), number(s, 17, 2), number(s, 20, 9));
            if (s.charAt(4) != '-' || s.charAt(7) != '-' || s.charAt(10) != 'T' || s.charAt(13) != ':' || s.charAt(16) != ':') {
                throw new MalformedReceiptException("time is not in the form YYYY-MM-DDThh:mm:ss.nnnnnnnnnZ: " + s);
            }
            return d.toInstant(ZoneOffset.UTC);
        } catch (java.time.DateTimeException | NumberFormatException e) {
            throw new MalformedReceiptException("time is not a valid instant: " + s);
        }
    }

    private static int number(String s, int from, int length) {
        for (int i = from; i < from + length; i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '9') {
                throw new NumberFormatException(s);
            }
        }
        return Integer.parseInt(s, from, from + length, 10);
    }

    private static void digits(char[] c, int at, int width, int value) {
        for (int i = at + width - 1; i >= at; i--) {
            c[i] = (char) ('0' + value % 10);
            value /= 10;
        }
    }
}
