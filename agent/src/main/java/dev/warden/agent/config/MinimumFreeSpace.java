package dev.warden.agent.config;

import java.util.Locale;

/**
 * {@code receipts-min-free}: how much usable space the receipts directory's file store must keep, as
 * bytes ({@code 512MB}; units B, KB, MB, GB, TB, powers of 1024, {@code KiB}... accepted too) or as a
 * percentage of the file store's size ({@code 5%}). {@code 0} turns the watermark off.
 *
 * @param bytes   the minimum in bytes, when not a percentage
 * @param percent the minimum as a percentage of the file store, or 0 when given in bytes
 */
public record MinimumFreeSpace(long bytes, double percent) {

    public static final MinimumFreeSpace NONE = new MinimumFreeSpace(0, 0);

    private static final String[] UNITS = {"B", "KB", "MB", "GB", "TB"};
    private static final java.util.regex.Pattern SIZE = java.util.regex.Pattern.compile("(\\d{1,19})([KMGT]?)(I?B)?");

    public MinimumFreeSpace {
        if (bytes < 0 || percent < 0 || percent >= 100 || bytes > 0 && percent > 0) {
            throw new IllegalArgumentException("either a number of bytes or a percentage below 100");
        }
    }

    /** @throws IllegalArgumentException saying what is wrong with {@code text} */
    public static MinimumFreeSpace parse(String text) {
        String value = text.trim().toUpperCase(Locale.ROOT).replace(" ", "");
        if (value.endsWith("%")) {
            double percent;
            try {
                percent = Double.parseDouble(value.substring(0, value.length() - 1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("not a percentage");
            }
            if (!(percent >= 0 && percent < 100)) {
                throw new IllegalArgumentException("a percentage from 0 to below 100");
            }
            return new MinimumFreeSpace(0, percent);
        }
        java.util.regex.Matcher size = SIZE.matcher(value);
        if (!size.matches()) {
            throw new IllegalArgumentException("not a size such as 512MB, 2GB or 5%");
        }
        int unit = size.group(2).isEmpty() ? 0 : "KMGT".indexOf(size.group(2)) + 1;
        long amount;
        try {
            amount = Long.parseLong(size.group(1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("out of range");
        }
        if (amount > Long.MAX_VALUE >> (10 * unit)) {
            throw new IllegalArgumentException("out of range");
        }
        return new MinimumFreeSpace(amount << (10 * unit), 0);
    }

    public boolean disabled() {
        return bytes == 0 && percent == 0;
    }

    /** The minimum in bytes on a file store of {@code totalBytes}. */
    public long of(long totalBytes) {
        return percent > 0 ? (long) (totalBytes * (percent / 100)) : bytes;
    }

    /** {@code 512 MB}, {@code 1.5 GB}, {@code 900 B}: for refusals and the log. */
    public static String describe(long bytes) {
        int unit = 0;
        double value = bytes;
        while (value >= 1024 && unit < UNITS.length - 1) {
            value /= 1024;
            unit++;
        }
        return (value >= 10 || unit == 0 ? String.format(Locale.ROOT, "%d", (long) value)
                : String.format(Locale.ROOT, "%.1f", value)) + " " + UNITS[unit];
    }

    /** Exactly, as {@link #parse} reads it back: {@code 536870912} or {@code 5.0%}. */
    @Override
    public String toString() {
        return percent > 0 ? percent + "%" : Long.toString(bytes);
    }
}
