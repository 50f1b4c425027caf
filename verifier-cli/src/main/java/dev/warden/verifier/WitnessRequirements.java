package dev.warden.verifier;

import dev.warden.receipts.WitnessKey;

import java.util.List;

/**
 * What the auditor asks of a log beyond its own signatures: cosignatures by {@code required} of the
 * given witnesses on its newest checkpoint, and, if {@code expected} is set, that it reaches a size and
 * root known from outside.
 *
 * @param expected nullable
 */
public record WitnessRequirements(List<WitnessKey> witnesses, int required, ExpectedCheckpoint expected) {
    public static final WitnessRequirements NONE = new WitnessRequirements(List.of(), 0, null);

    public WitnessRequirements {
        witnesses = List.copyOf(witnesses);
        if (required < 0 || required > witnesses.size()) {
            throw new IllegalArgumentException("--witnesses-required " + required + " needs at least as many --witness-key ("
                    + witnesses.size() + " given)");
        }
        if (witnesses.stream().map(WitnessKey::name).distinct().count() != witnesses.size()) {
            throw new IllegalArgumentException("two witness keys share a name");
        }
    }
}
