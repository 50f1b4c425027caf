package dev.warden.receipts;

import java.time.Instant;
import java.time.LocalDate;
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

    /** The length of every receipt time. */
    static final int LENGTH = 30;

    static String format(Instant t) {
        byte[] out = new byte[LENGTH];
        format(t, out, 0);
        return new String(out, java.nio.charset.StandardCharsets.ISO_8859_1);
    }

    /** A day and its date spelled {@code YYYY-MM-DD}: the receipts of one day spell it once, not once each. */
    private record Day(long epochDay, byte[] spelled) {
    }

    private static volatile Day lastDay = new Day(Long.MIN_VALUE, new byte[10]);

    /** Writes {@code t}'s {@link #LENGTH} ASCII characters into {@code out} at {@code at}: every receipt's time, without a string. */
    static void format(Instant t, byte[] out, int at) {
        long epochDay = Math.floorDiv(t.getEpochSecond(), 86_400L);
        int secondOfDay = (int) Math.floorMod(t.getEpochSecond(), 86_400L);
        Day day = lastDay;
        if (day.epochDay() != epochDay) {
            day = spell(epochDay, t);
            lastDay = day;
        }
        System.arraycopy(day.spelled(), 0, out, at, 10);
        out[at + 10] = 'T';
        digits(out, at + 11, 2, secondOfDay / 3600);
        out[at + 13] = ':';
        digits(out, at + 14, 2, secondOfDay / 60 % 60);
        out[at + 16] = ':';
        digits(out, at + 17, 2, secondOfDay % 60);
        out[at + 19] = '.';
        digits(out, at + 20, 9, t.getNano());
        out[at + 29] = 'Z';
    }

    private static Day spell(long epochDay, Instant t) {
        LocalDate d = LocalDate.ofEpochDay(epochDay);
        if (d.getYear() < 0 || d.getYear() > 9999) {
            throw new IllegalArgumentException("time outside years 0000-9999: " + t);
        }
        byte[] spelled = new byte[10];
        digits(spelled, 0, 4, d.getYear());
        spelled[4] = '-';
        digits(spelled, 5, 2, d.getMonthValue());
        spelled[7] = '-';
        digits(spelled, 8, 2, d.getDayOfMonth());
        return new Day(epochDay, spelled);
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

    private static void digits(byte[] c, int at, int width, int value) {
        for (int i = at + width - 1; i >= at; i--) {
            c[i] = (byte) ('0' + value % 10);
            value /= 10;
        }
    }
}
