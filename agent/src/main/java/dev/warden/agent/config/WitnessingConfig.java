package dev.warden.agent.config;

import dev.warden.agent.witness.UnwitnessedBound;
import dev.warden.agent.witness.WitnessEndpoint;

import java.nio.file.Path;
import java.util.List;

/**
 * Where checkpoints go besides the log: the witnesses that cosign them ({@code witnesses=}), a copy in
 * a file outside the receipts directory ({@code checkpoint-export=}), and when a lagging witness is
 * alerted on ({@code witness-alert-receipts=}, {@code witness-alert-after=}).
 *
 * @param list   the {@code witnesses=} file they were read from, null when not configured: what the next start trusts
 *               to cosign, so Warden's own ({@link dev.warden.agent.engine.OwnFiles})
 * @param export null when not configured
 */
public record WitnessingConfig(Path list, List<WitnessEndpoint> witnesses, Path export, UnwitnessedBound alertBound) {
    public WitnessingConfig {
        witnesses = List.copyOf(witnesses);
    }
}
