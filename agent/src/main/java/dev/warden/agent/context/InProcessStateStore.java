package dev.warden.agent.context;

import dev.warden.rules.state.Window;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;

/**
 * The default store: counters in this JVM's memory, each a small ring of buckets guarded by its own
 * lock (an acquire is a sum over at most {@value #SLOTS} slots). Counters whose last bucket expired
 * are dropped as new ones arrive; session labels are kept for {@value #MAX_SESSIONS} sessions.
 */
public final class InProcessStateStore implements StateStore {

    /** One slot per bucket a sliding window counts, and one for the bucket being filled. */
    static final int SLOTS = Window.SLIDING_BUCKETS + 2;
    private static final int MAX_SESSIONS = 1_000_000;
    private static final int SWEEP_EVERY = 4096;

    private final Map<String, Counter> counters = new ConcurrentHashMap<>();
    private final Map<String, Set<String>> sessions = new ConcurrentHashMap<>();
    private final AtomicInteger created = new AtomicInteger();
    private final LongSupplier millis;

    public InProcessStateStore(LongSupplier millis) {
        this.millis = millis;
    }

    @Override
    public Acquisition acquire(String key, Window.Span span, long amount, long max) {
        Counter counter = counters.get(key);
        if (counter == null) {
            counter = counters.computeIfAbsent(key, ignored -> new Counter());
            if (created.incrementAndGet() % SWEEP_EVERY == 0) {
                sweep();
            }
        }
        return counter.acquire(span, amount, max);
    }

    @Override
    public void adjust(String key, long bucket, long expiresAtMillis, long delta) {
        Counter counter = counters.computeIfAbsent(key, ignored -> new Counter());
        counter.adjust(bucket, expiresAtMillis, delta);
    }

    @Override
    public long total(String key, Window.Span span) {
        Counter counter = counters.get(key);
        return counter == null ? 0 : counter.total(span);
    }

    @Override
    public Set<String> labels(String session) {
        Set<String> labels = sessions.get(session);
        if (labels == null) {
            return Set.of();
        }
        synchronized (labels) {
            return Set.copyOf(labels);
        }
    }

    @Override
    public void addLabels(String session, Collection<String> labels) {
        if (labels.isEmpty()) {
            return;
        }
        if (sessions.size() >= MAX_SESSIONS && !sessions.containsKey(session)) {
            Iterator<String> oldest = sessions.keySet().iterator();
            if (oldest.hasNext()) {
                oldest.next();
                oldest.remove();
            }
        }
        Set<String> held = sessions.computeIfAbsent(session, ignored -> Collections.synchronizedSet(new LinkedHashSet<>()));
        synchronized (held) {
            for (String label : labels) {
                if (held.size() < MAX_LABELS || held.contains(label)) {
                    held.add(label);
                } else {
                    held.add(TOO_MANY_LABELS);
                }
            }
        }
    }

    @Override
    public String describe() {
        return "in-process";
    }

    /**
     * Writes what the store holds at {@code nowMillis} for a later start to {@link #read}: the counters still
     * counting, and the sessions' labels.
     */
    void writeTo(DataOutputStream out, long nowMillis) throws IOException {
        List<Map.Entry<String, Counter>> live = new ArrayList<>();
        counters.forEach((key, counter) -> {
            if (!counter.expiredAt(nowMillis)) {
                live.add(Map.entry(key, counter));
            }
        });
        out.writeInt(live.size());
        for (Map.Entry<String, Counter> entry : live) {
            writeText(out, entry.getKey());
            entry.getValue().writeTo(out);
        }
        List<Map.Entry<String, Set<String>>> labelled = new ArrayList<>(sessions.entrySet());
        out.writeInt(labelled.size());
        for (Map.Entry<String, Set<String>> entry : labelled) {
            writeText(out, entry.getKey());
            List<String> labels;
            synchronized (entry.getValue()) {
                labels = List.copyOf(entry.getValue());
            }
            out.writeInt(labels.size());
            for (String label : labels) {
                writeText(out, label);
            }
        }
    }

    /**
     * A store holding what {@link #writeTo} wrote.
     *
     * @throws IOException when the bytes are not such a store
     */
    static InProcessStateStore read(DataInputStream in, LongSupplier millis) throws IOException {
        InProcessStateStore store = new InProcessStateStore(millis);
        int counterCount = count(in, Integer.MAX_VALUE);
        for (int i = 0; i < counterCount; i++) {
            store.counters.put(readText(in), Counter.read(in));
        }
        int sessionCount = count(in, MAX_SESSIONS);
        for (int i = 0; i < sessionCount; i++) {
            String session = readText(in);
            int labelCount = count(in, MAX_LABELS + 1); // and TOO_MANY_LABELS
            Set<String> labels = Collections.synchronizedSet(new LinkedHashSet<>());
            for (int j = 0; j < labelCount; j++) {
                labels.add(readText(in));
            }
            store.sessions.put(session, labels);
        }
        return store;
    }

    /** Takes on what {@code image} holds, in place of what this store held. */
    void restore(InProcessStateStore image) {
        clear();
        counters.putAll(image.counters);
        sessions.putAll(image.sessions);
    }

    /** Forgets everything: a replay that has to start over counts nothing twice. */
    void clear() {
        counters.clear();
        sessions.clear();
    }

    // Lengths, not writeUTF: a session or actor name the host chose may be longer than writeUTF's 64 KB.
    private static void writeText(DataOutputStream out, String text) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        out.writeInt(bytes.length);
        out.write(bytes);
    }

    private static String readText(DataInputStream in) throws IOException {
        byte[] bytes = new byte[count(in, in.available())]; // the stream is in memory: what is left bounds a length
        in.readFully(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private static int count(DataInputStream in, int max) throws IOException {
        int count = in.readInt();
        if (count < 0 || count > max) {
            throw new IOException("a count of " + count + " where at most " + max + " can be");
        }
        return count;
    }

    private void sweep() {
        long now = millis.getAsLong();
        counters.entrySet().removeIf(entry -> entry.getValue().expiredAt(now));
    }

    /**
     * One key's buckets: slot {@code bucket mod SLOTS} holds that bucket's amount while it counts.
     * <p>
     * A counter's time never runs back with the clock. A clock put back (set right after running fast, or a log
     * replayed whose receipts are newer than the clock now) reads buckets older than those the counter holds: the
     * newer ones still count, as Redis counts them, and what is added goes to the newest, so that it never lands in
     * the slot of a newer bucket still counting. Before, a counter summed up to the caller's bucket only, and an
     * hour's limit started again for whoever put the clock back ten minutes.
     */
    private static final class Counter {
        private final long[] buckets = new long[SLOTS];
        private final long[] amounts = new long[SLOTS];
        private long expiresAt;
        /** The newest bucket ever filled: what is added goes to no older one. */
        private long newest = Long.MIN_VALUE;

        Counter() {
            java.util.Arrays.fill(buckets, Long.MIN_VALUE);
        }

        synchronized Acquisition acquire(Window.Span span, long amount, long max) {
            long before = sum(span);
            long bucket = Math.max(span.current(), newest); // a clock behind the counter's adds to its newest bucket
            if (before + amount > max) {
                return new Acquisition(false, before, bucket);
            }
            add(bucket, amount);
            expiresAt = Math.max(expiresAt, span.expiresAtMillis());
            return new Acquisition(true, before, bucket);
        }

        synchronized void adjust(long bucket, long expires, long delta) {
            int slot = (int) Math.floorMod(bucket, (long) SLOTS);
            if (buckets[slot] != bucket) {
                if (delta < 0 || buckets[slot] > bucket) {
                    return; // the bucket no longer counts: nothing to give back, nothing to add to
                }
                buckets[slot] = bucket;
                amounts[slot] = 0;
                newest = Math.max(newest, bucket);
            }
            amounts[slot] = Math.max(0, amounts[slot] + delta);
            expiresAt = Math.max(expiresAt, expires);
        }

        synchronized long total(Window.Span span) {
            return sum(span);
        }

        synchronized boolean expiredAt(long now) {
            return expiresAt != 0 && expiresAt < now;
        }

        /** The buckets in use only: most counters fill a few of their slots. */
        synchronized void writeTo(DataOutputStream out) throws IOException {
            out.writeLong(expiresAt);
            int used = 0;
            for (long bucket : buckets) {
                used += bucket == Long.MIN_VALUE ? 0 : 1;
            }
            out.writeByte(used);
            for (int slot = 0; slot < SLOTS; slot++) {
                if (buckets[slot] != Long.MIN_VALUE) {
                    out.writeByte(slot);
                    out.writeLong(buckets[slot]);
                    out.writeLong(amounts[slot]);
                }
            }
        }

        static Counter read(DataInputStream in) throws IOException {
            Counter counter = new Counter();
            counter.expiresAt = in.readLong();
            int used = in.readUnsignedByte();
            for (int i = 0; i < used; i++) {
                int slot = in.readUnsignedByte();
                if (slot >= SLOTS) {
                    throw new IOException("slot " + slot + " of " + SLOTS);
                }
                counter.buckets[slot] = in.readLong();
                counter.amounts[slot] = in.readLong();
                counter.newest = Math.max(counter.newest, counter.buckets[slot]);
            }
            return counter;
        }

        private long sum(Window.Span span) {
            long total = 0;
            for (int slot = 0; slot < SLOTS; slot++) {
                long bucket = buckets[slot];
                // A bucket newer than this caller's counts: a racing caller whose clock read later, or a clock put back.
                if (bucket != Long.MIN_VALUE && bucket >= span.oldest()) {
                    total += amounts[slot];
                }
            }
            return total;
        }

        private void add(long bucket, long amount) {
            int slot = (int) Math.floorMod(bucket, (long) SLOTS);
            if (buckets[slot] != bucket) {
                buckets[slot] = bucket;
                amounts[slot] = 0;
                newest = Math.max(newest, bucket);
            }
            amounts[slot] += amount;
        }
    }
}
