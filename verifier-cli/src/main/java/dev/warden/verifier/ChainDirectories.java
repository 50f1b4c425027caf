package dev.warden.verifier;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * The chains a directory holds: itself when it holds a receipts queue, else each subdirectory that does
 * (one chain per writer, as {@code receipts-per-process} lays them out), in name order.
 */
public final class ChainDirectories {
    private static final String QUEUE = "queue";

    private ChainDirectories() {
    }

    /** The subdirectories of a directory that holds a queue of its own which hold chains too (none in what a writer makes). */
    public static List<Path> chainsBeside(Path directory) throws IOException {
        if (!Files.isDirectory(directory.resolve(QUEUE))) {
            return List.of();
        }
        try (Stream<Path> children = Files.list(directory)) {
            return children.filter(child -> Files.isDirectory(child.resolve(QUEUE))).sorted().toList();
        }
    }

    /** The chains under {@code directory}; {@code [directory]} when it is one chain or holds none (then verifying it says so). */
    public static List<Path> of(Path directory) throws IOException {
        if (Files.isDirectory(directory.resolve(QUEUE)) || !Files.isDirectory(directory)) {
            return List.of(directory);
        }
        try (Stream<Path> children = Files.list(directory)) {
            List<Path> chains = children.filter(child -> Files.isDirectory(child.resolve(QUEUE))).sorted().toList();
            return chains.isEmpty() ? List.of(directory) : chains;
        }
    }
}
