package dev.warden.agent.install;

import dev.warden.agent.logging.WardenLog;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The classes of the host's that earlier starts of the same JDK, launch options, Warden build and modules asked
 * {@link EarlyLoads} about while ByteBuddy was being installed, and found no target, each by its name and the SHA-256
 * of its very class file: such a class loads at once again, before the matchers are made (a host's main class is one,
 * and {@code main} would otherwise wait for them). Whether a class that extends {@code Object} alone may be a target
 * is a function of its class file and the JDK's, which is what the entry is kept for; the entry is used only when its
 * MAC matches ({@link KeyedEntry}). What a start learns is written once ByteBuddy is installed and verified, when
 * anything is new, on a thread the JVM's exit waits for.
 */
final class EarlyPasses {

    /** Classes kept, and learned by one start: a host loads a few hundred while ByteBuddy is installed. */
    static final int AT_MOST = 4096;

    /** Nothing kept, nothing learned: no cache. */
    static final EarlyPasses NONE = new EarlyPasses(null, Map.of());

    private final KeyedEntry entry; // null: nothing is written
    private final Map<String, List<byte[]>> kept;
    private final ConcurrentLinkedQueue<Learned> learned = new ConcurrentLinkedQueue<>();
    private final AtomicInteger learning = new AtomicInteger();
    private final AtomicInteger passed = new AtomicInteger();

    private record Learned(String className, byte[] classFile) {
    }

    private EarlyPasses(KeyedEntry entry, Map<String, List<byte[]>> kept) {
        this.entry = entry;
        this.kept = kept;
    }

    /** What {@code entry} holds; nothing (and a warning) when it is rejected. */
    static EarlyPasses read(KeyedEntry entry) {
        KeyedEntry.Read read = entry.read();
        if (read.rejected() != null) {
            WardenLog.warn("early passes entry rejected: " + read.rejected() + "; the host's first classes are asked about anew");
        }
        Map<String, List<byte[]>> kept = Map.of();
        if (read.payload() != null) {
            try {
                kept = decode(read.payload());
            } catch (IOException | RuntimeException damaged) {
                WardenLog.warn("early passes entry rejected: " + entry.file() + " is damaged (" + damaged + ")");
            }
        }
        return new EarlyPasses(entry, kept);
    }

    /** Whether an earlier start found that this very class file (internal name) may not be a target. */
    boolean passes(String className, byte[] classFile) {
        List<byte[]> digests = kept.get(className);
        if (digests == null) {
            return false; // most names: no digest made
        }
        if (holds(digests, JdkTransforms.digest(classFile))) {
            passed.incrementAndGet();
            return true;
        }
        return false;
    }

    /** How many loads {@link #passes} let through. */
    int passed() {
        return passed.get();
    }

    /** {@link EarlyLoads} found that this class file may not be a target: kept for the next start ({@link #keep}). */
    void learn(String className, byte[] classFile) {
        if (entry != null && learning.incrementAndGet() <= AT_MOST) {
            learned.add(new Learned(className, classFile)); // hashed when kept, off the loading thread
        }
    }

    /**
     * Writes what was kept and what this start learned that was not, on a thread of {@code threads} that the JVM's exit
     * waits for (a host whose main returns at once still leaves it behind, written atomically); nothing when nothing
     * is new. The most recent first, at most {@link #AT_MOST}.
     *
     * @return the thread writing it, or {@code null} when nothing was learned
     */
    Thread keep(java.util.concurrent.ThreadFactory threads) {
        if (entry == null || learned.isEmpty()) {
            return null;
        }
        List<Learned> taken = new ArrayList<>();
        for (Learned each = learned.poll(); each != null; each = learned.poll()) {
            taken.add(each);
        }
        Thread keeping = threads.newThread(() -> keep(taken));
        keeping.setDaemon(false);
        keeping.start();
        return keeping;
    }

    private void keep(List<Learned> taken) {
        Map<String, List<byte[]>> merged = new LinkedHashMap<>();
        int[] count = {0};
        boolean news = false;
        for (Learned each : taken) {
            byte[] digest = JdkTransforms.digest(each.classFile());
            news |= !holds(kept.getOrDefault(each.className(), List.of()), digest);
            add(merged, each.className(), digest, count);
        }
        if (!news) {
            return; // every class it asked about was one an earlier start had kept: loaded before the matchers were made
        }
        kept.forEach((name, digests) -> digests.forEach(digest -> add(merged, name, digest, count)));
        try {
            entry.write(encode(merged));
        } catch (IOException | RuntimeException notKept) {
            WardenLog.warn("could not keep the early passes in " + entry.file() + " (" + notKept + ")");
        }
    }

    private static boolean holds(List<byte[]> digests, byte[] digest) {
        for (byte[] each : digests) {
            if (MessageDigest.isEqual(each, digest)) {
                return true;
            }
        }
        return false;
    }

    private static void add(Map<String, List<byte[]>> merged, String name, byte[] digest, int[] count) {
        List<byte[]> digests = merged.computeIfAbsent(name, any -> new ArrayList<>());
        if (count[0] < AT_MOST && !holds(digests, digest)) {
            digests.add(digest);
            count[0]++;
        }
    }

    private static byte[] encode(Map<String, List<byte[]>> passes) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            int classes = (int) passes.values().stream().filter(digests -> !digests.isEmpty()).count();
            out.writeInt(classes);
            for (Map.Entry<String, List<byte[]>> each : passes.entrySet()) {
                if (each.getValue().isEmpty()) {
                    continue;
                }
                out.writeUTF(each.getKey());
                out.writeInt(each.getValue().size());
                for (byte[] digest : each.getValue()) {
                    out.write(digest);
                }
            }
        }
        return bytes.toByteArray();
    }

    private static Map<String, List<byte[]>> decode(byte[] payload) throws IOException {
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(payload));
        int classes = in.readInt();
        if (classes < 0 || classes > AT_MOST) {
            throw new IOException(classes + " classes");
        }
        Map<String, List<byte[]>> passes = new LinkedHashMap<>(); // in the order written: the most recent first
        for (int i = 0; i < classes; i++) {
            String name = in.readUTF();
            int digests = in.readInt();
            if (digests < 1 || digests > AT_MOST) {
                throw new IOException(digests + " class files of " + name);
            }
            List<byte[]> each = new ArrayList<>(digests);
            for (int d = 0; d < digests; d++) {
                byte[] digest = in.readNBytes(32);
                if (digest.length != 32) {
                    throw new IOException("a digest cut short");
                }
                each.add(digest);
            }
            passes.put(name, List.copyOf(each));
        }
        if (in.available() != 0) {
            throw new IOException("trailing bytes");
        }
        return java.util.Collections.unmodifiableMap(passes);
    }
}
