package dev.warden.agent.context;

import dev.warden.receipts.ExcerptLocation;
import dev.warden.rules.cache.BuildId;
import dev.warden.rules.cache.CacheDirectory;
import dev.warden.rules.roles.Scope;
import dev.warden.rules.state.Budget;
import dev.warden.rules.state.Limit;
import dev.warden.rules.state.Loop;
import dev.warden.rules.state.Price;
import dev.warden.rules.state.StatePolicy;
import dev.warden.rules.state.Window;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.LongSupplier;

/**
 * The in-process store as a replay of the receipt log left it, kept in the {@link CacheDirectory} across starts so a
 * start replays only the receipts recorded after it. One entry per receipts directory, made for one build and one set
 * of state rules (what the replay counted depends on both), and trusted only when its MAC under the directory's key
 * (which the host's tools may not read) says it was made for them. Any entry that verifies is a true account of the
 * log up to its mark, an older one too: a start replays whatever came after.
 */
final class StateSnapshots {

    private static final String FORMAT = "warden-state/";
    /**
     * Version 2 keeps the calls awaiting their usage beside the store; version 3 the store whole (the approval stage's
     * tier counts too) and what other stages rebuild beside it.
     */
    private static final byte[] MAGIC = (FORMAT + "3\n").getBytes(StandardCharsets.US_ASCII);
    private static final String SUFFIX = ".state";
    /** Entries kept: one per receipts directory a JVM of this user wrote lately. */
    static final int KEPT = 64;
    /**
     * Bounds of what a snapshot holds: reservations of calls awaiting usage (one per call and budget; a replay keeps every
     * call whose report the log does not hold, in windows still open), and the length of a field.
     */
    static final int MAX_PENDING = 10_000_000;
    private static final int MAX_TEXT = 1 << 20;

    /**
     * The classes whose code decides what a replay counts and how the log is read: their build (their jars', or in a
     * development build each class file's) is part of what a snapshot is for.
     */
    private static final Class<?>[] BUILD = {StateSnapshots.class, InProcessStateStore.class, ReceiptHistory.class,
            SnapshottedHistory.class, StateContributors.class, PendingUsage.class, Limits.class, Budgets.class, Loops.class, Chains.class, TokenUsage.class, Window.class,
            dev.warden.receipts.QueueScanner.class};

    private final Path cache;
    private final Path receipts;
    private final LongSupplier millis;
    private CacheDirectory directory;

    /**
     * A snapshot read back: where the replay that made it stopped, what the store held then, the calls it had seen
     * run without their usage yet, and what other stages rebuilt beside the store (as written: only they can read it).
     */
    record Snapshot(LogMark mark, InProcessStateStore store, List<PendingUsage> pending, byte[] beside) {

        /**
         * Hands what other stages rebuilt back to them.
         *
         * @throws IOException when it is not what {@code state} wrote
         */
        void restoreBeside(ReplayedState state, long nowMillis) throws IOException {
            try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(beside))) {
                state.restore(in, nowMillis);
                if (in.read() != -1) {
                    throw new IOException("bytes after what the other stages rebuilt");
                }
            } catch (java.io.EOFException cut) {
                throw new IOException("what the other stages rebuilt ends early", cut);
            }
        }
    }

    /** Thrown when an entry is there but is not one to use; {@code changed} when it is not one to trust either. */
    static final class Rejected extends Exception {
        private final boolean changed;

        Rejected(String why, boolean changed) {
            super(why);
            this.changed = changed;
        }

        boolean changed() {
            return changed;
        }
    }

    /**
     * @param cache    the cache directory (opened at the first read: at the first decision, not at the start)
     * @param receipts the receipts directory the snapshots account for
     */
    StateSnapshots(Path cache, Path receipts, LongSupplier millis) {
        this.cache = cache;
        this.receipts = receipts.toAbsolutePath().normalize();
        this.millis = millis;
    }

    /**
     * What a snapshot is for: this receipts directory, this build's replay, the state rules that replay counted by, and
     * what other stages rebuilt beside the store, by their own rules and build.
     */
    String purpose(StatePolicy policy, ReplayedState beside) {
        return "receipts=" + receipts + "\nbuild=" + BuildId.of(BUILD) + "\nstate=" + fingerprint(policy)
                + "\nbeside=" + beside.fingerprint() + "\n";
    }

    /**
     * The snapshot made for {@code purpose}; empty when there is none.
     *
     * @throws Rejected when there is one that was changed, is unreadable, or was made for other rules or another build
     */
    Optional<Snapshot> read(String purpose) throws IOException, Rejected {
        byte[] entry = directory().read(name());
        if (entry == null) {
            return Optional.empty();
        }
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(entry))) {
            byte[] magic = in.readNBytes(MAGIC.length);
            byte[] mac = in.readNBytes(CacheDirectory.MAC_BYTES);
            byte[] body = in.readAllBytes();
            // The MAC first, under the entry's own format line (every format so far has one of the same length).
            if (!new String(magic, StandardCharsets.US_ASCII).startsWith(FORMAT)
                    || !MessageDigest.isEqual(mac, directory().mac(magic, body))) {
                throw new Rejected("its MAC does not match what it holds: it was changed, or not written by Warden", true);
            }
            if (!MessageDigest.isEqual(magic, MAGIC)) {
                throw new Rejected("it was written in another format, by another build of Warden", false);
            }
            return Optional.of(parse(body, purpose));
        } catch (GeneralSecurityException e) {
            throw new IOException(e);
        }
    }

    /**
     * Keeps what {@code store} holds, the calls awaiting their usage and what other stages rebuilt {@code beside} it as
     * the state the log left at {@code mark}, for {@code purpose}.
     */
    void write(String purpose, LogMark mark, InProcessStateStore store, List<PendingUsage> pending, ReplayedState beside)
            throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(body)) {
            out.writeUTF(purpose);
            out.writeUTF(mark.at().file());
            out.writeLong(mark.at().offset());
            out.writeInt(mark.leaf().length);
            out.write(mark.leaf());
            out.writeLong(mark.receipts());
            store.writeTo(out, millis.getAsLong());
            if (pending.size() > MAX_PENDING) {
                throw new IOException(pending.size() + " calls awaiting usage, more than a snapshot holds (" + MAX_PENDING + ")");
            }
            out.writeInt(pending.size());
            for (PendingUsage p : pending) {
                fields(out, p.actionId(), p.budget(), p.key());
                out.writeBoolean(p.model() != null);
                if (p.model() != null) {
                    fields(out, p.model());
                }
                out.writeLong(p.span().current());
                out.writeLong(p.span().oldest());
                out.writeLong(p.span().expiresAtMillis());
                out.writeLong(p.reserved());
            }
            beside.writeTo(out, millis.getAsLong());
        }
        byte[] bytes = body.toByteArray();
        ByteArrayOutputStream entry = new ByteArrayOutputStream(MAGIC.length + CacheDirectory.MAC_BYTES + bytes.length);
        entry.write(MAGIC);
        try {
            entry.write(directory().mac(MAGIC, bytes));
        } catch (GeneralSecurityException e) {
            throw new IOException(e);
        }
        entry.write(bytes);
        directory().write(name(), entry.toByteArray(), SUFFIX, KEPT);
    }

    private Snapshot parse(byte[] body, String purpose) throws IOException, Rejected {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(body))) {
            String madeFor = in.readUTF();
            if (!madeFor.equals(purpose)) {
                throw new Rejected("it was made for other state rules or tiers, another build of Warden or another receipts directory", false);
            }
            ExcerptLocation at = new ExcerptLocation(in.readUTF(), in.readLong());
            int leafLength = in.readInt();
            if (leafLength != 32) {
                throw new IOException("a leaf hash of " + leafLength + " bytes");
            }
            byte[] leaf = in.readNBytes(leafLength);
            long receiptsRead = in.readLong();
            InProcessStateStore store = InProcessStateStore.read(in, millis);
            int pendingCount = in.readInt();
            if (pendingCount < 0 || pendingCount > MAX_PENDING) {
                throw new IOException(pendingCount + " calls awaiting usage");
            }
            List<PendingUsage> pending = new ArrayList<>(pendingCount);
            for (int i = 0; i < pendingCount; i++) {
                String actionId = text(in);
                String budget = text(in);
                String key = text(in);
                String model = in.readBoolean() ? text(in) : null;
                Window.Span span = new Window.Span(in.readLong(), in.readLong(), in.readLong());
                pending.add(new PendingUsage(actionId, budget, key, span, in.readLong(), model));
            }
            return new Snapshot(new LogMark(at, leaf, receiptsRead), store, pending, in.readAllBytes());
        } catch (java.io.EOFException cut) {
            throw new IOException("it ends early", cut);
        }
    }

    @Override
    public String toString() {
        return cache.resolve(name()).toString();
    }

    /** The entry of this receipts directory. */
    private String name() {
        byte[] digest = sha256(receipts.toString());
        return "state-" + HexFormat.of().formatHex(digest, 0, 16) + SUFFIX;
    }

    private CacheDirectory directory() throws IOException {
        if (directory == null) {
            directory = CacheDirectory.open(cache);
        }
        return directory;
    }

    /**
     * The SHA-256 of the state rules the replay counts by, each field spelled out with its length (so no two rules
     * read alike) and the pricing in the models' order (so the same rules read alike in every JVM). Chains are left
     * out: the replay keeps every session's labels whatever they say.
     */
    static String fingerprint(StatePolicy policy) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            Map<String, Price> pricing = new TreeMap<>(policy.pricing());
            out.writeInt(pricing.size());
            for (Map.Entry<String, Price> price : pricing.entrySet()) {
                fields(out, price.getKey(), price.getValue().input().toPlainString(), price.getValue().output().toPlainString(),
                        price.getValue().maxOutput());
            }
            out.writeInt(policy.budgets().size());
            for (Budget budget : policy.budgets()) {
                fields(out, budget.name(), budget.per(), budget.cost() == null ? "-" : budget.cost().toPlainString(),
                        budget.tokens(), window(budget.window()), budget.zone());
            }
            out.writeInt(policy.limits().size());
            for (Limit limit : policy.limits()) {
                fields(out, limit.name(), limit.per(), limit.max(), window(limit.window()), limit.scopes().everything());
                out.writeInt(limit.scopes().scopes().size());
                for (Scope scope : limit.scopes().scopes()) {
                    fields(out, scope.pattern());
                }
            }
            out.writeInt(policy.loops().size());
            for (Loop loop : policy.loops()) {
                fields(out, loop.name(), loop.max(), window(loop.within()));
            }
            fields(out, policy.zone());
        } catch (IOException inMemory) {
            throw new java.io.UncheckedIOException(inMemory);
        }
        return HexFormat.of().formatHex(sha256(bytes.toByteArray()));
    }

    private static String window(Window window) {
        return window.text() + "|" + window.millis() + "|" + window.unit();
    }

    /** A field {@link #fields} wrote. */
    private static String text(DataInputStream in) throws IOException {
        int length = in.readInt();
        if (length < 0 || length > MAX_TEXT) {
            throw new IOException("a field of " + length + " bytes");
        }
        return new String(in.readNBytes(length), StandardCharsets.UTF_8);
    }

    private static void fields(DataOutputStream out, Object... values) throws IOException {
        for (Object value : values) {
            byte[] text = String.valueOf(value).getBytes(StandardCharsets.UTF_8);
            out.writeInt(text.length);
            out.write(text);
        }
    }

    private static byte[] sha256(String text) {
        return sha256(text.getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] sha256(byte[] bytes) {
        return dev.warden.bootstrap.JdkCrypto.sha256().digest(bytes);
    }
}
