package dev.warden.agent.witness;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code <receipts>/witness-status}: one line per witness ({@link FeedState#line()}), replaced
 * atomically whenever a witness's state changes, for operators and health checks
 * ({@code grep -q 'state=refused\|alert=true'}). It is not evidence: the verifier never reads it.
 */
final class StatusFile {
    static final String NAME = "witness-status";

    private final Path file;
    private final Map<String, FeedState> states = new TreeMap<>();

    StatusFile(Path receiptsDirectory) {
        this.file = receiptsDirectory.resolve(NAME);
    }

    synchronized void update(FeedState state) {
        if (state.equals(states.put(state.witness(), state))) {
            return;
        }
        StringBuilder text = new StringBuilder();
        states.values().forEach(s -> text.append(s.line()).append('\n'));
        try {
            dev.warden.receipts.AtomicFile.replace(file, text.toString().getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            // the log lines still say it; a status file that cannot be written must not stop witnessing
        }
    }
}
