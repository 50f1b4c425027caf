package dev.warden.agent.config;

import dev.warden.receipts.ReceiptLogOptions;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Which directory this JVM's chain goes to, in order of preference. Without receipts-per-process: the receipts
 * directory itself. With it: {@code <receipts>/<instance>} when an instance is configured; else {@code <receipts>/<host>},
 * then {@code <host>-2} ... {@code <host>-16}, so that a restart of a host's only JVM continues its chain, and a
 * second JVM on the host takes the next chain no running JVM writes (the writer's lock says which are taken).
 */
public final class ChainPlacement {
    static final int MAX_CHAINS_PER_HOST = 16;

    private ChainPlacement() {
    }

    public static List<Path> candidates(Path receipts, ChainConfig chain) {
        if (!chain.perProcess()) {
            return List.of(receipts);
        }
        if (chain.instance() != null) {
            return List.of(receipts.resolve(chain.instance()));
        }
        String host = ReceiptLogOptions.hostName().replaceAll("[^A-Za-z0-9._-]", "_");
        if (host.isEmpty() || host.startsWith(".")) {
            host = "host" + host; // never "." or "..": a name, not a way out of the receipts directory
        }
        List<Path> candidates = new ArrayList<>();
        candidates.add(receipts.resolve(host));
        for (int n = 2; n <= MAX_CHAINS_PER_HOST; n++) {
            candidates.add(receipts.resolve(host + "-" + n));
        }
        return candidates;
    }
}
