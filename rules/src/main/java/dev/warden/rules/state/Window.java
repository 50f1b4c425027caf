package dev.warden.rules.state;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.TemporalAdjusters;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How long a count or a spend is remembered, as the policy writes it.
 * <ul>
 *   <li>{@code Ns}, {@code Nm}, {@code Nh}: sliding. Kept as {@value #SLIDING_BUCKETS} buckets of a
 *       sixtieth of the window (plus the current one), so memory stays constant whatever the limit: an
 *       action is counted for between one window and one window and a sixtieth after it. The rounding
 *       only ever counts an action longer, never shorter, so a limit is never overshot.</li>
 *   <li>{@code 1d}, {@code 1w}, {@code 1mo}: the calendar day, ISO week (from Monday) or month in the
 *       policy's time zone; the count starts again at its start.</li>
 *   <li>absent: for ever (a session's token budget).</li>
 * </ul>
 *
 * @param text   as written, for reasons and receipts
 * @param millis a sliding window's length; 0 for calendar windows and for ever
 * @param unit   {@code s}, {@code m}, {@code h}, {@code d}, {@code w}, {@code mo}, or "" for ever
 */
public record Window(String text, long millis, String unit) {

    /** Buckets a sliding window is kept in; one more is read, so nothing is forgotten early. */
    public static final int SLIDING_BUCKETS = 60;

    public static final Window FOREVER = new Window("", 0, "");

    private static final Pattern SYNTAX = Pattern.compile("([0-9]{1,9})(s|m|h|d|w|mo)");

    /** The counting span a window has at one instant: which buckets count, and when it all expires. */
    public record Span(long current, long oldest, long expiresAtMillis) {
    }

    /** @throws IllegalArgumentException naming what is wrong */
    public static Window parse(String text) {
        Matcher matcher = SYNTAX.matcher(text == null ? "" : text.trim().toLowerCase(Locale.ROOT));
        if (!matcher.matches()) {
            throw new IllegalArgumentException("window '" + text + "' is not a duration like 60s, 1m, 1h, 1d, 1w or 1mo");
        }
        long amount = Long.parseLong(matcher.group(1));
        String unit = matcher.group(2);
        if (amount <= 0) {
            throw new IllegalArgumentException("window '" + text + "' must be longer than zero");
        }
        switch (unit) {
            case "s":
                return new Window(text.trim(), amount * 1_000L, unit);
            case "m":
                return new Window(text.trim(), amount * 60_000L, unit);
            case "h":
                return new Window(text.trim(), amount * 3_600_000L, unit);
            default:
                if (amount != 1) {
                    throw new IllegalArgumentException("window '" + text + "': calendar windows are 1d, 1w or 1mo");
                }
                return new Window(text.trim(), 0, unit);
        }
    }

    public boolean sliding() {
        return millis > 0;
    }

    public boolean forever() {
        return unit.isEmpty();
    }

    /** The buckets that count at {@code now}, and when the newest of them stops counting. */
    public Span span(Instant now, ZoneId zone) {
        long at = now.toEpochMilli();
        if (sliding()) {
            long bucket = Math.max(1, millis / SLIDING_BUCKETS);
            long current = Math.floorDiv(at, bucket);
            return new Span(current, current - SLIDING_BUCKETS, (current + SLIDING_BUCKETS + 1) * bucket);
        }
        if (forever()) {
            return new Span(0, 0, Long.MAX_VALUE);
        }
        LocalDate day = now.atZone(zone).toLocalDate();
        LocalDate start;
        LocalDate next;
        switch (unit) {
            case "d" -> {
                start = day;
                next = day.plusDays(1);
            }
            case "w" -> {
                start = day.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
                next = start.plusWeeks(1);
            }
            default -> {
                start = day.withDayOfMonth(1);
                next = start.plusMonths(1);
            }
        }
        long index = start.toEpochDay();
        long end = ZonedDateTime.of(next.atStartOfDay(), zone).toInstant().toEpochMilli();
        return new Span(index, index, end);
    }

    /** "in 1m", "today", ... for reasons. */
    public String describe() {
        return switch (unit) {
            case "" -> "in total";
            case "d" -> "today";
            case "w" -> "this week";
            case "mo" -> "this month";
            default -> "in " + text;
        };
    }
}
