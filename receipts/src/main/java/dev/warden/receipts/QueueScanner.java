package dev.warden.receipts;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.TreeSet;

/**
 * Reads every byte of a receipts queue in order, trusting none of Chronicle's hints (write position,
 * index): it walks each cycle file's documents from offset 0 by their headers, reads what lies past
 * the end of the data, inside documents marked as metadata or as in progress, and after an
 * end-of-file marker, and reports every irregularity as a {@link LogEntry.QueueDamage} with its
 * location instead of failing. Reads are bounds-checked copies ({@link CycleFileReader}), never a
 * memory mapping, so no file content can crash the reader. Rules: docs/RECEIPTS.md, "Reading the queue".
 *
 * <p>Used by the verifier, the browsing commands, and the writer's recovery.
 */
public final class QueueScanner implements AutoCloseable {
    private final Path queueDir;
    private final List<String> files;
    private final Deque<LogEntry> pending = new ArrayDeque<>();
    private final List<CycleSummary> summaries = new ArrayList<>();
    private int nextFile;
    private CycleWalk walk;
    /** A scan of a log a writer may be appending to: {@link #openLive}. */
    private boolean live;

    /**
     * What the scan of one cycle file found.
     *
     * @param endOfData      offset of the header that ends the data Chronicle's readers see (where an appender continues)
     * @param writePosition  Chronicle's write-position hint from the file's header, or -1 when unreadable
     * @param endsRolled     the file ends with Chronicle's end-of-file marker: the queue rolled to a newer file
     * @param tornFrom       first byte of a torn write after the end of the data, or -1
     * @param tornTo         one past its last non-zero byte
     * @param damage         everything wrong in this file
     */
    public record CycleSummary(String file, long endOfData, long writePosition, boolean endsRolled, long tornFrom,
                               long tornTo, List<LogEntry.QueueDamage> damage) {
    }

    private QueueScanner(Path queueDir, List<String> files) {
        this.queueDir = queueDir;
        this.files = files;
    }

    /**
     * @throws NotAReceiptsDirectoryException when {@code directory} holds no receipts queue: no queue
     *                                        directory, or one with neither cycle files nor Chronicle's metadata file
     */
    public static QueueScanner open(Path directory) throws IOException {
        if (!Files.isDirectory(directory)) {
            throw new NotAReceiptsDirectoryException(directory + " is not a directory");
        }
        Path queueDir = directory.resolve(ChronicleSettings.QUEUE_DIRECTORY);
        if (!Files.isDirectory(queueDir)) {
            throw new NotAReceiptsDirectoryException(directory + " holds no receipts (no queue directory " + queueDir + ")");
        }
        TreeSet<String> cycles = new TreeSet<>();
        List<String> others = new ArrayList<>();
        boolean table = false;
        try (DirectoryStream<Path> listing = Files.newDirectoryStream(queueDir)) {
            for (Path p : listing) {
                String name = p.getFileName().toString();
                if (ChronicleLayout.CYCLE_FILE.matcher(name).matches() && Files.isRegularFile(p)) {
                    cycles.add(name);
                } else if (name.equals(ChronicleLayout.METADATA_FILE)) {
                    table = true;
                } else {
                    others.add(name);
                }
            }
        }
        if (cycles.isEmpty() && !table) {
            throw new NotAReceiptsDirectoryException(directory + " holds no receipts (no Chronicle queue in " + queueDir + ")");
        }
        QueueScanner scanner = new QueueScanner(queueDir, List.copyOf(cycles));
        others.stream().sorted().forEach(name -> scanner.pending.add(new LogEntry.QueueDamage(new ExcerptLocation(name, 0),
                LogEntry.Damage.UNEXPECTED_FILE, "not a cycle file (yyyyMMddF.cq4) nor Chronicle's " + ChronicleLayout.METADATA_FILE
                + ": a renamed or foreign file, never read as receipts")));
        if (table) {
            scanner.checkListing();
        }
        return scanner;
    }

    /**
     * A scan from the excerpt at {@code from} on: its cycle file from that offset, then every later file. Without the
     * directory-level checks, and without the checks that need a file's start (its header, the write-position hint):
     * for a reader that read the queue up to there before. What it first returns is whatever lies at {@code from}, so
     * the caller checks it is the excerpt it expects.
     *
     * @throws NotAReceiptsDirectoryException when {@code directory} has no queue, or not {@code from}'s file
     */
    public static QueueScanner openAt(Path directory, ExcerptLocation from) throws IOException {
        QueueScanner all = open(directory);
        int first = all.files.indexOf(from.file());
        if (first < 0) {
            throw new NotAReceiptsDirectoryException(directory + " no longer holds the cycle file " + from.file());
        }
        QueueScanner scanner = new QueueScanner(all.queueDir, all.files);
        scanner.nextFile = first + 1;
        scanner.walk = scanner.new CycleWalk(from.file(), from.offset());
        return scanner;
    }

    /**
     * A scan of a log its writer may be appending to meanwhile (the agent's own replay): from {@code from} on, or from
     * the start when null. The newest cycle file listed, the one a writer appends to, ends at the end of the data
     * Chronicle's readers see (a header of 0, or one still marked as a write in progress), without looking past it: the
     * scan reads headers from a copy of the file made earlier, and a search of the file itself past a header that copy
     * showed as 0 would find the excerpts written since after the first of them, skipped. Older files are scanned as by
     * {@link #open}: nobody writes them, and what lies past their end counts as it always did.
     */
    public static QueueScanner openLive(Path directory, ExcerptLocation from) throws IOException {
        QueueScanner scanner = from == null ? open(directory) : openAt(directory, from);
        scanner.live = true;
        return scanner;
    }

    /** A scan of just these cycle files of a queue directory, without the directory-level checks (for recovery). */
    static QueueScanner ofFiles(Path queueDir, List<String> names) {
        return new QueueScanner(queueDir, List.copyOf(names));
    }

    /** The cycle files in queue order. */
    public List<String> cycleFiles() {
        return files;
    }

    /** One summary per cycle file scanned so far. */
    public List<CycleSummary> summaries() {
        return List.copyOf(summaries);
    }

    /** The next excerpt or damage, in queue order; {@code null} after the last. */
    public LogEntry next() {
        while (pending.isEmpty()) {
            if (walk == null) {
                if (nextFile == files.size()) {
                    return null;
                }
                walk = new CycleWalk(files.get(nextFile++));
            }
            if (!walk.step()) {
                summaries.add(walk.summary());
                walk.close();
                walk = null;
            }
        }
        return pending.poll();
    }

    @Override
    public void close() {
        if (walk != null) {
            walk.close();
        }
    }

    /** Chronicle's table store names the oldest and newest cycle it created: both files must be there. */
    private void checkListing() {
        byte[] table;
        try {
            table = BoundedFiles.read(queueDir.resolve(ChronicleLayout.METADATA_FILE), ChronicleLayout.MAX_METADATA_FILE);
        } catch (IOException e) {
            pending.add(new LogEntry.QueueDamage(new ExcerptLocation(ChronicleLayout.METADATA_FILE, 0),
                    LogEntry.Damage.CORRUPT, "unreadable: " + e.getMessage()));
            return;
        }
        for (String key : List.of("listing.lowestCycle", "listing.highestCycle")) {
            long cycle = ChronicleLayout.tableValue(table, key);
            if (cycle == Long.MIN_VALUE || cycle < 0 || cycle > 3_000_000) {
                continue; // absent or not a day: no claim to check
            }
            String name = ChronicleLayout.cycleFileName(cycle);
            if (!files.contains(name)) {
                pending.add(new LogEntry.QueueDamage(new ExcerptLocation(name, 0), LogEntry.Damage.MISSING_FILE,
                        "Chronicle's " + ChronicleLayout.METADATA_FILE + " records it as the " + (key.contains("lowest")
                        ? "oldest" : "newest") + " cycle file of the queue, but it is not there (deleted or renamed)"));
            }
        }
    }

    /** Walks one cycle file document by document. */
    private final class CycleWalk {
        private final String name;
        private CycleFileReader reader;
        private final List<LogEntry.QueueDamage> damage = new ArrayList<>();
        private long position;
        private long endOfData = -1;
        private long writePosition = -1;
        private boolean hintIsADocument;
        private boolean rolled;
        private long tornFrom = -1;
        private long tornTo = -1;
        private boolean done;

        CycleWalk(String name) {
            this(name, 0);
        }

        CycleWalk(String name, long from) {
            this.name = name;
            this.position = from;
            try {
                reader = new CycleFileReader(queueDir.resolve(name));
            } catch (IOException e) {
                damage(0, LogEntry.Damage.CORRUPT, "cannot be opened: " + e.getMessage());
                done = true;
            }
        }

        /** Reads one document; false when the file is done. */
        boolean step() {
            if (done) {
                return false;
            }
            try {
                done = !document();
            } catch (CycleFileReader.TooManyZerosException e) {
                damage(position, LogEntry.Damage.CORRUPT, e.getMessage());
                done = true;
            } catch (IOException e) {
                damage(position, LogEntry.Damage.CORRUPT, "unreadable: " + e.getMessage());
                done = true;
            }
            // A live file's scan may end before the writer's hint: a stale copy's end, not damage.
            if (done && writePosition >= 0 && !hintIsADocument && writePosition != endOfData && !appendedTo()) {
                damage(0, LogEntry.Damage.HINT, "the header's write-position hint 0x" + Long.toHexString(writePosition)
                        + " is not the offset of a document in the file: an appender trusting it would write where no reader"
                        + " looks, or over an excerpt");
            }
            return !done || !pending.isEmpty();
        }

        private boolean document() throws IOException {
            long size = reader.size();
            if (position + 4 > size) {
                if (position < size) {
                    damage(position, LogEntry.Damage.CORRUPT, "the file ends inside a document header");
                } else if (endOfData < 0) {
                    endOfData = position;
                }
                return false;
            }
            int header = reader.readInt(position);
            if (position == writePosition && endOfData < 0) {
                hintIsADocument = true;
            }
            if (header == 0) {
                if (endOfData < 0) {
                    endOfData = position;
                }
                return !appendedTo() && afterTheEnd();
            }
            if (header == ChronicleLayout.END_OF_FILE) {
                if (endOfData < 0) {
                    endOfData = position;
                }
                rolled = true;
                // The text after the marker is written after the header: a crash between the two leaves zeros.
                boolean text = position + 8 <= size && reader.readInt(position + 4) == ChronicleLayout.END_OF_FILE_TEXT;
                long stray = appendedTo() ? -1 : reader.firstNonZero(position + (text ? 8 : 4));
                if (stray >= 0) {
                    damage(stray, LogEntry.Damage.HIDDEN, "data after Chronicle's end-of-file marker at 0x"
                            + Long.toHexString(position) + ", which every reader stops at");
                    return resume(stray);
                }
                return false;
            }
            int length = header & ChronicleLayout.LENGTH_MASK;
            boolean meta = (header & ChronicleLayout.META_DATA) != 0;
            boolean incomplete = (header & ChronicleLayout.NOT_COMPLETE) != 0;
            if (incomplete && appendedTo()) {
                if (endOfData < 0) {
                    endOfData = position;
                }
                return false; // a write in progress: what follows is its own, or not written yet
            }
            if (position + 4 + length > size && appendedTo()) {
                // The file grew after this scan took its size: the excerpt is the writer's newest, read by the next pass.
                if (endOfData < 0) {
                    endOfData = position;
                }
                return false;
            }
            if (position + 4 + length > size) {
                damage(position, LogEntry.Damage.CORRUPT, "a document header claims " + length + " bytes, but only "
                        + (size - position - 4) + " remain in the file");
                return resume(position + 4);
            }
            if (length > ChronicleLayout.MAX_DOCUMENT) {
                // Never read: a sparse gigabyte takes no disk, and a batch of them would fill the verifier's memory.
                damage(position, LogEntry.Damage.CORRUPT, "a document header claims " + length + " bytes, more than"
                        + " Chronicle writes with Warden's block size (" + ChronicleLayout.MAX_DOCUMENT + "): not read");
                return resume(position + 4);
            }
            if (position == 0 && !meta) {
                damage(0, LogEntry.Damage.CORRUPT, "no Chronicle store header at the start of the file");
            }
            ExcerptLocation at = new ExcerptLocation(name, position);
            if (!incomplete && !meta && length <= CycleFileReader.WINDOW) {
                // The common case, an excerpt Chronicle's readers see: read from the window without a copy of the whole.
                pending.add(LogRecords.read(at, reader.view(position + 4, length)));
                position = ChronicleLayout.align(position + 4 + length);
                return true;
            }
            byte[] payload = reader.read(position + 4, length);
            if (incomplete) {
                if (reader.firstNonZero(position + 4 + length) < 0 && !meta) {
                    torn(position, position + 4 + length, "a document still marked as a write in progress (header bit 31)");
                    if (endOfData < 0) {
                        endOfData = position;
                    }
                    return false;
                }
                damage(position, LogEntry.Damage.HIDDEN, "a document marked as a write in progress (header bit 31), where"
                        + " Chronicle's readers stop, but the file continues after it");
                excerptOrNothing(at, payload);
            } else if (meta) {
                if (position == 0 && ChronicleLayout.isChronicleMetadata(payload, true)) {
                    writePosition = ChronicleLayout.writePosition(payload);
                    hintIsADocument = writePosition == 0;
                } else if (position == 0 || !ChronicleLayout.isChronicleMetadata(payload, false)) {
                    damage(position, LogEntry.Damage.HIDDEN, "a document marked as metadata (header bit 30), which readers"
                            + " skip, that is not one of Chronicle's own");
                    excerptOrNothing(at, payload);
                }
            } else {
                pending.add(LogRecords.read(at, payload));
            }
            position = ChronicleLayout.align(position + 4 + length);
            return true;
        }

        /** Whether a writer may be appending to this file as it is read: the newest file of a live scan. */
        private boolean appendedTo() {
            return live && name.equals(files.get(files.size() - 1));
        }

        /** After a header of 0: nothing but zeros, a torn write's payload, or hidden documents. */
        private boolean afterTheEnd() throws IOException {
            long first = reader.firstNonZero(position + 4);
            if (first < 0) {
                return false;
            }
            long next = nextDocument(first);
            if (next < 0) {
                long last = reader.lastNonZero(first);
                torn(position, last + 1, "an excerpt whose header was never written (bytes 0x" + Long.toHexString(first)
                        + "..0x" + Long.toHexString(last) + "): a write cut short by a crash, or a header set to zero");
                return false;
            }
            damage(position, LogEntry.Damage.HIDDEN, "the data Chronicle's readers see ends here, but documents follow at 0x"
                    + Long.toHexString(next) + " (a header set to zero, or a write-position hint moved past the end)");
            position = next;
            return true;
        }

        private boolean resume(long from) throws IOException {
            long next = nextDocument(from);
            if (next < 0) {
                return false;
            }
            position = next;
            return true;
        }

        /** The next offset from {@code from} on that holds a plausible document, or -1. */
        private long nextDocument(long from) throws IOException {
            long p = from & ~3L;
            while (true) {
                long nonZero = reader.firstNonZero(p);
                if (nonZero < 0) {
                    return -1;
                }
                p = nonZero & ~3L;
                if (plausible(p) && (followedByEnd(p) || plausible(nextAfter(p)))) {
                    return p;
                }
                p += 4;
            }
        }

        private long nextAfter(long p) throws IOException {
            return ChronicleLayout.align(p + 4 + (reader.readInt(p) & ChronicleLayout.LENGTH_MASK));
        }

        private boolean followedByEnd(long p) throws IOException {
            long next = nextAfter(p);
            return next + 4 > reader.size() || reader.readInt(next) == 0 || reader.readInt(next) == ChronicleLayout.END_OF_FILE;
        }

        private boolean plausible(long p) throws IOException {
            if (p + 5 > reader.size()) {
                return false;
            }
            int header = reader.readInt(p);
            int length = header & ChronicleLayout.LENGTH_MASK;
            if (header == 0 || length == 0 || length > ChronicleLayout.MAX_DOCUMENT || p + 4 + length > reader.size()) {
                return false;
            }
            if ((header & ChronicleLayout.META_DATA) != 0) {
                return ChronicleLayout.isChronicleMetadata(reader.read(p + 4, Math.min(length, 16)), false);
            }
            byte kind = reader.readByte(p + 4);
            return LogRecords.isKnownKind(kind);
        }

        private void excerptOrNothing(ExcerptLocation at, byte[] payload) {
            if (payload.length > 0 && LogRecords.isKnownKind(payload[0])) {
                pending.add(LogRecords.read(at, payload));
            }
        }

        private void torn(long from, long to, String what) {
            tornFrom = from;
            tornTo = to;
            damage(from, LogEntry.Damage.TORN, what + "; never read as an excerpt");
        }

        private void damage(long offset, LogEntry.Damage kind, String why) {
            LogEntry.QueueDamage d = new LogEntry.QueueDamage(new ExcerptLocation(name, offset), kind, why);
            damage.add(d);
            pending.add(d);
        }

        CycleSummary summary() {
            return new CycleSummary(name, endOfData, writePosition, rolled, tornFrom, tornTo, List.copyOf(damage));
        }

        void close() {
            try {
                if (reader != null) {
                    reader.close();
                }
            } catch (IOException ignored) {
                // read-only: nothing to lose
            }
        }
    }
}
