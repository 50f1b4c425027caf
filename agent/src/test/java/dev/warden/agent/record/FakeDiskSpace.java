package dev.warden.agent.record;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicInteger;

/** Free space the test sets, counting how often it is asked. */
final class FakeDiskSpace implements DiskSpace {
    volatile long usable;
    volatile long total;
    volatile IOException failure;
    final AtomicInteger asked = new AtomicInteger();

    FakeDiskSpace(long usable, long total) {
        this.usable = usable;
        this.total = total;
    }

    @Override
    public long usableBytes() throws IOException {
        asked.incrementAndGet();
        if (failure != null) {
            throw failure;
        }
        return usable;
    }

    @Override
    public long totalBytes() {
        return total;
    }

    @Override
    public String where() {
        return "/var/warden";
    }
}
