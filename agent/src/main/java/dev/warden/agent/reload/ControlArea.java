package dev.warden.agent.reload;

import dev.warden.receipts.AtomicFile;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The control area of a receipts directory: how the operator's {@code reload} and {@code rollback}
 * reach the agent that writes those receipts.
 * <pre>
 * control/requests/ID.request   written by the CLI: one line, "reload" or "rollback VERSION"
 * control/results/ID.result     written by the agent once it acted: one line (see PolicyChange.line)
 * </pre>
 * A directory rather than a port: the CLI finds the agent by the receipts directory the operator
 * already names for approvals, nothing listens on the network, and the file system's permissions on
 * the receipts directory say who may ask. Files appear whole (written aside, then renamed).
 */
public final class ControlArea {

    /** A request as the agent reads it. */
    public record Request(String id, String command, String argument) {
    }

    private static final long MAX_REQUEST = 1024;

    private final Path requests;
    private final Path results;

    public ControlArea(Path receiptsDirectory) {
        Path root = receiptsDirectory.resolve("control");
        this.requests = root.resolve("requests");
        this.results = root.resolve("results");
    }

    /** Writes a request; returns its id. */
    public String ask(String command, String argument) throws IOException {
        String id = UUID.randomUUID().toString();
        Files.createDirectories(requests);
        AtomicFile.replace(requests.resolve(id + ".request"),
                (command + (argument == null ? "" : " " + argument) + "\n").getBytes(StandardCharsets.UTF_8));
        return id;
    }

    /** The result of request {@code id}, or null while there is none. */
    public String result(String id) throws IOException {
        Path file = results.resolve(checked(id) + ".result");
        return Files.isRegularFile(file) ? Files.readString(file, StandardCharsets.UTF_8).trim() : null;
    }

    /** Withdraws a request no agent answered (so a later agent does not act on a stale one). */
    public void withdraw(String id) throws IOException {
        Files.deleteIfExists(requests.resolve(checked(id) + ".request"));
    }

    /** The requests waiting, oldest first; malformed ones are answered as such and removed. */
    public List<Request> pending() throws IOException {
        List<Request> pending = new ArrayList<>();
        if (!Files.isDirectory(requests)) {
            return pending;
        }
        List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> listed = Files.newDirectoryStream(requests, "*.request")) {
            listed.forEach(files::add);
        }
        files.sort((a, b) -> {
            try {
                return Files.getLastModifiedTime(a).compareTo(Files.getLastModifiedTime(b));
            } catch (IOException e) {
                return 0;
            }
        });
        for (Path file : files) {
            String name = file.getFileName().toString();
            String id = name.substring(0, name.length() - ".request".length());
            if (!isId(id)) {
                Files.deleteIfExists(file);
                continue;
            }
            String[] words = Files.size(file) > MAX_REQUEST ? new String[0]
                    : Files.readString(file, StandardCharsets.UTF_8).trim().split("\\s+");
            if (words.length == 1 && words[0].equals("reload")) {
                pending.add(new Request(id, "reload", null));
            } else if (words.length == 2 && words[0].equals("rollback")) {
                pending.add(new Request(id, "rollback", words[1]));
            } else {
                answer(id, "error: not a request (reload, or rollback VERSION)");
            }
        }
        return pending;
    }

    /** Answers request {@code id} and removes it. */
    public void answer(String id, String line) throws IOException {
        Files.createDirectories(results);
        AtomicFile.replace(results.resolve(checked(id) + ".result"), (line + "\n").getBytes(StandardCharsets.UTF_8));
        Files.deleteIfExists(requests.resolve(id + ".request"));
    }

    private static boolean isId(String id) {
        return id.matches("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
    }

    private static String checked(String id) {
        if (!isId(id)) {
            throw new IllegalArgumentException("not a control request id: " + id);
        }
        return id;
    }
}
