package dev.warden.agent.siem;

import dev.warden.agent.config.SiemConfig;
import dev.warden.agent.config.SyslogAddress;
import dev.warden.agent.logging.WardenLog;
import dev.warden.receipts.CheckpointListener;
import dev.warden.receipts.NewCheckpoint;
import dev.warden.receipts.Receipt;
import dev.warden.receipts.SignedNote;
import dev.warden.receipts.siem.CheckpointEvent;
import dev.warden.receipts.siem.SiemFormat;

import java.io.IOException;
import java.time.Clock;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * Decisions (every receipt written) and checkpoints (signed, and cosigned by witnesses) streamed to a
 * SIEM as JSON lines, off the hot path: the writing thread only offers the receipt to a bounded queue;
 * one Warden thread formats and writes. When the queue is full, or the output cannot take an event
 * (a syslog receiver that is down), the event is dropped and counted (the receipts stay the record of
 * truth) and Warden says so on stderr and in JMX.
 */
public final class SiemStream implements Consumer<Receipt>, CheckpointListener {
    static final int DEFAULT_CAPACITY = 16_384;
    private static final Object END = new Object();

    private final BlockingQueue<Object> queue;
    private final SiemFormat format;
    private final SiemOutput output;
    private final Clock clock;
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong unwritten = new AtomicLong();
    private final AtomicLong written = new AtomicLong();
    private final Thread thread;
    private long droppedReported;          // writer thread only
    private String lastFailure;            // writer thread only
    private long unwrittenSinceFailure;    // writer thread only

    SiemStream(SiemOutput output, SiemFormat format, int capacity, Clock clock, ThreadFactory threads) {
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.format = format;
        this.output = output;
        this.clock = clock;
        this.thread = threads.newThread(this::run);
    }

    /** The stream {@code config} asks for, started, or null when it asks for none. */
    public static SiemStream start(SiemConfig config, Clock clock, ThreadFactory threads) {
        if (!config.enabled()) {
            return null;
        }
        SiemStream stream = new SiemStream(output(config), config.format(), DEFAULT_CAPACITY, clock, threads);
        stream.start();
        return stream;
    }

    private static SiemOutput output(SiemConfig config) {
        if (config.stdout()) {
            return new StdoutOutput();
        }
        SyslogAddress syslog = config.syslog();
        if (syslog == null) {
            return new RotatingFile(config.file(), config.maxBytes(), config.files());
        }
        SyslogMessages messages = SyslogMessages.ofThisProcess();
        return syslog.transport() == SyslogAddress.Transport.TCP ? new TcpSyslog(syslog, messages, System::nanoTime)
                : new UdpSyslog(syslog, messages);
    }

    void start() {
        thread.start();
    }

    @Override
    public void accept(Receipt receipt) {
        offer(receipt);
    }

    @Override
    public void signed(NewCheckpoint checkpoint) {
        offer(new CheckpointEvent(clock.instant(), checkpoint.note(), false));
    }

    /** A checkpoint a witness cosigned. */
    public void cosigned(SignedNote note) {
        offer(new CheckpointEvent(clock.instant(), note, true));
    }

    /** The log's last checkpoint is written: what is queued is written before the log closes. */
    @Override
    public void closing() {
        close(java.time.Duration.ofSeconds(2));
    }

    /** Events dropped because the queue was full or the output could not take them. */
    public long dropped() {
        return dropped.get() + unwritten.get();
    }

    public long written() {
        return written.get();
    }

    void close(java.time.Duration wait) {
        try {
            queue.offer(END, wait.toMillis(), TimeUnit.MILLISECONDS);
            thread.join(wait.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void offer(Object event) {
        if (!queue.offer(event)) {
            dropped.incrementAndGet();
        }
    }

    private void run() {
        try {
            for (Object event = queue.take(); event != END; event = queue.take()) {
                write(event);
                if (queue.isEmpty()) {
                    flush();
                }
            }
            flush();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            try {
                output.close();
            } catch (IOException e) {
                failed(e);
            }
            reportUnwritten("");
        }
    }

    private void write(Object event) {
        try {
            output.write(event instanceof Receipt receipt ? decision(receipt) : checkpoint((CheckpointEvent) event));
            written.incrementAndGet();
            reportUnwritten("writing again; ");
            lastFailure = null;
        } catch (IOException | RuntimeException e) {
            unwritten.incrementAndGet();
            unwrittenSinceFailure++;
            failed(e);
        }
    }

    private SiemEvent decision(Receipt receipt) {
        return new SiemEvent(receipt.time(), "decision", Severity.of(receipt), format.receipt(receipt), max -> format.receipt(receipt, max));
    }

    private SiemEvent checkpoint(CheckpointEvent checkpoint) {
        return new SiemEvent(checkpoint.time(), "checkpoint", Severity.INFORMATIONAL, format.checkpoint(checkpoint));
    }

    /** Once per outage (its first failure is said as it happens): how many events it cost. */
    private void reportUnwritten(String prefix) {
        if (unwrittenSinceFailure > 0) {
            WardenLog.warn("SIEM stream: " + prefix + unwrittenSinceFailure + " events could not be written ("
                    + unwritten.get() + " in all); the receipts have every decision");
            unwrittenSinceFailure = 0;
        }
    }

    private void flush() {
        try {
            output.flush();
        } catch (IOException e) {
            failed(e);
        }
        long drops = dropped.get();
        if (drops > droppedReported) {
            WardenLog.warn("SIEM stream: " + (drops - droppedReported) + " events dropped (queue full; " + drops
                    + " in all); the receipts have every decision");
            droppedReported = drops;
        }
    }

    private void failed(Exception e) {
        String failure = "SIEM stream: cannot write: " + e;
        if (!failure.equals(lastFailure)) {
            WardenLog.warn(failure);
        }
        lastFailure = failure;
    }
}
