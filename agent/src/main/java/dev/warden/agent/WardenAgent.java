package dev.warden.agent;

import dev.warden.agent.config.ConfigException;
import dev.warden.agent.config.ChainPlacement;
import dev.warden.agent.config.ConfigLoader;
import dev.warden.agent.config.WardenConfig;
import dev.warden.agent.engine.EngineSlot;
import dev.warden.agent.engine.KeptName;
import dev.warden.agent.engine.OwnFiles;
import dev.warden.agent.engine.PolicyHolder;
import dev.warden.agent.install.InstallReport;
import dev.warden.agent.install.Installation;
import dev.warden.agent.install.JdkProviderList;
import dev.warden.agent.telemetry.OwnTls;
import dev.warden.agent.install.ModuleOpener;
import dev.warden.agent.install.StartLane;
import dev.warden.agent.install.WardenThreads;
import dev.warden.agent.logging.WardenLog;
import dev.warden.agent.observe.Telemetry;
import dev.warden.agent.observe.TelemetryModes;
import dev.warden.bootstrap.Gate;
import dev.warden.instrumentation.api.ActionEnricher;
import dev.warden.instrumentation.api.InstrumentationModule;
import dev.warden.receipts.KeyFormatException;
import dev.warden.receipts.KeyMismatchException;
import dev.warden.receipts.ReceiptsLockedException;
import dev.warden.receipts.ReceiptsClaim;
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
import java.util.Optional;
import java.util.Set;
import java.util.ServiceLoader;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * Starts Warden inside its own class loader. Before the host's {@code main}: the configuration, the rules read, the
 * instrumentation installed (or, where an earlier start kept its result, begun: {@link Installation}), and beside it on
 * a Warden thread the rules' cache entry checked and the receipts directory claimed. Any of these failing stops the JVM
 * there (exit 78), so the host never runs unguarded. Then, alongside the host's start and taking turns
 * ({@link StartLane}): ByteBuddy installed, the unpacked jars opened, rules that compiled before loaded, the claimed queue
 * opened and the engine assembled ({@link EngineAssembly}); rules that did not compile before compile on a Warden thread
 * beside them (before main, they took the CPU the instrumentation needed). Actions arriving meanwhile wait at the gate
 * for them; rules that do not compile refuse every action, naming why, while the host runs (a reload that compiles puts
 * them right).
 */
public final class WardenAgent {
    private static final java.util.concurrent.atomic.AtomicBoolean STARTED = new java.util.concurrent.atomic.AtomicBoolean();


    /** EX_CONFIG, as the launcher uses: the host must not run unguarded. */
    private static final int REFUSED_TO_START = 78;

    /** The name of the thread that holds the unpacked jars open once the agent has started. */
    static final String JARS_THREAD = "jars";

    private WardenAgent() {
    }

    /**
     * @param agentJar the jar the launcher unpacked Warden from (one of Warden's own files: the next start unpacks it)
     * @param ownDirectory the directory the launcher unpacked Warden's jars under: the default cache is in it
     * @param launcherWarnings what the launcher found worth saying, said once the configuration says how much to say
     * @param openJars the launcher's: opens the unpacked jars the start did not need and answers those it could not,
     *                 asked once the agent has started on a thread of Warden's, whose reads are never gated
     */
    public static void start(String arguments, Instrumentation instrumentation, long startedNanos, Path agentJar,
                             Path ownDirectory, List<String> launcherWarnings, Supplier<List<String>> openJars) {
        start(arguments, instrumentation, startedNanos, null, agentJar, ownDirectory, launcherWarnings, openJars);
    }

    /** As the OpenTelemetry Java agent's extension: {@code agentTelemetry} is Warden's telemetry loaded by the agent (a JDK {@code BiConsumer}). */
    public static void startAsExtension(Instrumentation instrumentation, long startedNanos, Object agentTelemetry, Path agentJar,
                                        Path ownDirectory, List<String> launcherWarnings, Supplier<List<String>> openJars) {
        start(null, instrumentation, startedNanos, agentTelemetry, agentJar, ownDirectory, launcherWarnings, openJars);
    }

    private static void start(String arguments, Instrumentation instrumentation, long startedNanos, Object agentTelemetry,
                              Path agentJar, Path ownDirectory, List<String> launcherWarnings,
                              Supplier<List<String>> openJars) {
        if (!STARTED.compareAndSet(false, true)) {
            // Host code reaches this public class through Warden's loader: a second start, with an Instrumentation and
            // arguments of its own, must change nothing of the first (not even where Warden's lines go).
            throw new IllegalStateException("Warden has started in this JVM already");
        }
        long loadedNanos = System.nanoTime();
        List<InstrumentationModule> available = new ArrayList<>();
        ServiceLoader.load(InstrumentationModule.class, WardenAgent.class.getClassLoader()).forEach(available::add);
        available.add(new dev.warden.agent.install.HiddenClassModule()); // the installer's own: hidden classes woven too
        // First: a JDK target loaded from here on keeps the class file an earlier install's result was made from.
        // Beside: what the receipts claim needs of Chronicle and Bouncy Castle initialises (main waits for the claim).
        Installation installation = Installation.begin(instrumentation, available, WardenAgent::besideTheStart);
        WardenConfig config;
        try {
            config = ConfigLoader.load(arguments, System.getProperties(), System.getenv(),
                    available.stream().filter(InstrumentationModule::isSurface).map(InstrumentationModule::surface)
                            .collect(java.util.stream.Collectors.toSet()), ownDirectory);
        } catch (ConfigException e) {
            launcherWarnings.forEach(WardenLog::warn); // at the default level: no configuration says otherwise
            refuseToStart(e.getMessage());
            return;
        }
        WardenLog.settle(config.log());
        launcherWarnings.forEach(WardenLog::warn);
        try {
            ChildAgentOptions.publish(config);
        } catch (IllegalStateException e) {
            refuseToStart(e.getMessage());
            return;
        }
        ModuleOpener.openTo(instrumentation, WardenAgent.class.getClassLoader());
        if (agentTelemetry != null) {
            // As the OpenTelemetry agent's extension, Warden's export runs from that agent's extension loader.
            ModuleOpener.openHttpTo(instrumentation, agentTelemetry.getClass().getClassLoader());
        }
        JdkProviderList.keep(); // before the host's main: the list Warden's threads keep is the JDK's
        OwnTls.keepFor(ownEndpoints(config)); // likewise the TLS of Warden's own https requests
        EngineSlot slot = new EngineSlot(config.policyWait());
        Gate.Capability capability = Gate.install(slot);
        WardenThreads threads = new WardenThreads(capability);
        List<Runnable> afterLogCloses = new java.util.concurrent.CopyOnWriteArrayList<>();
        Telemetry telemetry = TelemetryModes.start(config, agentTelemetry, capability, threads, afterLogCloses::add);

        PolicyBundle bundle;
        try {
            bundle = PolicyBundle.load(config.rules());
        } catch (IOException e) {
            refuseToStart("cannot read rules from " + config.rules().toAbsolutePath() + ": " + e);
            return;
        }
        Clock clock = config.clock() == null ? Clock.systemUTC() : new dev.warden.agent.config.FileClock(config.clock());
        // The rules' cache entry and the receipts directory are checked on a Warden thread while this one installs the
        // instrumentation: the start is CPU-bound, and neither needs the other. A refusal there stops the JVM as here.
        WardenConfig configured = config;
        CompletableFuture<Prepared> preparing = new CompletableFuture<>();
        Thread preparer = threads.newThread(() -> {
            try {
                preparing.complete(prepare(configured, bundle, threads));
            } catch (Throwable failure) {
                preparing.completeExceptionally(failure);
            }
        });
        preparer.start();

        WardenConfig gated = config;
        // Modules that are no surface (the identity's hand-offs between threads) serve every surface gated.
        List<InstrumentationModule> modules = available.stream()
                .filter(module -> !module.isSurface() || gated.gates(module.surface())).toList();
        if (config.fileReads()) {
            dev.warden.bootstrap.file.FileActions.gateReads(); // one way: nothing turns it off again
        }
        // The instrumentation host code may hold (the OpenTelemetry agent publishes its own): no retransforming
        // transformer of the host's is added to it.
        dev.warden.bootstrap.jvm.ClassTransformers.guard(instrumentation);
        if (config.gates(dev.warden.bootstrap.http.NetActions.SURFACE)) {
            // The JDK's unix connects are advised with jvm (its attach listener); under net too when net is gated.
            dev.warden.bootstrap.http.UnixSocketActions.gateNet();
        }
        Map<String, ActionEnricher> enrichers = new HashMap<>();
        modules.stream().filter(InstrumentationModule::isSurface).forEach(module -> enrichers.put(module.surface(), module.enricher()));
        if (config.clock() != null) {
            WardenLog.warn("clock=file:" + config.clock() + ": Warden's time is what that file says (for tests only)");
        }
        long installNanos = System.nanoTime();
        if (config.installGate()) {
            WardenLog.warn("install-gate=main-waits: ByteBuddy installed alongside main waits until main waits for it"
                    + " (for tests only)");
        }
        StartLane lane = new StartLane();
        installation.install(modules, config.cache(), threads, lane, agentTelemetry != null,
                Set.of(Thread.currentThread(), preparer), config.installGate());
        // The jars' turn is after ByteBuddy's and before the rules' and the engine's, so that an assembly waiting long
        // (a state store that does not answer) does not leave them unopened.
        StartLane.Turn openingJars = lane.inTurn(() -> openJars.get().forEach(unopened -> WardenLog.warn("could not open "
                + unopened + "; a class from it will be missing, and the action that needs it refused")));
        long installedNanos = System.nanoTime();
        Prepared prepared = preparing.join();
        long preparedNanos = System.nanoTime();
        InstallReport installed;
        try {
            installed = installation.beforeMain();
        } catch (RuntimeException failed) {
            prepared.claimed().release();
            refuseToStart(notInstalled(failed));
            return;
        }
        long checkedNanos = System.nanoTime();
        Claimed claimed = prepared.claimed();
        PolicyHolder policy = prepared.policy();
        boolean compiledBefore = prepared.compiledBefore();
        config = config.withReceipts(claimed.directory());
        // Before main: reads are not decided unless they open one of these (OwnFiles), from the host's first line on.
        List<Path> secrets = OwnFiles.secrets(configured, config.receipts());
        secrets.forEach(dev.warden.bootstrap.file.WardenSecrets::add);
        OwnFiles.numberedSecrets().forEach(dev.warden.bootstrap.file.WardenSecrets::addNumbered);
        dev.warden.bootstrap.file.WardenSecrets.addProcessMemory();
        List<Path> kept = OwnFiles.kept(configured, agentJar);
        if (!installed.verified()) {
            claimed.release();
            refuseToStart("advice does not reach its JDK targets: " + String.join("; ", installed.failures()));
            return;
        }
        if (installation.alongside()) {
            // Loads that may be targets wait for ByteBuddy meanwhile; an install that fails stops the JVM as before main.
            threads.newThread(() -> refuseUnlessInstalled(installation)).start();
        }
        long readyNanos = System.nanoTime();

        // The start is CPU-bound: what the first decision needs and main does not (the rules, the queue opened, the
        // engine assembled) starts only now, alongside the host's own start. Rules compiled before load in turns after
        // ByteBuddy's; rules compiling (seconds of Drools) do so beside the turns, which the engine's waits for them.
        threads.newThread(compiledBefore ? lane.inTurn(policy::compileFirst) : policy::compileFirst).start();
        EngineAssembly assembly = EngineAssembly.start(new EngineAssembly.Inputs(config, claimed.claim(), claimed.unavailable(),
                bundle, policy, enrichers, available, telemetry, capability, threads, clock, kept, secrets), slot, lane);
        WardenConfig started = config;
        Thread startLine = threads.newThread(() -> {
            String origin = awaitPolicy(policy, started);
            InstallReport complete = installation.installed().exceptionally(failed -> installed).join();
            assembly.await().ifPresent(assembled -> WardenLog.info(String.format(
                    "started in %d ms: mode %s, policy %s (%d files from %s, %s), receipts in %s, state %s, surfaces %s, %s"
                            + " (agent loaded %d ms, instrumentation %s, rules and receipts checked alongside in %d ms, then waited %d ms"
                            + " for them and %d ms for the JDK classes: main started after %d ms; the rest alongside it)",
                    millis(startedNanos, System.nanoTime()), started.mode().name().toLowerCase(java.util.Locale.ROOT),
                    bundle.version().substring(0, 12), bundle.files().size(), started.rules().toAbsolutePath(),
                    origin.replaceFirst("[:,].*", ""), started.receipts().toAbsolutePath(), assembled.state().describe(),
                    modules.stream().filter(InstrumentationModule::isSurface).map(InstrumentationModule::surface).toList(),
                    complete.summary(), millis(startedNanos, loadedNanos), installation.alongside()
                            ? millis(installNanos, installedNanos) + " ms before main, ByteBuddy installed alongside main in "
                            + millis(installNanos, installation.installedNanos()) + " ms (" + installation.heldLoads()
                            + " class loads waited for it, " + installation.heldNanos() / 1_000_000 + " ms in all; "
                            + installation.passedEarly() + " loaded as an earlier start found them)"
                            : millis(installNanos, installation.installedNanos()) + " ms",
                    prepared.millis(), millis(installedNanos, preparedNanos), millis(preparedNanos, checkedNanos),
                    millis(startedNanos, readyNanos))));
        });
        startLine.start();
        // At exit, after the host's own shutdown hooks and deleteOnExit (what they do is decided and recorded, the engine
        // still assembling if need be): the start is said (a host may exit before Warden was ready), then the counted
        // refusals are written before the log's final checkpoint. Beside it, the shared state gives back unused leased
        // units, then closes the connections approvals share too. Last, Warden's own telemetry is flushed.
        AfterHostHooks.register(() -> {
            Optional<EngineAssembly.Assembled> assembled = assembly.awaitAtExit();
            Thread state = threads.newThread(() -> assembled.ifPresent(done -> done.state().close()));
            try {
                if (started.state() != null) {
                    state.start();
                }
                joinStartLine(startLine, started);
                assembled.ifPresent(done -> done.recorder().close());
            } finally {
                // Each step whatever the one before it threw: a lease given back, the last telemetry sent.
                try {
                    joinIfStarted(state);
                } finally {
                    afterLogCloses.forEach(Runnable::run);
                }
            }
        }, threads);
        try {
            threads.newThread(JARS_THREAD, openingJars).start();
        } catch (RuntimeException | OutOfMemoryError noThread) {
            openingJars.skip();
            // The agent runs: a jar a clean-up removes later takes its classes, and the actions needing them are refused.
            WardenLog.warn("could not start opening the unpacked jars: " + noThread);
        }
    }

    /**
     * Stops the JVM, as a start refused before main, when ByteBuddy's install alongside the host's start failed, or is
     * not done in time ({@link Installation#awaitInstalled}).
     */
    private static void refuseUnlessInstalled(Installation installation) {
        InstallReport report;
        try {
            report = installation.awaitInstalled();
        } catch (RuntimeException failed) {
            refuseToStartOffWardensThread(notInstalled(failed));
            return;
        }
        if (!report.verified()) {
            refuseToStartOffWardensThread("advice does not reach its JDK targets: " + String.join("; ", report.failures()));
        }
    }

    /**
     * {@link #refuseToStart} from a thread of Warden's: on a thread of its own, for the exit runs {@code deleteOnExit}'s
     * deletions on the exiting thread, which must not be one whose file actions pass ungated.
     */
    private static void refuseToStartOffWardensThread(String why) {
        try {
            new Thread(() -> refuseToStart(why), "refused-start").start();
        } catch (Throwable noThread) {
            WardenLog.fatal(why + " -- refusing to start (" + noThread + "), so the application does not run unguarded");
            Runtime.getRuntime().halt(REFUSED_TO_START); // no exit at all rather than one with deleteOnExit ungated
        }
    }

    private static String notInstalled(RuntimeException failed) {
        Throwable cause = failed.getCause() != null ? failed.getCause() : failed;
        return "the instrumentation could not be installed: "
                + (cause instanceof java.util.concurrent.TimeoutException ? cause.getMessage() : cause);
    }

    private static void joinIfStarted(Thread thread) {
        try {
            thread.join(); // at once for a thread never started
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void joinStartLine(Thread startLine, WardenConfig config) {
        try {
            startLine.join(config.policyWait().toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static long millis(long fromNanos, long toNanos) {
        return (toNanos - fromNanos) / 1_000_000;
    }

    /**
     * Waits for the policy (the host's main began meanwhile), warning when it does not compile: every action is then
     * refused, naming why, and the host keeps running. Where it came from (compiled, from cache, ...).
     */
    private static String awaitPolicy(PolicyHolder policy, WardenConfig config) {
        try {
            String origin = policy.await().origin();
            if (origin.startsWith("recompiled") || origin.contains("not cached")) {
                WardenLog.warn("policy " + origin);
            }
            return origin;
        } catch (PolicyCompilationException e) {
            WardenLog.warn("rules in " + config.rules().toAbsolutePath() + " do not compile: " + e.getMessage()
                    + ": every action is refused until a version that compiles is loaded");
            return "not compiled";
        } catch (TimeoutException e) {
            WardenLog.warn("policy still compiling after " + config.policyWait().toMillis()
                    + " ms; actions wait for it and are refused if it is not ready in time");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return "not ready";
    }

    /** What the start checked beside the instrumentation: the rules (compiled before, or to compile) and the receipts. */
    private record Prepared(boolean compiledBefore, PolicyHolder policy, Claimed claimed, long millis) {
    }

    /**
     * Whether the rules compiled before (a verified cache entry): either way they compile once main is let go, and
     * nothing before main waits for them (Drools takes seconds; the first action does). Then the receipts directory is
     * claimed.
     */
    private static Prepared prepare(WardenConfig config, PolicyBundle bundle, WardenThreads threads) {
        long started = System.nanoTime();
        PolicyCompiler compiler = config.cache() == null ? new PolicyCompiler() : PolicyCompiler.cachingIn(config.cache());
        boolean compiledBefore = compiler.holdsCompiled(bundle);
        PolicyHolder policy = PolicyHolder.compiledLater(bundle, compiler, config.policyWait());
        Claimed claimed = claimReceipts(config, threads); // waits, by their own locks, for the initialisation begun beside
        return new Prepared(compiledBefore, policy, claimed, millis(started, System.nanoTime()));
    }

    /** The claimed directory of this JVM's chain, or why receipts cannot be written (then every action is refused). */
    /**
     * Beside the rest of the start, which waits for it before the host's {@code main}: what the receipts claim needs of
     * Chronicle and Bouncy Castle, and Warden's digests and generator (and the JDK-wide ones libraries use), made from
     * the JDK's own providers before the host could put one of its own first (JdkCrypto).
     */
    private static void besideTheStart() {
        ReceiptsClaim.initialise();
        try {
            dev.warden.bootstrap.JdkCrypto.settle();
            dev.warden.receipts.JdkSun.settle();
        } catch (RuntimeException | LinkageError unusable) {
            // Every later use fails the same way, and the action it serves is refused.
            WardenLog.warn("the JDK's own security providers are unusable: " + unusable);
        }
    }

    private record Claimed(ReceiptsClaim claim, Path directory, String unavailable) {
        /** Lets go of a directory this JVM will not write after all (a start refused later). */
        void release() {
            if (claim != null) {
                claim.close();
            }
        }
    }

    /**
     * Claims this JVM's chain: the receipts directory (by its real path), or with receipts-per-process its own subdirectory (the
     * configured instance, else the first of {@code <host>}, {@code <host>-2}, ... no running JVM writes). A directory
     * another process writes, or a key that does not match the log, refuses the start: writing anyway would interleave
     * two chains or sign one no key verifies. Opening the claimed queue is left to the engine's assembly.
     */
    private static Claimed claimReceipts(WardenConfig config, WardenThreads threads) {
        // Pinned where the name leads now: the log, its archive and control area stay in one directory for the JVM's
        // life, whatever a link above it is flipped to later (that directory is protected from then on, OwnFiles).
        Path receipts = KeptName.of(config.receipts()).path();
        List<Path> candidates = ChainPlacement.candidates(receipts, config.chain());
        for (int i = 0; i < candidates.size(); i++) {
            Path directory = candidates.get(i);
            try {
                ReceiptsClaim claim = ReceiptsClaim.take(ReceiptLogOptions.defaults(directory)
                        .withPrivateKey(config.key())
                        .withRotationFrom(config.chain().rotateFrom())
                        .withCheckpoints(config.checkpointEvery(), config.checkpointInterval())
                        .withSignEveryReceipt(config.signEveryReceipt())
                        .withThreadFactory(threads));
                if (config.key() == null) {
                    WardenLog.info("no signing key configured; checkpoints are signed with a generated key whose public half is "
                            + claim.publicKeyFile().toAbsolutePath());
                }
                return new Claimed(claim, directory, null);
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
                return new Claimed(null, directory, String.valueOf(e));
            }
        }
        throw new IllegalStateException("unreachable: the last candidate refuses the start");
    }

    /** Where Warden's own requests go: its OTLP export and its witnesses. */
    private static List<java.net.URI> ownEndpoints(WardenConfig config) {
        List<java.net.URI> endpoints = new ArrayList<>();
        if (config.otlpEndpoint() != null) {
            endpoints.add(config.otlpEndpoint());
        }
        if (config.witnessing() != null) {
            config.witnessing().witnesses().forEach(witness -> endpoints.add(witness.addCheckpoint()));
        }
        return endpoints;
    }

    private static void refuseToStart(String why) {
        WardenLog.fatal(why + " -- refusing to start, so the application does not run unguarded");
        System.exit(REFUSED_TO_START);
    }
}
