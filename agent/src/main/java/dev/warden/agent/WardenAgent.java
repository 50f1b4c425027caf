package dev.warden.agent;

import dev.warden.agent.approval.ApprovalStage;
import dev.warden.agent.approval.ApprovalStore;
import dev.warden.agent.approval.ApprovalsArea;
import dev.warden.agent.approval.FileApprovalStore;
import dev.warden.agent.approval.RedisApprovalStore;
import dev.warden.agent.config.ConfigException;
import dev.warden.agent.config.ChainPlacement;
import dev.warden.agent.config.ConfigLoader;
import dev.warden.agent.config.WardenConfig;
import dev.warden.agent.config.WitnessingConfig;
import dev.warden.agent.context.ContextStage;
import dev.warden.agent.context.History;
import dev.warden.agent.context.InProcessStateStore;
import dev.warden.agent.context.LeasingStateStore;
import dev.warden.agent.context.ReceiptHistory;
import dev.warden.agent.context.RedisStateStore;
import dev.warden.agent.context.StateStore;
import dev.warden.agent.context.StateStoreException;
import dev.warden.agent.control.AgentControl;
import dev.warden.agent.control.ControlBeans;
import dev.warden.agent.control.DecisionCounters;
import dev.warden.agent.control.LastCheckpoint;
import dev.warden.agent.control.PolicyCalls;
import dev.warden.agent.control.Switchboard;
import dev.warden.agent.record.CheckpointFanout;
import dev.warden.agent.siem.SiemStream;
import dev.warden.agent.engine.ActionIds;
import dev.warden.agent.engine.EngineSlot;
import dev.warden.agent.engine.PolicyHolder;
import dev.warden.agent.engine.WardenEngine;
import dev.warden.agent.identity.IdentityResolver;
import dev.warden.agent.install.AgentInstaller;
import dev.warden.agent.install.InstallReport;
import dev.warden.agent.install.ModuleOpener;
import dev.warden.agent.install.WardenThreads;
import dev.warden.agent.lint.RulesLinter;
import dev.warden.agent.logging.WardenLog;
import dev.warden.agent.observe.Telemetry;
import dev.warden.agent.observe.TelemetryModes;
import dev.warden.agent.telemetry.TelemetryEvent;
import dev.warden.agent.reload.ControlArea;
import dev.warden.agent.reload.PolicyControl;
import dev.warden.agent.reload.PolicyWatcher;
import dev.warden.agent.witness.Witnessing;
import dev.warden.agent.record.BurstRules;
import dev.warden.agent.record.DiskSpace;
import dev.warden.agent.record.DiskWatermark;
import dev.warden.agent.record.ReceiptRecorder;
import dev.warden.agent.record.RefusalBursts;
import dev.warden.bootstrap.Gate;
import dev.warden.instrumentation.api.ActionEnricher;
import dev.warden.instrumentation.api.InstrumentationModule;
import dev.warden.receipts.KeyFormatException;
import dev.warden.receipts.KeyMismatchException;
import dev.warden.receipts.ReceiptsLockedException;
import dev.warden.receipts.ReceiptLog;
import dev.warden.receipts.ReceiptLogOptions;
import dev.warden.rules.PolicyBundle;
import dev.warden.rules.PolicyCompilationException;
import dev.warden.rules.PolicyCompiler;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.lang.instrument.Instrumentation;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.concurrent.TimeoutException;

/**
 * Starts Warden inside its own class loader: configuration, policy compilation (in the background,
 * overlapping the rest of start-up), the receipt log, the engine, then the instrumentation. Start-up
 * returns only when the policy is ready (or the configured wait ran out), so a policy that does not
 * compile stops the JVM before the host's {@code main} runs.
 */
public final class WardenAgent {

    /** EX_CONFIG, as the launcher uses: the host must not run unguarded. */
    private static final int REFUSED_TO_START = 78;

    private WardenAgent() {
    }

    public static void start(String arguments, Instrumentation instrumentation, long startedNanos) {
        start(arguments, instrumentation, startedNanos, null);
    }

    /** As the OpenTelemetry Java agent's extension: {@code agentTelemetry} is Warden's telemetry loaded by the agent (a JDK {@code BiConsumer}). */
    public static void startAsExtension(Instrumentation instrumentation, long startedNanos, Object agentTelemetry) {
        start(null, instrumentation, startedNanos, agentTelemetry);
    }

    private static void start(String arguments, Instrumentation instrumentation, long startedNanos, Object agentTelemetry) {
        long loadedNanos = System.nanoTime();
        List<InstrumentationModule> available = new ArrayList<>();
        ServiceLoader.load(InstrumentationModule.class, WardenAgent.class.getClassLoader()).forEach(available::add);
        WardenConfig config;
        try {
            config = ConfigLoader.load(arguments, System.getProperties(), System.getenv(),
                    available.stream().filter(InstrumentationModule::isSurface).map(InstrumentationModule::surface)
                            .collect(java.util.stream.Collectors.toSet()));
        } catch (ConfigException e) {
            refuseToStart(e.getMessage());
            return;
        }
        WardenLog.setLevel(config.log());
        try {
            ChildAgentOptions.publish(config);
        } catch (IllegalStateException e) {
            refuseToStart(e.getMessage());
            return;
        }
        ModuleOpener.openTo(instrumentation, WardenAgent.class.getClassLoader());
        EngineSlot slot = new EngineSlot();
        Gate.Capability capability = Gate.install(slot);
        WardenThreads threads = new WardenThreads(capability);
        Telemetry telemetry = TelemetryModes.start(config, agentTelemetry, capability, threads);

        PolicyBundle bundle;
        try {
            bundle = PolicyBundle.load(config.rules());
        } catch (IOException e) {
            refuseToStart("cannot read rules from " + config.rules().toAbsolutePath() + ": " + e);
            return;
        }
        PolicyHolder policy = PolicyHolder.compileInBackground(bundle,
                config.cache() == null ? new PolicyCompiler() : PolicyCompiler.cachingIn(config.cache()), config.policyWait(), threads);
        Clock clock = config.clock() == null ? Clock.systemUTC() : new dev.warden.agent.config.FileClock(config.clock());
        if (!Files.exists(config.receipts())) {
            // A first start opens the log only once the policy compiled: a refused start leaves no directory and no key.
            awaitPolicy(policy, config);
        }
        long receiptsNanos = System.nanoTime();
        SiemStream siem = SiemStream.start(config.siem(), Clock.systemUTC(), threads);
        LastCheckpoint lastCheckpoint = new LastCheckpoint(Clock.systemUTC());
        OpenedLog opened = openReceipts(config, bundle, threads, siem, lastCheckpoint, telemetry);
        ReceiptRecorder receipts = opened.recorder();
        config = config.withReceipts(opened.directory());
        long engineNanos = System.nanoTime();

        WardenConfig gated = config;
        // Modules that are no surface (the identity's hand-offs between threads) serve every surface gated.
        List<InstrumentationModule> modules = available.stream()
                .filter(module -> !module.isSurface() || gated.gates(module.surface())).toList();
        if (config.fileReads()) {
            dev.warden.bootstrap.file.FileActions.gateReads(); // one way: nothing turns it off again
        }
        Map<String, ActionEnricher> enrichers = new HashMap<>();
        modules.stream().filter(InstrumentationModule::isSurface).forEach(module -> enrichers.put(module.surface(), module.enricher()));
        if (config.clock() != null) {
            WardenLog.warn("clock=file:" + config.clock() + ": Warden's time is what that file says (for tests only)");
        }
        RedisStateStore redis = openRedis(config, capability, threads, clock);
        StateStore state = redis == null ? new InProcessStateStore(clock::millis) : new LeasingStateStore(redis, clock::millis);
        if (redis != null) {
            // Gives back unused leased units, then closes the connections approvals share too.
            Runtime.getRuntime().addShutdownHook(threads.newThread(state::close));
        }
        // In-process state starts from what the receipt log says happened before this process; a
        // shared store keeps its own (replaying this JVM's log into it would count it twice).
        History history = config.state() == null ? new ReceiptHistory(config.receipts()) : History.NONE;
        ContextStage context = new ContextStage(state, history, clock::millis);
        ApprovalStage approvals = new ApprovalStage(openApprovals(config, redis, clock), state, history, clock);
        Switchboard switches = Switchboard.live(config.mode(), receipts, enrichers.keySet(), policy::version, clock);
        DecisionCounters counters = new DecisionCounters();
        receipts.observe(counters);
        if (siem != null) {
            receipts.observe(siem);
        }
        WardenEngine engine = new WardenEngine(enrichers, new IdentityResolver(config.actor()), policy, receipts, switches,
                config.reuseRulings(), context, approvals, config.holdWait(), clock);
        engine.observeWith(telemetry.decisions());
        receipts.observe(lastCheckpoint);
        telemetry.gauges().accept(Map.of(TelemetryEvent.CHECKPOINT_LAG, lastCheckpoint::lag,
                TelemetryEvent.CHECKPOINT_AGE, lastCheckpoint::ageMillis,
                TelemetryEvent.APPROVALS_PENDING, () -> approvals.store().openCount(clock.instant())));
        slot.fill(engine);
        // Reloads and rollbacks: the operator's requests in the control area, and the rules directory's changes.
        PolicyControl policyControl = new PolicyControl(config.rules(), policy, config.receipts(), receipts, new RulesLinter(available), clock);
        new PolicyWatcher(policyControl, new ControlArea(config.receipts()), config.rules(), config.rulesWatch()).start(threads);
        ControlBeans.registerLater(new AgentControl(switches, counters, policy::version, lastCheckpoint,
                siem == null ? () -> 0 : siem::written, siem == null ? () -> 0 : siem::dropped,
                new PolicyCalls(policyControl, capability::runInternally)), threads);
        long installNanos = System.nanoTime();
        InstallReport installed = AgentInstaller.install(instrumentation, modules);
        long installedNanos = System.nanoTime();
        if (!installed.verified()) {
            refuseToStart("advice does not reach its JDK targets: " + String.join("; ", installed.failures()));
            return;
        }

        String origin = awaitPolicy(policy, config);
        long readyNanos = System.nanoTime();
        WardenLog.info(String.format("started in %d ms: mode %s, policy %s (%d files from %s, %s), receipts in %s, state %s, surfaces %s, %s"
                        + " (agent loaded %d ms, receipts %d ms, instrumentation %d ms, then waited %d ms for the policy)",
                millis(startedNanos, readyNanos), config.mode().name().toLowerCase(java.util.Locale.ROOT),
                bundle.version().substring(0, 12), bundle.files().size(), config.rules().toAbsolutePath(), origin.replaceFirst("[:,].*", ""),
                config.receipts().toAbsolutePath(), state.describe(),
                modules.stream().filter(InstrumentationModule::isSurface).map(InstrumentationModule::surface).toList(),
                installed.summary(), millis(startedNanos, loadedNanos), millis(receiptsNanos, engineNanos),
                millis(installNanos, installedNanos), millis(installedNanos, readyNanos)));
    }

    private static long millis(long fromNanos, long toNanos) {
        return (toNanos - fromNanos) / 1_000_000;
    }

    /** Waits for the policy, refusing to start when it does not compile; where it came from (compiled, from cache, ...). */
    private static String awaitPolicy(PolicyHolder policy, WardenConfig config) {
        try {
            String origin = policy.await().origin();
            if (origin.startsWith("recompiled") || origin.contains("not cached")) {
                WardenLog.warn("policy " + origin);
            }
            return origin;
        } catch (PolicyCompilationException e) {
            refuseToStart("rules in " + config.rules().toAbsolutePath() + " do not compile: " + e.getMessage());
        } catch (TimeoutException e) {
            WardenLog.warn("policy still compiling after " + config.policyWait().toMillis()
                    + " ms; actions wait for it and are refused if it is not ready in time");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return "not ready";
    }

    /**
     * The shared state store the configuration names, or null for state in this process's memory (the
     * context stage leases slices of its high-volume limits locally). A shared store that does not
     * answer at start does not stop the host: the store says so once, and the actions that need it are
     * refused until it answers. Warden's own connection is never gated.
     */
    private static RedisStateStore openRedis(WardenConfig config, Gate.Capability capability, WardenThreads threads, Clock clock) {
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

    /**
     * Where approvals arrive: the receipts directory's approvals area with state in this process; the
     * shared store's Redis with {@code state=redis://}, so every JVM sharing it sees one set of requests.
     */
    private static ApprovalStore openApprovals(WardenConfig config, RedisStateStore redis, Clock clock) {
        return redis == null ? new FileApprovalStore(new ApprovalsArea(config.receipts())) : new RedisApprovalStore(redis, clock);
    }

    /** The recorder of the log this JVM writes, and the directory of its chain. */
    private record OpenedLog(ReceiptRecorder recorder, Path directory) {
    }

    /**
     * Opens this JVM's chain: the receipts directory, or with receipts-per-process its own subdirectory (the
     * configured instance, else the first of {@code <host>}, {@code <host>-2}, ... no running JVM writes). A directory
     * another process writes, or a key that does not match the log, refuses the start: writing anyway would interleave
     * two chains or sign one no key verifies.
     */
    private static OpenedLog openReceipts(WardenConfig config, PolicyBundle bundle, WardenThreads threads, SiemStream siem,
                                          LastCheckpoint lastCheckpoint, Telemetry telemetry) {
        List<Path> candidates = ChainPlacement.candidates(config.receipts(), config.chain());
        for (int i = 0; i < candidates.size(); i++) {
            Path directory = candidates.get(i);
            try {
                return new OpenedLog(openLog(config, directory, bundle, threads, siem, lastCheckpoint, telemetry), directory);
            } catch (ReceiptsLockedException e) {
                if (i == candidates.size() - 1) {
                    refuseToStart(e.getMessage() + (config.chain().perProcess() ? ""
                            : "; one writer per receipts directory: give this JVM another receipts directory,"
                            + " or set receipts-per-process=true"));
                }
            } catch (KeyMismatchException e) {
                refuseToStart(e.getMessage());
            } catch (KeyFormatException e) {
                refuseToStart("signing key is not a PEM PKCS#8 Ed25519 private key: " + e.getMessage());
            } catch (IOException | RuntimeException e) {
                WardenLog.warn("receipts cannot be written to " + directory.toAbsolutePath() + " (" + e
                        + "): every action will be refused");
                return new OpenedLog(ReceiptRecorder.unavailable(String.valueOf(e)), directory);
            }
        }
        throw new IllegalStateException("unreachable: the last candidate refuses the start");
    }

    private static ReceiptRecorder openLog(WardenConfig config, Path directory, PolicyBundle bundle, WardenThreads threads,
                                           SiemStream siem, LastCheckpoint lastCheckpoint, Telemetry telemetry) throws IOException {
        WitnessingConfig anchors = config.witnessing();
        Witnessing witnessing = Witnessing.of(anchors.witnesses(), anchors.export(), anchors.alertBound(),
                directory, threads, Clock.systemUTC());
        ReceiptLog log = ReceiptLog.open(ReceiptLogOptions.defaults(directory)
                .withPrivateKey(config.key())
                .withRotationFrom(config.chain().rotateFrom())
                .withCheckpoints(config.checkpointEvery(), config.checkpointInterval())
                .withSignEveryReceipt(config.signEveryReceipt())
                .withThreadFactory(threads), CheckpointFanout.of(witnessing, siem, lastCheckpoint, telemetry.checkpoints()));
        if (witnessing != null) {
            if (siem != null) {
                witnessing.copyCosignedTo(siem::cosigned);
            }
            witnessing.start(log);
        }
        log.archivePolicy(bundle.version(), bundle.encoded());
        ReceiptRecorder recorder = ReceiptRecorder.writingTo(log,
                config.refusalWindow().isZero() ? null : new RefusalBursts(BurstRules.within(config.refusalWindow())),
                new DiskWatermark(DiskSpace.of(directory), config.receiptsMinFree()), Clock.systemUTC(), ActionIds::next);
        recorder.startHousekeeping(threads);
        if (witnessing != null) {
            witnessing.recordRefusalsWith(recorder::record);
        }
        // One hook: the counted refusals are written before the log's final checkpoint.
        Runtime.getRuntime().addShutdownHook(threads.newThread(recorder::close));
        if (config.key() == null) {
            WardenLog.info("no signing key configured; checkpoints are signed with a generated key whose public half is "
                    + log.publicKeyFile().toAbsolutePath());
        }
        if (recorder.refusal() != null) {
            WardenLog.warn(recorder.refusal() + ": every action is refused until there is room");
        }
        return recorder;
    }

    private static void refuseToStart(String why) {
        WardenLog.fatal(why + " -- refusing to start, so the application does not run unguarded");
        System.exit(REFUSED_TO_START);
    }
}
