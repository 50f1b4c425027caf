package dev.warden.agent.witness;

import dev.warden.receipts.SignedNote;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;

/**
 * {@code checkpoint-export=FILE}: every signed checkpoint, and later each cosigned one, appended to a
 * file outside the receipts directory, so the newest size has a copy an attacker of the receipts
 * directory does not also hold. Each note is followed by an empty line. Written and synced on a
 * thread of its own: a slow disk delays the copy, never the log.
 */
final class CheckpointExport implements AutoCloseable {
    private final Path file;
    private final ExecutorService writer;
    private FileChannel channel; // only touched on the writer thread
    private volatile String lastFailure;

    CheckpointExport(Path file, ThreadFactory threads) {
        this.file = file;
        this.writer = Executors.newSingleThreadExecutor(threads);
    }

    void append(SignedNote note) {
        byte[] bytes = (note.format() + "\n").getBytes(StandardCharsets.UTF_8);
        try {
            writer.execute(() -> write(bytes));
        } catch (java.util.concurrent.RejectedExecutionException closed) {
            // after close: nothing more is exported
        }
    }

    String lastFailure() {
        return lastFailure;
    }

    @Override
    public void close() {
        writer.shutdown();
        try {
            writer.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void write(byte[] bytes) {
        try {
            if (channel == null) {
                channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
            }
            ByteBuffer buffer = ByteBuffer.wrap(bytes);
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
            channel.force(false);
            lastFailure = null;
        } catch (IOException e) {
            String failure = "cannot append to the checkpoint export " + file + ": " + e;
            if (!failure.equals(lastFailure)) {
                dev.warden.agent.logging.WardenLog.warn(failure);
            }
            lastFailure = failure;
        }
    }
}
