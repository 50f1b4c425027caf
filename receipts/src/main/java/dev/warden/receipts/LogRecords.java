package dev.warden.receipts;

import net.openhft.chronicle.bytes.Bytes;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Reads and writes the payload of one queue excerpt (layout in docs/RECEIPTS.md, "Queue excerpts"). */
final class LogRecords {
    static final int HASH_LENGTH = 32;

    private LogRecords() {
    }

    static void writeReceipt(Bytes<?> out, byte[] leafHash, byte[] canonical, int length) {
        out.writeByte(LogEntry.RECEIPT);
        out.write(leafHash);
        out.write(canonical, 0, length);
    }

    static void writeCheckpoint(Bytes<?> out, String note, List<byte[]> frontier) {
        byte[] text = note.getBytes(StandardCharsets.UTF_8);
        out.writeByte(LogEntry.CHECKPOINT);
        out.writeInt(text.length); // little-endian
        out.write(text);
        out.writeUnsignedByte(frontier.size());
        frontier.forEach(out::write);
    }

    static void writeCosigned(Bytes<?> out, String note) {
        byte[] text = note.getBytes(StandardCharsets.UTF_8);
        out.writeByte(LogEntry.COSIGNED);
        out.writeInt(text.length); // little-endian
        out.write(text);
    }

    static LogEntry read(long index, Bytes<?> in) {
        long remaining = in.readRemaining();
        if (remaining < 1) {
            return new LogEntry.UnreadableEntry(index, "empty excerpt");
        }
        byte kind = in.readByte();
        if (kind == LogEntry.RECEIPT) {
            if (remaining < 1 + HASH_LENGTH) {
                return new LogEntry.UnreadableEntry(index, "receipt excerpt cut short (" + remaining + " bytes)");
            }
            byte[] hash = new byte[HASH_LENGTH];
            in.read(hash);
            byte[] bytes = new byte[(int) in.readRemaining()];
            in.read(bytes);
            return new LogEntry.StoredReceipt(index, hash, bytes);
        }
        if (kind == LogEntry.CHECKPOINT) {
            if (in.readRemaining() < 4) {
                return new LogEntry.UnreadableEntry(index, "checkpoint excerpt cut short");
            }
            int length = in.readInt();
            if (length < 0 || in.readRemaining() < length + 1L) {
                return new LogEntry.UnreadableEntry(index, "checkpoint excerpt cut short");
            }
            byte[] text = new byte[length];
            in.read(text);
            int count = in.readUnsignedByte();
            if (in.readRemaining() != (long) count * HASH_LENGTH) {
                return new LogEntry.UnreadableEntry(index, "checkpoint frontier has the wrong length");
            }
            List<byte[]> frontier = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                byte[] h = new byte[HASH_LENGTH];
                in.read(h);
                frontier.add(h);
            }
            return new LogEntry.StoredCheckpoint(index, new String(text, StandardCharsets.UTF_8), frontier);
        }
        if (kind == LogEntry.COSIGNED) {
            if (in.readRemaining() < 4) {
                return new LogEntry.UnreadableEntry(index, "cosigned checkpoint excerpt cut short");
            }
            int length = in.readInt();
            if (length < 0 || in.readRemaining() != length) {
                return new LogEntry.UnreadableEntry(index, "cosigned checkpoint excerpt has the wrong length");
            }
            byte[] text = new byte[length];
            in.read(text);
            return new LogEntry.StoredCosigned(index, new String(text, StandardCharsets.UTF_8));
        }
        return new LogEntry.UnreadableEntry(index, "unknown excerpt kind 0x" + Integer.toHexString(kind & 0xff));
    }
}
