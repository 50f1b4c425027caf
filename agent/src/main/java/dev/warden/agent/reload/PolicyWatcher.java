package dev.warden.agent.reload;

import dev.warden.agent.logging.WardenLog;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

/**
 * Warden's thread that takes the operator's control requests and, with {@code rules-watch=true}, watches
 * the rules directory. Polling rather than a WatchService: it sees changes below the directory and on
 * every file system alike, and costs a directory listing a few times a second. A change is reloaded once
 * the directory has looked the same for one more interval (an editor's or a deployment's several writes
 * make one reload, not several). At each look it also walks the names of Warden's own files in full, so a
 * change on their way that is not a link's flip is protected within an interval.
 *
 * After a rollback (or a reload asked for by the operator) the watcher takes the directory as it is then
 * as seen: the rolled-back version stays in force until the directory changes again, and then the
 * directory, as it is, is reloaded.
 */
public final class PolicyWatcher implements Runnable {

    public static final long INTERVAL_MILLIS = 250;

    private final PolicyControl control;
    private final ControlArea area;
    /** The rules directory as it is protected now ({@code OwnFiles}): what is watched is what a reload reads. */
    private final Supplier<Path> rules;
    /** Walks the names of Warden's own files in full at each look ({@code OwnFiles#walkAgain}). */
    private final Runnable ownFiles;
    private final boolean watch;
    private RulesFingerprint seen;
    private RulesFingerprint changed;

    public PolicyWatcher(PolicyControl control, ControlArea area, Supplier<Path> rules, Runnable ownFiles, boolean watch) {
        this.control = control;
        this.area = area;
        this.rules = rules;
        this.ownFiles = ownFiles;
        this.watch = watch;
        this.seen = watch ? RulesFingerprint.of(rules.get()) : null;
    }

    public void start(ThreadFactory threads) {
        Thread thread = threads.newThread(this);
        thread.setName("warden-policy-control");
        thread.start();
    }

    @Override
    public void run() {
        while (!Thread.currentThread().isInterrupted()) {
            try {
                poll();
            } catch (RuntimeException | Error e) {
                WardenLog.warn("policy control: " + e);
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(INTERVAL_MILLIS));
        }
    }

    /** One look at the control area and the rules directory (and where Warden's own files' names lead). */
    void poll() {
        ownFiles.run();
        try {
            for (ControlArea.Request request : area.pending()) {
                area.answer(request.id(), handle(request));
            }
        } catch (IOException e) {
            WardenLog.warn("policy control: cannot read the control area: " + e.getMessage());
        }
        if (!watch) {
            return;
        }
        RulesFingerprint now = RulesFingerprint.of(rules.get());
        if (now.equals(seen)) {
            changed = null;
        } else if (now.equals(changed)) {
            seen = now;
            changed = null;
            control.reload("watch");
        } else {
            changed = now; // still changing, or changed just now: looked at again next interval
        }
    }

    private String handle(ControlArea.Request request) {
        RulesFingerprint before = watch ? RulesFingerprint.of(rules.get()) : null;
        try {
            PolicyChange change = request.command().equals("reload") ? control.reload("command")
                    : control.rollback(request.argument());
            if (watch) {
                seen = before; // what the operator acted on is seen: only a later change reloads
                changed = null;
            }
            return change.line();
        } catch (IllegalArgumentException e) {
            return "error: " + e.getMessage();
        } catch (IOException | RuntimeException e) {
            return "error: " + e;
        }
    }
}
