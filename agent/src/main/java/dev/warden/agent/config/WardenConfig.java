package dev.warden.agent.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;

/**
 * Validated configuration; built by {@link ConfigLoader}.
 *
 * @param state    the shared state store, or null for state in this process
 * @param holdWait how long a held call waits for its approvals (zero: not at all)
 * @param clock    a file holding Warden's current time (tests), or null for the system clock
 * @param receiptsMinFree the free-space watermark of the receipts directory
 * @param refusalWindow   identical refusals within it form a burst; zero: no bursts
 * @param cache           where compiled policies are kept across starts, or null to compile at every start
 */
public record WardenConfig(Path rules, Path receipts, Mode mode, Path key, String actor, Set<String> surfaces,
                           Duration policyWait, int checkpointEvery, Duration checkpointInterval,
                           boolean signEveryReceipt, boolean reuseRulings, LogLevel log, boolean childAgent,
                           boolean fileReads, StateLocation state, Duration stateTimeout, WitnessingConfig witnessing,
                           Duration holdWait, Path clock, MinimumFreeSpace receiptsMinFree, Duration refusalWindow,
                           Path cache) {

    public enum LogLevel { INFO, WARN, OFF }

    public WardenConfig {
        surfaces = Set.copyOf(surfaces);
    }

    public boolean gates(String surface) {
        return surfaces.contains("all") || surfaces.contains(surface);
    }
}
