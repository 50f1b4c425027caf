package dev.warden.agent.record;

import dev.warden.agent.config.MinimumFreeSpace;

import java.io.IOException;

/**
 * The free-space watermark of the receipts directory. Below the configured minimum every action is
 * refused, naming it, and the refusals are still recorded (compactly: they form bursts); below the floor,
 * a quarter of the minimum, nothing more is written and every action is still refused. The space is
 * sampled, never asked per action: by the record stage's housekeeping thread and every
 * {@link #SAMPLE_EVERY} receipts written, so between two samples at most that many receipts (or one
 * housekeeping interval's worth) are written past the watermark.
 */
public final class DiskWatermark {

    public static final int SAMPLE_EVERY = 1024;

    /** Opens the reason of every refusal for want of space. */
    public static final String DISK_LOW = "warden.disk-low";

    /** The floor is this fraction of the minimum. */
    static final int FLOOR_DIVISOR = 4;

    private record Level(String refusal, boolean writable) {
        static final Level ROOM = new Level(null, true);
    }

    private final DiskSpace space;
    private final MinimumFreeSpace minimum;
    private volatile Level level = Level.ROOM;

    public DiskWatermark(DiskSpace space, MinimumFreeSpace minimum) {
        this.space = space;
        this.minimum = minimum;
        sample();
    }

    /** No watermark: always room. */
    public static DiskWatermark none() {
        return new DiskWatermark(null, MinimumFreeSpace.NONE);
    }

    public boolean enabled() {
        return !minimum.disabled();
    }

    /** Asks the file system once and remembers the answer. Never throws. */
    public void sample() {
        if (!enabled()) {
            return;
        }
        Level next;
        try {
            long usable = space.usableBytes();
            long min = minimum.of(space.totalBytes());
            long floor = min / FLOOR_DIVISOR;
            if (usable >= min) {
                next = Level.ROOM;
            } else if (usable >= floor) {
                next = new Level(free(usable) + ", below " + MinimumFreeSpace.describe(min) + " (receipts-min-free)", true);
            } else {
                next = new Level(free(usable) + ", below the floor of " + MinimumFreeSpace.describe(floor)
                        + ": no more receipts are written", false);
            }
        } catch (IOException | RuntimeException e) {
            next = new Level(DISK_LOW + ": the free space of " + space.where() + " cannot be read (" + e + ")", true);
        }
        level = next;
    }

    /** Why every action is refused now, or null when there is room. One volatile read. */
    public String refusal() {
        return level.refusal();
    }

    /** Whether receipts may still be written (false below the floor). */
    public boolean writable() {
        return level.writable();
    }

    private String free(long usable) {
        return DISK_LOW + ": " + MinimumFreeSpace.describe(usable) + " free in " + space.where();
    }
}
