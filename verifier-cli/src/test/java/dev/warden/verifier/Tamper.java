package dev.warden.verifier;

import dev.warden.receipts.LogEntry;
import dev.warden.receipts.ReceiptReader;
import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ChronicleQueue;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.RollCycles;
import net.openhft.chronicle.wire.DocumentContext;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

/**
 * What an attacker with write access to the receipts directory can do. Queue rewrites go through
 * Chronicle with the excerpt layout of docs/RECEIPTS.md, written here independently of the receipts
 * module's own writer.
 */
public final class Tamper {
    static {
        System.setProperty("chronicle.analytics.disable", "true");
        System.setProperty("chronicle.announcer.disable", "true");
        System.setProperty("chronicle.disk.monitor.disable", "true");
    }

    /** The location of an excerpt made up here, before it is written anywhere. */
    public static final dev.warden.receipts.ExcerptLocation NOWHERE = new dev.warden.receipts.ExcerptLocation("(forged)", 0);

    private Tamper() {
    }

    /** Replaces the queue with the given edit of its excerpts. */
    public static void rewrite(Path directory, UnaryOperator<List<LogEntry>> edit) throws IOException {
        List<LogEntry> entries = edit.apply(new ArrayList<>(ReceiptReader.readAll(directory).stream()
                .filter(e -> !(e instanceof LogEntry.QueueDamage)).toList()));
        Path queue = directory.resolve("queue");
        try (Stream<Path> files = Files.walk(queue)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
        try (ChronicleQueue q = ChronicleQueue.singleBuilder(queue).rollCycle(RollCycles.FAST_DAILY).build()) {
            ExcerptAppender appender = q.createAppender();
            for (LogEntry e : entries) {
                try (DocumentContext dc = appender.writingDocument()) {
                    write(dc.wire().bytes(), e);
                }
            }
        }
    }

    private static void write(Bytes<?> out, LogEntry e) {
        if (e instanceof LogEntry.StoredReceipt r) {
            out.writeByte((byte) 'R').write(r.recordedHash()).write(r.mac()).write(r.bytes());
        } else if (e instanceof LogEntry.CycleStart s) {
            byte[] name = s.previousFile().getBytes(StandardCharsets.US_ASCII);
            out.writeByte((byte) 'S').writeUnsignedByte(s.formatVersion()).writeUnsignedByte(name.length).write(name)
                    .writeLong(s.nextSequence()).write(java.util.HexFormat.of().parseHex(s.previousHash()));
        } else if (e instanceof LogEntry.StoredCheckpoint c) {
            byte[] note = c.note().getBytes(StandardCharsets.UTF_8);
            out.writeByte((byte) 'C').writeInt(note.length).write(note).writeUnsignedByte(c.frontier().size());
            c.frontier().forEach(out::write);
        } else if (e instanceof LogEntry.StoredCosigned w) {
            byte[] note = w.note().getBytes(StandardCharsets.UTF_8);
            out.writeByte((byte) 'W').writeInt(note.length).write(note);
        } else {
            throw new IllegalArgumentException("cannot write " + e);
        }
    }

    /** Changes one byte of the queue file in place: the first occurrence of {@code from} becomes {@code to}. */
    public static void editBytes(Path directory, String from, String to) throws IOException {
        byte[] needle = from.getBytes(StandardCharsets.UTF_8);
        byte[] replacement = to.getBytes(StandardCharsets.UTF_8);
        for (Path file : queueFiles(directory)) {
            byte[] content = Files.readAllBytes(file);
            int at = indexOf(content, needle);
            if (at >= 0) {
                System.arraycopy(replacement, 0, content, at, replacement.length);
                Files.write(file, content);
                return;
            }
        }
        throw new IllegalStateException(from + " not found in the queue files");
    }

    public static List<Path> queueFiles(Path directory) throws IOException {
        try (Stream<Path> files = Files.list(directory.resolve("queue"))) {
            return files.filter(p -> p.toString().endsWith(".cq4")).sorted().toList();
        }
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
