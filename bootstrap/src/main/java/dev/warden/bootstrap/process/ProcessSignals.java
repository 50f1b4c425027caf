package dev.warden.bootstrap.process;

import dev.warden.bootstrap.ActionRequest;
import dev.warden.bootstrap.Decision;
import dev.warden.bootstrap.Gate;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code process} surface's other action: ending a process ({@code KILL}). {@code ProcessHandle.of(pid)} reaches any
 * process of the JVM's user, and its {@code destroy()} and {@code destroyForcibly()} send it {@code SIGTERM} or
 * {@code SIGKILL} from Java, without the {@code kill} start that would be decided: until a thirteenth review
 * (2026-12-08) a host killed a process it had not started, its pid taken from data, under a policy that permits no
 * process. Every such request ends in {@code ProcessHandleImpl.destroyProcess(boolean)} (so does {@code Process.destroy}).
 * <p>
 * A process this JVM started, or one they started, is ended without a decision: its start was decided, and an
 * application that stops its own children ({@code Process.destroy}, {@code descendants().forEach(ProcessHandle::destroy)})
 * needs no permit. A process no longer running is signalled by nobody (the JDK compares its start time), so it is not
 * decided either. Every other process is decided.
 */
public final class ProcessSignals {

    public static final String OPERATION = "KILL";
    /** The process's id, and the signal asked for ({@code SIGTERM}, {@code SIGKILL}). */
    public static final String PID = "process.pid";
    public static final String SIGNAL = "process.signal";
    /** How deep a chain of parents is walked before the process is taken for no descendant (and decided). */
    private static final int MAX_GENERATIONS = 4096;

    private ProcessSignals() {
    }

    /**
     * {@code ProcessHandleImpl.destroyProcess(force)} of {@code target}.
     *
     * @return whether the request is refused: the JDK's {@code destroy} then answers {@code false}, as it does for a
     *         process it could not signal
     */
    public static boolean refusesDestroy(ProcessHandle target, boolean force) {
        if (Gate.isInternal()) {
            return false;
        }
        ActionRequest request;
        try {
            if (descendant(target) || !target.isAlive()) {
                return false;
            }
            Map<String, Object> attributes = new HashMap<>(4);
            attributes.put(PID, target.pid());
            attributes.put(SIGNAL, force ? "SIGKILL" : "SIGTERM");
            // What the process runs, as the kernel reports it (its /proc/<pid>/exe): absent when it cannot be read.
            Optional<String> program = target.info().command();
            program.ifPresent(command -> attributes.put("process.program", command));
            request = new ActionRequest(ProcessActions.SURFACE, OPERATION, program.orElse("pid " + target.pid()), attributes);
        } catch (Throwable failure) {
            return Gate.refuseUnreadable(ProcessActions.SURFACE,
                    Decision.unreadable("could not describe the process to end", failure)).blocks();
        }
        return Gate.decide(request).blocks();
    }

    /** Whether this JVM is among the process's parents: it started it, or started what did. */
    static boolean descendant(ProcessHandle target) {
        long self = ProcessHandle.current().pid();
        Optional<ProcessHandle> parent = target.parent();
        for (int generation = 0; parent.isPresent() && generation < MAX_GENERATIONS; generation++) {
            if (parent.get().pid() == self) {
                return true;
            }
            parent = parent.get().parent();
        }
        return false;
    }
}
