package dev.warden.agent.witness;

import dev.warden.agent.logging.WardenLog;
import dev.warden.receipts.NewCheckpoint;
import dev.warden.receipts.NoteSignature;
import dev.warden.receipts.SignedNote;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Brings one witness up to the log's newest checkpoint, on a thread of its own: sends it with a
 * consistency proof from the size the witness last cosigned, stores the cosignature, and on a 409
 * starts again from the size the witness says it has. A witness that does not answer is retried with
 * a growing pause; nothing here is ever waited for by an action. A witness that refuses the log's
 * history (its cosigned tree is not a prefix of this log's) raises the alarm.
 */
final class WitnessFeed implements Runnable {
    static final long MIN_PAUSE = TimeUnit.MILLISECONDS.toNanos(100);
    static final long MAX_PAUSE = TimeUnit.SECONDS.toNanos(5);
    static final long REFUSED_PAUSE = TimeUnit.SECONDS.toNanos(60);

    /** What the feed reports to: the log, the export, the status file, the alarm. */
    interface Outlet {
        NewCheckpoint latest();

        void cosigned(WitnessEndpoint witness, SignedNote cosigned);

        void state(FeedState state);

        void refused(WitnessEndpoint witness, long checkpointSize, long witnessSize, int status, String why);
    }

    private final WitnessEndpoint witness;
    private final WitnessClient client;
    private final TreeMemory memory;
    private final Outlet outlet;
    private final UnwitnessedBound bound;
    private final LongSupplier nanoTime;
    private final Object signal = new Object();

    private volatile boolean stopping;
    private volatile boolean hurry;    // closing: no more pauses
    private boolean woken;             // guarded by signal
    private volatile long cosignedSize;
    private volatile long attempts;
    private long knownSize = -1;       // the witness's size as it last told us; -1: not asked yet
    private volatile long pause = MIN_PAUSE;
    private long unwitnessedSince = -1; // nanoTime since when a signed checkpoint waits for this witness
    private boolean alerting;
    private String state = "waiting";
    private String lastProblem = "";
    private String lastRefusal = "";

    WitnessFeed(WitnessEndpoint witness, WitnessClient client, TreeMemory memory, Outlet outlet, UnwitnessedBound bound,
                LongSupplier nanoTime) {
        this.witness = witness;
        this.client = client;
        this.memory = memory;
        this.outlet = outlet;
        this.bound = bound;
        this.nanoTime = nanoTime;
    }

    WitnessEndpoint witness() {
        return witness;
    }

    long cosignedSize() {
        return cosignedSize;
    }

    /** Requests sent and answered or failed so far. */
    long attempts() {
        return attempts;
    }

    /** A new checkpoint: ends an idle wait, not the pause after a failure (that is the back-off). */
    void wake() {
        synchronized (signal) {
            woken = true;
            signal.notifyAll();
        }
    }

    /** The log is closing: send the newest checkpoint now, without pauses. */
    void hurry() {
        hurry = true;
        pause = MIN_PAUSE;
        wake();
    }

    void stop() {
        stopping = true;
        wake();
    }

    @Override
    public void run() {
        while (!stopping) {
            NewCheckpoint target = outlet.latest();
            if (target == null || target.checkpoint().size() <= cosignedSize) {
                caughtUp(target);
                idle(TimeUnit.SECONDS.toNanos(1));
                continue;
            }
            if (unwitnessedSince < 0) {
                unwitnessedSince = nanoTime.getAsLong();
            }
            long pauseAfter = send(target);
            attempts++;
            checkBound(target);
            report(target);
            if (pauseAfter > 0) {
                pauseFor(pauseAfter);
            }
        }
    }

    /** One request; returns how long to pause before the next (0: go on at once). */
    private long send(NewCheckpoint target) {
        long size = target.checkpoint().size();
        long old = Math.max(knownSize, 0);
        Optional<List<byte[]>> proof = memory.proof(old, size);
        if (proof.isEmpty()) {
            state = "behind";
            lastProblem = "it holds size " + old + ", older than this process remembers (" + memory.oldestProvable()
                    + "): no consistency proof can be made for it";
            return MAX_PAUSE;
        }
        WitnessClient.Response response;
        try {
            response = client.send(witness, new AddCheckpoint(old, proof.get(), target.note().format()));
        } catch (IOException | RuntimeException e) {
            state = "unreachable";
            lastProblem = String.valueOf(e);
            return backOff();
        }
        switch (response.status()) {
            case 200:
                return accepted(target, response.body());
            case 409:
                return conflict(target, old, response);
            case 422:
                refuse(target, old, 422, "the consistency proof from size " + old + " to " + size
                        + " does not verify against the tree it cosigned at size " + old
                        + ": this log's history is not the one it witnessed (rewritten or replaced)");
                return REFUSED_PAUSE;
            case 403:
                return failing("it does not trust this log's key for origin " + target.checkpoint().origin() + " (403)", REFUSED_PAUSE);
            case 404:
                return failing("it does not witness origin " + target.checkpoint().origin() + " (404)", REFUSED_PAUSE);
            default:
                return failing("it answered HTTP " + response.status() + ": " + abbreviate(response.body()), backOff());
        }
    }

    private long accepted(NewCheckpoint target, String body) {
        SignedNote note = target.note();
        List<NoteSignature> mine = new ArrayList<>();
        try {
            // The answer is signature lines: appended to the note they make a note to verify (tlog-witness).
            SignedNote answered = SignedNote.parse(note.format() + body);
            SignedNote cosignatures = new SignedNote(note.text(), answered.signatures().subList(note.signatures().size(),
                    answered.signatures().size()));
            if (witness.key().cosigned(cosignatures).isPresent()) {
                cosignatures.signatures().stream().filter(witness.key()::claims).forEach(mine::add);
            }
        } catch (IllegalArgumentException e) {
            // reported below
        }
        if (mine.isEmpty()) {
            return failing("it answered 200 without a valid cosignature by " + witness.key().vkey() + ": "
                    + abbreviate(body), backOff());
        }
        List<NoteSignature> all = new ArrayList<>(note.signatures());
        all.addAll(mine);
        outlet.cosigned(witness, new SignedNote(note.text(), all));
        cosignedSize = target.checkpoint().size();
        knownSize = cosignedSize;
        state = "current";
        lastProblem = "";
        pause = MIN_PAUSE;
        return 0;
    }

    private long conflict(NewCheckpoint target, long old, WitnessClient.Response response) {
        long size = target.checkpoint().size();
        String text = response.body().trim();
        if (!response.contentType().startsWith("text/x.tlog.size") || !text.matches("0|[1-9][0-9]{0,18}")) {
            return failing("it answered 409 without its size (" + response.contentType() + "): " + abbreviate(text), backOff());
        }
        long witnessSize = Long.parseLong(text);
        if (witnessSize > size) {
            refuse(target, witnessSize, 409, "it has cosigned size " + witnessSize + " for origin " + target.checkpoint().origin()
                    + ", larger than this log's newest checkpoint (" + size + "): receipts were cut from this log,"
                    + " or another log signs with its origin and key");
            return REFUSED_PAUSE;
        }
        if (witnessSize == old) {
            refuse(target, witnessSize, 409, "it holds a different tree of size " + witnessSize + " than this log: this log's"
                    + " history is not the one it witnessed (rewritten or replaced)");
            return REFUSED_PAUSE;
        }
        knownSize = witnessSize; // it is behind or ahead of what we thought: prove from where it is
        return 0;
    }

    /** Raises the alarm once per kind of refusal and witness size, however often the witness repeats it. */
    private void refuse(NewCheckpoint target, long witnessSize, int status, String why) {
        state = "refused";
        lastProblem = why;
        String key = status + "/" + witnessSize;
        if (!key.equals(lastRefusal)) {
            lastRefusal = key;
            outlet.refused(witness, target.checkpoint().size(), witnessSize, status, why);
        }
    }

    private long failing(String why, long pauseAfter) {
        state = "failing";
        if (!why.equals(lastProblem)) {
            WardenLog.warn("witness " + witness.name() + " (" + witness.prefix() + "): " + why);
        }
        lastProblem = why;
        return pauseAfter;
    }

    private long backOff() {
        long current = pause;
        pause = Math.min(pause * 2, MAX_PAUSE);
        return current;
    }

    private void caughtUp(NewCheckpoint latest) {
        unwitnessedSince = -1;
        if (alerting) {
            alerting = false;
            WardenLog.info("witness " + witness.name() + " has cosigned the newest checkpoint again (size " + cosignedSize + ")");
        }
        if (latest != null && !"refused".equals(state)) {
            state = "current";
        }
        report(latest);
    }

    private void checkBound(NewCheckpoint target) {
        long tail = target.checkpoint().size() - cosignedSize;
        long waited = nanoTime.getAsLong() - unwitnessedSince;
        boolean over = bound.exceeded(tail, waited);
        if (over && !alerting) {
            WardenLog.alert("witness " + witness.name() + " (" + witness.prefix() + ") has not cosigned " + tail
                    + " receipts for " + TimeUnit.NANOSECONDS.toSeconds(waited) + " s (bound: " + bound + "); last problem: "
                    + (lastProblem.isEmpty() ? "none" : lastProblem));
        }
        alerting = over;
    }

    private void report(NewCheckpoint latest) {
        outlet.state(new FeedState(witness.name(), witness.prefix().toString(), state, cosignedSize,
                latest == null ? 0 : latest.checkpoint().size(), alerting, lastProblem));
    }

    private void idle(long nanos) {
        synchronized (signal) {
            try {
                if (!woken && !stopping) {
                    TimeUnit.NANOSECONDS.timedWait(signal, nanos);
                }
            } catch (InterruptedException e) {
                stopping = true;
            }
            woken = false;
        }
    }

    private void pauseFor(long nanos) {
        long deadline = nanoTime.getAsLong() + nanos;
        synchronized (signal) {
            try {
                for (long left = nanos; left > 0 && !stopping && !hurry; left = deadline - nanoTime.getAsLong()) {
                    TimeUnit.NANOSECONDS.timedWait(signal, left);
                }
            } catch (InterruptedException e) {
                stopping = true;
            }
        }
    }

    private static String abbreviate(String text) {
        String oneLine = text.strip().replace('\n', ' ');
        return oneLine.length() > 200 ? oneLine.substring(0, 200) + "..." : oneLine;
    }
}
