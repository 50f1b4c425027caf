package dev.warden.receipts;

import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.regex.Pattern;

/**
 * What the scanner knows of Chronicle Queue's file layout (version pinned in the parent pom): a
 * document is a 4-byte little-endian header (low 30 bits length, bit 30 metadata, bit 31 not
 * complete) and its payload, the next header at the following 4-byte boundary; a header of 0 ends
 * the data; {@code 0xC0000000} followed by the BinaryWire text {@code "EOF"} marks a file the queue rolled away
 * from. Metadata documents are
 * Chronicle's own, recognised by their BinaryWire field name.
 */
final class ChronicleLayout {
    static final int LENGTH_MASK = 0x3FFF_FFFF;
    static final int META_DATA = 0x4000_0000;
    static final int NOT_COMPLETE = 0x8000_0000;
    /**
     * Chronicle's end-of-file marker (Wire's {@code END_OF_DATA}): a header flagged metadata and not complete, of
     * length 0, followed by {@link #END_OF_FILE_TEXT} outside any document.
     */
    static final int END_OF_FILE = NOT_COMPLETE | META_DATA;
    /** BinaryWire's text of length 3, {@code "EOF"}, little-endian: what Chronicle writes after {@link #END_OF_FILE}. */
    static final int END_OF_FILE_TEXT = 0xC3 | 'E' << 8 | 'O' << 16 | 'F' << 24;
    static final String METADATA_FILE = "metadata.cq4t";
    /** The most Chronicle's table store may hold here: it is 128 KiB as Chronicle makes it. */
    static final int MAX_METADATA_FILE = 4 << 20;
    /**
     * The longest document Chronicle writes with the block size Warden keeps (its default, 64 MiB): a writing document
     * may hold at most the mapping's overlap, a quarter of a block (docs/RECEIPTS.md, "Queue file sizes").
     */
    static final int MAX_DOCUMENT = 16 << 20;
    /**
     * The most zero bytes a scan of one cycle file reads between and after documents. A writer leaves at most one
     * mapping's worth (a 64 MiB block and its 16 MiB overlap) past the end of its data, trimmed to 64 KiB once released;
     * twice that is room enough. A sparse file of a terabyte takes no disk but would take an hour to read.
     */
    static final long MAX_ZEROS_SCANNED = 2L * (80 << 20);
    static final Pattern CYCLE_FILE = Pattern.compile("[0-9]{8}F\\.cq4");
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyyMMdd");
    private static final byte FIELD_NAME = (byte) 0xB9;
    private static final byte PADDING = (byte) 0x8F;
    private static final byte PADDING32 = (byte) 0x8E;
    private static final byte INT64 = (byte) 0xA7;
    private static final byte INT64_ARRAY = (byte) 0x8D;

    private ChronicleLayout() {
    }

    static long align(long position) {
        return (position + 3) & ~3L;
    }

    /** The file name of a FAST_DAILY cycle (days since the epoch). */
    static String cycleFileName(long cycle) {
        return LocalDate.ofEpochDay(cycle).format(DAY) + "F.cq4";
    }

    /** Is this metadata payload one of Chronicle's own documents (the store header, an index)? */
    static boolean isChronicleMetadata(byte[] payload, boolean atFileStart) {
        return atFileStart ? startsWithField(payload, "header") : startsWithField(payload, "index2index")
                || startsWithField(payload, "index");
    }

    /** The store header's {@code writePosition} hint (the first of its two longs), or -1 when absent. */
    static long writePosition(byte[] header) {
        int at = fieldValue(header, "writePosition");
        if (at < 0 || at >= header.length || header[at] != INT64_ARRAY || at + 1 + 24 > header.length) {
            return -1;
        }
        return littleEndianLong(header, at + 1 + 16); // capacity, used, then the values
    }

    /** An int64 entry of the table store (metadata.cq4t), e.g. {@code listing.highestCycle}, or {@code Long.MIN_VALUE}. */
    static long tableValue(byte[] table, String key) {
        int at = fieldValue(table, key);
        if (at < 0 || at + 9 > table.length || table[at] != INT64) {
            return Long.MIN_VALUE;
        }
        return littleEndianLong(table, at + 1);
    }

    private static boolean startsWithField(byte[] payload, String name) {
        byte[] n = name.getBytes(StandardCharsets.US_ASCII);
        if (payload.length < 2 + n.length || payload[0] != FIELD_NAME || payload[1] != n.length) {
            return false;
        }
        for (int i = 0; i < n.length; i++) {
            if (payload[2 + i] != n[i]) {
                return false;
            }
        }
        return true;
    }

    /** Position of the value after a field name, padding skipped; -1 when the name is not there. */
    private static int fieldValue(byte[] bytes, String name) {
        byte[] n = name.getBytes(StandardCharsets.US_ASCII);
        int at = indexOf(bytes, n);
        if (at < 0) {
            return -1;
        }
        int p = at + n.length;
        while (p < bytes.length) {
            if (bytes[p] == PADDING) {
                p++;
            } else if (bytes[p] == PADDING32 && p + 5 <= bytes.length) {
                long skip = (bytes[p + 1] & 0xffL) | (bytes[p + 2] & 0xffL) << 8 | (bytes[p + 3] & 0xffL) << 16
                        | (bytes[p + 4] & 0xffL) << 24;
                if (skip < 0 || skip > bytes.length) {
                    return -1;
                }
                p += 5 + (int) skip;
            } else {
                return p;
            }
        }
        return -1;
    }

    private static long littleEndianLong(byte[] b, int at) {
        long v = 0;
        for (int i = 7; i >= 0; i--) {
            v = v << 8 | (b[at + i] & 0xffL);
        }
        return v;
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
