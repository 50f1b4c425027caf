package dev.warden.receipts;

import net.openhft.chronicle.bytes.Bytes;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads and writes the payload of one queue excerpt (layout in docs/RECEIPTS.md, "Queue excerpts").
 * Reading works on a plain byte array the {@link QueueScanner} copied out of the file, bounds-checked.
 */
final class LogRecords {
    static final int HASH_LENGTH = 32;
    /** Queue format: 2 added receipt MACs, cycle-start excerpts and the checkpoints' previous-size line. */
    static final int QUEUE_FORMAT = 2;

    private LogRecords() {
    }

    static void writeReceipt(Bytes<?> out, byte[] leafHash, byte[] mac, byte[] canonical, int length) {
        out.writeByte(LogEntry.RECEIPT);
        out.write(leafHash);
        out.write(mac);
        out.write(canonical, 0, length);
    }

    /**
     * A checkpoint excerpt's bytes, made by the signer so that the append that writes it (under the log's lock) only
     * copies them.
     */
    static byte[] checkpoint(String note, List<byte[]> frontier) {
        byte[] text = note.getBytes(StandardCharsets.UTF_8);
        ByteBuffer out = ByteBuffer.allocate(1 + Integer.BYTES + text.length + 1 + frontier.size() * HASH_LENGTH)
                .order(ByteOrder.LITTLE_ENDIAN); // as Chronicle writes
        out.put(LogEntry.CHECKPOINT);
        out.putInt(text.length);
        out.put(text);
        out.put((byte) frontier.size());
        frontier.forEach(out::put);
        return out.array();
    }

    static void writeCosigned(Bytes<?> out, String note) {
        byte[] text = note.getBytes(StandardCharsets.UTF_8);
        out.writeByte(LogEntry.COSIGNED);
        out.writeInt(text.length); // little-endian
        out.write(text);
    }

    static void writeCycleStart(Bytes<?> out, String previousFile, long nextSequence, byte[] previousHash) {
        byte[] name = previousFile.getBytes(StandardCharsets.US_ASCII);
        out.writeByte(LogEntry.CYCLE_START);
        out.writeUnsignedByte(QUEUE_FORMAT);
        out.writeUnsignedByte(name.length);
        out.write(name);
        out.writeLong(nextSequence); // little-endian
        out.write(previousHash);
    }

    /** Whether {@code kind} is the first byte of an excerpt this version writes. */
    static boolean isKnownKind(byte kind) {
        return kind == LogEntry.RECEIPT || kind == LogEntry.CHECKPOINT || kind == LogEntry.COSIGNED
                || kind == LogEntry.CYCLE_START;
    }

    static LogEntry read(ExcerptLocation at, byte[] payload) {
        return read(at, ByteBuffer.wrap(payload));
    }

    /** From the bytes between a buffer's position and its limit, exactly the payload; every part is copied out, the buffer is not kept. */
    static LogEntry read(ExcerptLocation at, ByteBuffer payload) {
        ByteBuffer in = payload.order(ByteOrder.LITTLE_ENDIAN);
        int payloadLength = in.remaining();
        if (!in.hasRemaining()) {
            return new LogEntry.UnreadableEntry(at, "empty excerpt");
        }
        byte kind = in.get();
        if (kind == LogEntry.RECEIPT) {
            if (in.remaining() < HASH_LENGTH + ReceiptMac.LENGTH) {
                return new LogEntry.UnreadableEntry(at, "receipt excerpt cut short (" + payloadLength + " bytes)");
            }
            byte[] hash = take(in, HASH_LENGTH);
            byte[] mac = take(in, ReceiptMac.LENGTH);
            return new LogEntry.StoredReceipt(at, hash, mac, take(in, in.remaining()));
        }
        if (kind == LogEntry.CHECKPOINT) {
            if (in.remaining() < 4) {
                return new LogEntry.UnreadableEntry(at, "checkpoint excerpt cut short");
            }
            int length = in.getInt();
            if (length < 0 || in.remaining() < length + 1L) {
                return new LogEntry.UnreadableEntry(at, "checkpoint excerpt cut short");
            }
            byte[] text = take(in, length);
            int count = in.get() & 0xff;
            if (in.remaining() != (long) count * HASH_LENGTH) {
                return new LogEntry.UnreadableEntry(at, "checkpoint frontier has the wrong length");
            }
            List<byte[]> frontier = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                frontier.add(take(in, HASH_LENGTH));
            }
            return new LogEntry.StoredCheckpoint(at, new String(text, StandardCharsets.UTF_8), frontier);
        }
        if (kind == LogEntry.COSIGNED) {
            if (in.remaining() < 4) {
                return new LogEntry.UnreadableEntry(at, "cosigned checkpoint excerpt cut short");
            }
            int length = in.getInt();
            if (length < 0 || in.remaining() != length) {
                return new LogEntry.UnreadableEntry(at, "cosigned checkpoint excerpt has the wrong length");
            }
            return new LogEntry.StoredCosigned(at, new String(take(in, length), StandardCharsets.UTF_8));
        }
        if (kind == LogEntry.CYCLE_START) {
            if (in.remaining() < 2) {
                return new LogEntry.UnreadableEntry(at, "cycle-start excerpt cut short");
            }
            int version = in.get() & 0xff;
            int nameLength = in.get() & 0xff;
            if (in.remaining() != nameLength + 8 + HASH_LENGTH) {
                return new LogEntry.UnreadableEntry(at, "cycle-start excerpt has the wrong length");
            }
            String previous = new String(take(in, nameLength), StandardCharsets.US_ASCII);
            long next = in.getLong();
            return new LogEntry.CycleStart(at, version, previous, next, Hex.of(take(in, HASH_LENGTH)));
        }
        return new LogEntry.UnreadableEntry(at, "unknown excerpt kind 0x" + Integer.toHexString(kind & 0xff));
    }

    private static byte[] take(ByteBuffer in, int n) {
        byte[] b = new byte[n];
        in.get(b);
        return b;
    }
}
