package dev.warden.agent;

import dev.warden.agent.approval.ApprovalStage;
import dev.warden.agent.approval.ApprovalStore;
import dev.warden.agent.approval.ApprovalsArea;
import dev.warden.agent.approval.FileApprovalStore;
import dev.warden.agent.approval.RedisApprovalStore;
import dev.warden.agent.config.WardenConfig;
import dev.warden.agent.config.WitnessingConfig;
import dev.warden.agent.context.ClockCheckedStateStore;
import dev.warden.agent.context.ContextStage;
import dev.warden.agent.context.History;
import dev.warden.agent.context.InProcessStateStore;
import dev.warden.agent.context.LeasingStateStore;
import dev.warden.agent.context.ReceiptHistory;
import dev.warden.agent.context.ReplayedState;
import dev.warden.agent.context.SnapshottedHistory;
import dev.warden.agent.context.StateKeeper;
import dev.warden.agent.context.RedisStateStore;
import dev.warden.agent.context.StateStore;
import dev.warden.agent.context.StateStoreException;
import dev.warden.agent.control.AgentControl;
import dev.warden.agent.control.ControlBeans;
import dev.warden.agent.control.DecisionCounters;
import dev.warden.agent.control.LastCheckpoint;
import dev.warden.agent.control.PolicyCalls;
import dev.warden.agent.control.Switchboard;
import dev.warden.agent.engine.ActionIds;
import dev.warden.agent.engine.EngineSlot;
import dev.warden.agent.engine.KeptName;
import dev.warden.agent.engine.OwnFiles;
import dev.warden.agent.engine.OwnSiemReceiver;
import dev.warden.agent.engine.OwnStateStore;
import dev.warden.agent.engine.PolicyHolder;
import dev.warden.agent.engine.WardenEngine;
import dev.warden.agent.identity.IdentityResolver;
import dev.warden.agent.install.StartLane;
import dev.warden.agent.install.WardenThreads;
import dev.warden.agent.lint.RulesLinter;
import dev.warden.agent.logging.WardenLog;
import dev.warden.agent.observe.Telemetry;
import dev.warden.agent.record.BurstRules;
import dev.warden.agent.record.CheckpointFanout;
import dev.warden.agent.record.DiskSpace;
import dev.warden.agent.record.DiskWatermark;
import dev.warden.agent.record.ReceiptRecorder;
import dev.warden.agent.record.RefusalBursts;
import dev.warden.agent.reload.ControlArea;
import dev.warden.agent.reload.PolicyControl;
import dev.warden.agent.reload.PolicyWatcher;
import dev.warden.agent.siem.SiemStream;
import dev.warden.agent.telemetry.TelemetryEvent;
import dev.warden.agent.witness.Witnessing;
import dev.warden.bootstrap.Gate;
import dev.warden.instrumentation.api.ActionEnricher;
import dev.warden.instrumentation.api.InstrumentationModule;
import dev.warden.receipts.ReceiptLog;
import dev.warden.receipts.ReceiptsClaim;
import dev.warden.receipts.RequestSigner;
import dev.warden.rules.PolicyBundle;
import dev.warden.rules.approvals.ApprovalPolicy;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * What the engine needs and the host's {@code main} need not wait for: the receipt log's queue opened (its
 * directory was claimed at start, where every reason to refuse the start is found), the shared state store
 * reached, the engine assembled and put in the gate's slot, reloads watched. It runs on a Warden thread while the
 * host starts, in its turn ({@link StartLane}: on two cores after ByteBuddy's install, the jars' opening and the
 * rules' loading); actions arriving before the slot is filled wait for it ({@link EngineSlot}). Opening the queue
 * is most of a warm start's work after the instrumentation (Chronicle's classes and mappings).
 */
final class EngineAssembly {

    /** What the assembly opened: closed at exit, described in the start line. */
    record Assembled(ReceiptRecorder recorder, StateStore state) {
    }

    /**
     * What the start decided and the assembly needs.
     *
     * @param config  the configuration, with the receipts directory the claim took (a per-process chain's)
     * @param kept    Warden's own files and directories, and {@code secrets} its keys ({@link OwnFiles})
     */
    record Inputs(WardenConfig config, ReceiptsClaim claim, String unavailable, PolicyBundle bundle, PolicyHolder policy,
                  Map<String, ActionEnricher> enrichers, List<InstrumentationModule> available, Telemetry telemetry,
                  Gate.Capability capability, WardenThreads threads, Clock clock, List<Path> kept, List<Path> secrets) {
    }

    private final CompletableFuture<Assembled> assembled = new CompletableFuture<>();
    private final Duration wait;
    /**
     * Set when Warden's closing began, the host's shutdown hooks done, before the queue was opened: nothing more can be
     * decided, so no queue is made.
     */
    private final java.util.concurrent.atomic.AtomicBoolean exiting = new java.util.concurrent.atomic.AtomicBoolean();

    private EngineAssembly(Duration wait) {
        this.wait = wait;
    }

    /**
     * Starts assembling on a Warden thread, filling {@code slot} when done. Whatever fails before the slot is filled
     * fills it with an engine that refuses every action, naming the failure: no action waits for an engine that will
     * not come. What fails after it (reloads, the control bean) leaves the engine deciding, and says so.
     */
    static EngineAssembly start(Inputs inputs, EngineSlot slot, StartLane lane) {
        EngineAssembly assembly = new EngineAssembly(inputs.config().policyWait());
        inputs.threads().newThread(lane.inTurn(() -> {
            Engine engine;
            try {
                engine = assembly.assemble(inputs, slot);
            } catch (Throwable failure) {
                WardenLog.warn("the engine could not be assembled (" + failure + "): every action will be refused");
                if (!slot.isFilled()) {
                    slot.fail(String.valueOf(failure));
                }
                if (inputs.claim() != null) {
                    inputs.claim().close(); // a claim the failure left unopened; an opened log holds its own lock
                }
                assembly.assembled.completeExceptionally(failure);
                return;
            }
            assembly.assembled.complete(engine.assembled());
            try {
                controlAndReloads(inputs, engine);
            } catch (Throwable failure) {
                WardenLog.warn("reloads and the control bean could not be started (" + failure
                        + "): the policy in force stays, and decides every action");
            }
        })).start();
        return assembly;
    }

    /**
     * At exit, once the host's shutdown hooks are done: what was assembled, waiting for it up to the start's bound;
     * empty if it failed or is not done by then. An assembly that has not opened the queue yet opens none (no action was
     * decided, so there is nothing to record): the exit neither waits for a queue nor leaves one opened behind it.
     */
    Optional<Assembled> awaitAtExit() {
        exiting.set(true);
        return await();
    }

    /** What was assembled, waiting for it up to the start's bound; empty if it failed or is not done by then. */
    Optional<Assembled> await() {
        try {
            return Optional.of(assembled.get(wait.toMillis(), TimeUnit.MILLISECONDS));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            // said when it failed; one still assembling at exit has nothing to close
        }
        return Optional.empty();
    }

    /** The engine in the slot and what reloads and the control bean are started with. */
    private record Engine(Assembled assembled, Switchboard switches, DecisionCounters counters, LastCheckpoint lastCheckpoint,
                          SiemStream siem, OwnFiles own) {
    }

    private Engine assemble(Inputs in, EngineSlot slot) {
        WardenConfig config = in.config();
        Clock clock = in.clock();
        WardenThreads threads = in.threads();
        RedisStateStore redis = openRedis(config, in.capability(), clock);
        SiemStream siem = SiemStream.start(config.siem(), Clock.systemUTC(), threads);
        LastCheckpoint lastCheckpoint = new LastCheckpoint(Clock.systemUTC());
        ReceiptRecorder receipts = in.claim() == null ? ReceiptRecorder.unavailable(in.unavailable())
                : exiting.get() ? closeUnopened(in.claim()) : openLog(in, siem, lastCheckpoint);
        try {
            StateStore state;
            History history;
            ApprovalStore approvalStore;
            ReplayedState.Over beside;
            Supplier<ApprovalPolicy> approvalPolicy = () -> in.policy().current().approvals();
            // Requests are signed with the log's key: approvers check what they are shown against it (APPROVALS.md).
            RequestSigner requestSigner = in.claim() == null ? RequestSigner.UNSIGNED : in.claim().requestSigner();
            if (redis == null) {
                // In-process state starts from what the receipt log says happened before this process (from the
                // previous start's snapshot on, where the cache directory keeps one); the approval stage's memory too.
                InProcessStateStore inProcess = new InProcessStateStore(clock::millis);
                FileApprovalStore fileApprovals = new FileApprovalStore(new ApprovalsArea(config.receipts()), requestSigner);
                state = inProcess;
                approvalStore = fileApprovals;
                beside = fileApprovals.replayedHere(approvalPolicy);
                history = config.cache() == null ? new ReceiptHistory(config.receipts())
                        : new SnapshottedHistory(config.receipts(), inProcess, config.cache(), clock::millis);
            } else {
                // A shared store keeps its own (replaying this JVM's log into it would count it twice), and approvals
                // are where every JVM sharing it sees one set of requests.
                state = new LeasingStateStore(new ClockCheckedStateStore(redis, redis::serverMillis, clock::millis), clock::millis);
                approvalStore = new RedisApprovalStore(redis, clock, requestSigner);
                beside = ReplayedState.Over.NONE;
                history = History.NONE;
            }
            ContextStage context = new ContextStage(state, history, clock::millis, beside);
            ApprovalStage approvals = new ApprovalStage(approvalStore, context, clock);
            Switchboard switches = Switchboard.live(config.mode(), receipts, in.enrichers().keySet(), in.policy()::version, clock);
            DecisionCounters counters = new DecisionCounters();
            receipts.observe(counters);
            if (siem != null) {
                receipts.observe(siem);
            }
            WardenEngine engine = new WardenEngine(in.enrichers(), new IdentityResolver(config.actor()), in.policy(), receipts,
                    switches, config.reuseRulings(), context, approvals, config.holdWait(), clock);
            engine.observeWith(in.telemetry().decisions());
            OwnFiles own = ownFiles(in);
            engine.protect(own);
            if (config.state() != null) {
                engine.protect(ownStateStore(config.state(), in.capability()));
            }
            if (config.siem().syslog() != null) {
                engine.protect(ownSiemReceiver(config.siem().syslog(), in.capability()));
            }
            receipts.observe(lastCheckpoint);
            in.telemetry().gauges().accept(Map.of(TelemetryEvent.CHECKPOINT_LAG, lastCheckpoint::lag,
                    TelemetryEvent.CHECKPOINT_AGE, lastCheckpoint::ageMillis,
                    TelemetryEvent.APPROVALS_PENDING, () -> approvals.store().openCount(clock.instant())));
            slot.fill(engine);
            if (receipts.writesLog() && history instanceof SnapshottedHistory && !config.stateSnapshotInterval().isZero()) {
                StateKeeper.start(config.stateSnapshotInterval().toMillis(), config.receipts(), config.cache(), clock::millis,
                        context::policyInUse, FileApprovalStore.replayedApart(approvalPolicy),
                        work -> threads.newThread("state-snapshots", work));
            }
            return new Engine(new Assembled(receipts, state), switches, counters, lastCheckpoint, siem, own);
        } catch (RuntimeException | Error failure) {
            receipts.close(); // an opened log is closed whole (its final checkpoint), and lets go of the directory
            throw failure;
        }
    }

    /** Warden's own files; its keys told to the file advice again (a signing key the log generated exists only now). */
    private static OwnFiles ownFiles(Inputs in) {
        in.secrets().forEach(dev.warden.bootstrap.file.WardenSecrets::add);
        OwnFiles own = OwnFiles.of(in.kept(), in.secrets());
        return in.config().rules() == null ? own : own.withLinkedRules(in.config().rules());
    }

    /** The shared state store, which no host action connects to; its name resolved inside Warden's own section. */
    private static OwnStateStore ownStateStore(dev.warden.agent.config.StateLocation store, Gate.Capability capability) {
        dev.warden.bootstrap.http.StoreEndpoint[] endpoint = new dev.warden.bootstrap.http.StoreEndpoint[1];
        capability.runInternally(() -> endpoint[0] = dev.warden.bootstrap.http.StoreEndpoint.resolve(store.host(), store.port()));
        dev.warden.bootstrap.http.StoreEndpoint.protect(endpoint[0], capability);
        return new OwnStateStore(store.describe(), endpoint[0]);
    }

    /** The SIEM's syslog receiver, which no host action sends to; its name resolved inside Warden's own section. */
    private static OwnSiemReceiver ownSiemReceiver(dev.warden.agent.config.SyslogAddress receiver, Gate.Capability capability) {
        dev.warden.bootstrap.http.StoreEndpoint[] endpoint = new dev.warden.bootstrap.http.StoreEndpoint[1];
        capability.runInternally(() -> endpoint[0] = dev.warden.bootstrap.http.StoreEndpoint.resolve(receiver.host(), receiver.port()));
        return new OwnSiemReceiver(receiver.describe(), endpoint[0]);
    }

    /** Reloads and rollbacks (the operator's requests in the control area, the rules directory's changes), and JMX. */
    private static void controlAndReloads(Inputs in, Engine engine) {
        WardenConfig config = in.config();
        SiemStream siem = engine.siem();
        // The rules are read where their name leads, walked in full and published to the file decisions first: not a
        // directory that was the host's to write when it became the rules (a flipped `current` link), nor one a
        // later chdir names. The control thread walks every kept name so at each look.
        KeptName rules = engine.own().kept(config.rules());
        PolicyControl policyControl = new PolicyControl(rules::walk, in.policy(), config.receipts(),
                engine.assembled().recorder(), new RulesLinter(in.available()), in.clock());
        new PolicyWatcher(policyControl, new ControlArea(config.receipts()), rules::walk, engine.own()::walkAgain,
                config.rulesWatch()).start(in.threads());
        ControlBeans.registerLater(in.capability(), key -> new AgentControl(engine.switches(), engine.counters(), in.policy()::version,
                engine.lastCheckpoint(), siem == null ? () -> 0 : siem::written, siem == null ? () -> 0 : siem::dropped,
                new PolicyCalls(policyControl, in.capability()::runInternally), key), in.threads(), keyless(config));
    }

    /**
     * Why no control key may be made, or null. HotSpot dumps the heap on its own when the operator asked it to (on an
     * {@code OutOfMemoryError}, at a full GC), the key in it, and only the file surface keeps the host from reading the
     * dump: without it, a host that provokes the dump reads the key and signs a switch to shadow (an eighth review).
     */
    private static String keyless(WardenConfig config) {
        List<Path> dumps = OwnFiles.numberedSecrets();
        return config.gates("file") || dumps.isEmpty() ? null : "HotSpot dumps the heap, which would hold the control key, to "
                + dumps.get(dumps.size() - 1) + " on its own (-XX:+HeapDumpOnOutOfMemoryError, HeapDumpBeforeFullGC or"
                + " HeapDumpAfterFullGC), and surfaces= does not gate file, which keeps the application from reading it";
    }

    /** A claim the exit overtook: let go, and every action (a shutdown hook's) refused, for there is no log. */
    private static ReceiptRecorder closeUnopened(ReceiptsClaim claim) {
        claim.close();
        return ReceiptRecorder.unavailable("the JVM was exiting, its shutdown hooks done, before Warden opened its receipt log");
    }

    /** The claimed log opened, or a recorder that refuses every action when it cannot be. */
    private static ReceiptRecorder openLog(Inputs in, SiemStream siem, LastCheckpoint lastCheckpoint) {
        WardenConfig config = in.config();
        try {
            WitnessingConfig anchors = config.witnessing();
            Witnessing witnessing = Witnessing.of(anchors.witnesses(), anchors.export(), anchors.alertBound(),
                    config.receipts(), in.threads(), Clock.systemUTC());
            ReceiptLog log = in.claim().open(CheckpointFanout.of(witnessing, siem, lastCheckpoint, in.telemetry().checkpoints()));
            try {
                return recorderOf(in, log, witnessing, siem);
            } catch (IOException | RuntimeException e) {
                log.close(); // an opened log holds the directory's lock and runs its signer
                throw e;
            }
        } catch (IOException | RuntimeException e) {
            in.claim().close();
            WardenLog.warn("receipts cannot be written to " + config.receipts().toAbsolutePath() + " (" + e
                    + "): every action will be refused");
            return ReceiptRecorder.unavailable(String.valueOf(e));
        }
    }

    /** The recorder of an opened log, with what it reports to (witnesses, the SIEM stream) and its housekeeping started. */
    private static ReceiptRecorder recorderOf(Inputs in, ReceiptLog log, Witnessing witnessing, SiemStream siem) throws IOException {
        WardenConfig config = in.config();
        if (witnessing != null) {
            if (siem != null) {
                witnessing.copyCosignedTo(siem::cosigned);
            }
            witnessing.start(log);
        }
        log.archivePolicy(in.bundle().version(), in.bundle().encoded());
        ReceiptRecorder recorder = ReceiptRecorder.writingTo(log,
                config.refusalWindow().isZero() ? null : new RefusalBursts(BurstRules.within(config.refusalWindow())),
                new DiskWatermark(DiskSpace.of(config.receipts()), config.receiptsMinFree()), Clock.systemUTC(), ActionIds::next);
        recorder.startHousekeeping(in.threads());
        if (witnessing != null) {
            witnessing.recordRefusalsWith(recorder::record);
        }
        if (recorder.refusal() != null) {
            WardenLog.warn(recorder.refusal() + ": every action is refused until there is room");
        }
        return recorder;
    }

    /**
     * The shared state store the configuration names, or null for state in this process's memory (the
     * context stage leases slices of its high-volume limits locally). A shared store that does not
     * answer does not stop the host: the store says so once, and the actions that need it are
     * refused until it answers. Warden's own connection is never gated.
     */
    private static RedisStateStore openRedis(WardenConfig config, Gate.Capability capability, Clock clock) {
        if (config.state() == null) {
            return null;
        }
        RedisStateStore redis = new RedisStateStore(config.state(), config.stateTimeout(), RedisStateStore.PREFIX,
                clock::millis);
        capability.runInternally(() -> {
            try {
                redis.ping();
            } catch (StateStoreException notYet) {
                // logged by the store
            }
        });
        return redis;
    }
}
