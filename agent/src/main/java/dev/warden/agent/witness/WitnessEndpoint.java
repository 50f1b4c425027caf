package dev.warden.agent.witness;

import dev.warden.receipts.WitnessKey;

import java.net.URI;

/**
 * One witness the log sends its checkpoints to: the submission prefix of its tlog-witness API (it
 * receives {@code POST <prefix>/add-checkpoint}) and the key its cosignatures must verify under.
 */
public record WitnessEndpoint(URI prefix, WitnessKey key) {

    public URI addCheckpoint() {
        String base = prefix.toString();
        return URI.create((base.endsWith("/") ? base : base + "/") + "add-checkpoint");
    }

    public String name() {
        return key.name();
    }
}
