package dev.warden.verifier;

import dev.warden.receipts.ReceiptLog;
import dev.warden.receipts.ReceiptLogOptions;
import net.openhft.chronicle.queue.ChronicleQueue;
import net.openhft.chronicle.queue.RollCycles;
import net.openhft.chronicle.wire.DocumentContext;

import java.nio.file.Path;
import java.time.Duration;

/**
 * A writer process that dies like {@code kill -9} in the middle of an append: it appends receipts
 * (no checkpoint is due), starts one more excerpt, writes half of it, and halts without any
 * shutdown hook, close or final checkpoint.
 */
public final class CrashingWriter {
    public static void main(String[] args) throws Exception {
        Path directory = Path.of(args[0]);
        int count = Integer.parseInt(args[1]);
        ReceiptLogOptions options = ReceiptLogOptions.defaults(directory).withOrigin("warden/test")
                .withCheckpoints(1_000_000, Duration.ofHours(1));
        ReceiptLog log = ReceiptLog.open(options);
        log.archivePolicy(SampleLog.POLICY_VERSION, SampleLog.POLICY);
        for (int i = 0; i < count; i++) {
            log.append(SampleLog.draft(i));
        }
        ChronicleQueue queue = ChronicleQueue.singleBuilder(directory.resolve("queue")).rollCycle(RollCycles.FAST_DAILY).build();
        DocumentContext torn = queue.createAppender().writingDocument();
        torn.wire().bytes().writeByte((byte) 'R').write(new byte[32]).write("{\"actionDigest\":".getBytes());
        Runtime.getRuntime().halt(137);
    }
}
