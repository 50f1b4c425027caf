package dev.warden.agent.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * Validated configuration; built by {@link ConfigLoader}.
 *
 * @param state    the shared state store, or null for state in this process
 * @param stateSnapshotInterval how often the snapshot of the in-process state is brought forward while the host runs
 *                              (zero: only at a start's first decision)
 * @param holdWait how long a held call waits for its approvals (zero: not at all)
 * @param clock    a file holding Warden's current time (tests), or null for the system clock
 * @param receiptsMinFree the free-space watermark of the receipts directory
 * @param refusalWindow   identical refusals within it form a burst; zero: no bursts
 * @param siem            the SIEM stream
 * @param chain           per-process chains and key rotation
 * @param otlpEndpoint    where Warden exports OTLP itself, or null: no export of its own
 * @param otlpInterval    how often it exports
 * @param rulesWatch      whether a change to the rules directory is reloaded without a restart
 * @param cache           where compiled policies are kept across starts, or null to compile at every start
 * @param installGate     for tests only: ByteBuddy installed alongside main waits until a class main loads waits for it
 * @param config          the YAML file these keys were partly read from ({@code config=}), or null: what the next start
 *                        is configured by, so Warden's own ({@link dev.warden.agent.engine.OwnFiles})
 * @param parentKept      in a java child carrying Warden: what its parents' Warden keeps as its own, which this one keeps
 *                        too (its receipts are theirs to keep intact); empty elsewhere
 * @param parentSecrets   in such a child: its parents' keys, which this one lets nothing read either
 */
public record WardenConfig(Path rules, Path receipts, Mode mode, Path key, String actor, Set<String> surfaces,
                           Duration policyWait, int checkpointEvery, Duration checkpointInterval,
                           boolean signEveryReceipt, boolean reuseRulings, LogLevel log, boolean childAgent,
                           boolean fileReads, StateLocation state, Duration stateTimeout, Duration stateSnapshotInterval,
                           WitnessingConfig witnessing,
                           Duration holdWait, Path clock, MinimumFreeSpace receiptsMinFree, Duration refusalWindow,
                           SiemConfig siem, ChainConfig chain, java.net.URI otlpEndpoint, Duration otlpInterval,
                           boolean rulesWatch, Path cache, boolean installGate, Path config, List<Path> parentKept,
                           List<Path> parentSecrets) {

    public enum LogLevel { INFO, WARN, OFF }

    public WardenConfig {
        surfaces = Set.copyOf(surfaces);
        parentKept = List.copyOf(parentKept);
        parentSecrets = List.copyOf(parentSecrets);
    }

    /** The same configuration writing to {@code directory}: the chain this JVM took under receipts-per-process. */
    public WardenConfig withReceipts(Path directory) {
        return new WardenConfig(rules, directory, mode, key, actor, surfaces, policyWait, checkpointEvery, checkpointInterval,
                signEveryReceipt, reuseRulings, log, childAgent, fileReads, state, stateTimeout, stateSnapshotInterval, witnessing,
                holdWait, clock,
                receiptsMinFree, refusalWindow, siem, chain, otlpEndpoint, otlpInterval, rulesWatch, cache, installGate, config,
                parentKept, parentSecrets);
    }

    /**
     * Where the receipt logs of java children carrying Warden go ({@code child-agent}): beside the receipts directory,
     * one directory per child, theirs to write and this JVM's to keep.
     */
    public Path childReceipts() {
        return Path.of(receipts.toAbsolutePath().normalize() + ".children");
    }

    public boolean gates(String surface) {
        return surfaces.contains("all") || surfaces.contains(surface);
    }
}
