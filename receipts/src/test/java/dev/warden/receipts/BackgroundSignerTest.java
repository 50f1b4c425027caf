package dev.warden.receipts;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * When the signer signs: an append wakes it only from sleep; while receipts flow it looks for itself (an unpark
 * from the appending thread preempts that thread: measured in the JDBC benchmark, see the class). The interval
 * is an hour throughout, so every checkpoint here is one the count made due.
 */
class BackgroundSignerTest {

    private static final int EVERY = 64;

    private final AtomicLong appended = new AtomicLong();
    private final AtomicLong checkpointed = new AtomicLong();
    private final AtomicInteger checkpoints = new AtomicInteger();
    private final BackgroundSigner signer = new BackgroundSigner(this::checkpoint, checkpointed::get, appended::get, EVERY,
            Duration.ofHours(1).toNanos(), Thread::new);

    @AfterEach
    void stop() throws InterruptedException {
        signer.stop();
    }

    @Test
    void anAppendThatMakesACheckpointDueWakesTheSleepingSigner() {
        signer.start();
        appended.set(EVERY - 1);
        signer.receiptAppended();
        appended.set(EVERY);
        signer.receiptAppended();

        await(() -> checkpoints.get() == 1);
        assertThat(checkpointed.get()).isEqualTo(EVERY);
    }

    @Test
    void whileReceiptsFlowItKeepsSigningEveryNReceipts() {
        signer.start();
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (checkpoints.get() < 5 && System.nanoTime() < deadline) {
            appended.incrementAndGet();
            signer.receiptAppended(); // as every append does: it wakes the signer only if it sleeps
        }
        assertThat(checkpoints.get()).as("checkpoints signed while receipts flowed").isGreaterThanOrEqualTo(5);
        assertThat(appended.get()).as("a checkpoint is due only every %d receipts", EVERY).isGreaterThanOrEqualTo(5 * EVERY);
    }

    private void checkpoint() {
        checkpointed.set(appended.get());
        checkpoints.incrementAndGet();
    }

    // A bounded wait for the signer's own schedule.
    private static void await(BooleanSupplier condition) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!condition.getAsBoolean() && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        assertThat(condition.getAsBoolean()).isTrue();
    }
}
