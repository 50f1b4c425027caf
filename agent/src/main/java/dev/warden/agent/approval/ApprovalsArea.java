package dev.warden.agent.approval;

import dev.warden.receipts.ApprovalRequest;
import dev.warden.receipts.ApprovalStatement;
import dev.warden.receipts.PublishedRequest;
import dev.warden.receipts.SignedApproval;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The approvals area of a receipts directory, shared by the gate and the approvers' CLI:
 * <pre>
 * approvals/requests/ID.json             published by the gate when it holds an action
 * approvals/decisions/ID/APPROVER.json   written by the approvers' CLI, once per approver and request
 * approvals/closed/ID                    written by the gate when it used or refused a request's decisions
 * </pre>
 * Files appear whole (written aside, then linked or renamed into place), and a decision is never
 * replaced: an approver decides once.
 */
public final class ApprovalsArea {

    private static final int MAX_FILE = 1 << 20;

    private final Path root;

    public ApprovalsArea(Path receiptsDirectory) {
        this.root = receiptsDirectory.resolve("approvals");
    }

    public Path root() {
        return root;
    }

    public Path request(String id) {
        return root.resolve("requests").resolve(checked(id) + ".json");
    }

    public Path decisions(String id) {
        return root.resolve("decisions").resolve(checked(id));
    }

    public Path closed(String id) {
        return root.resolve("closed").resolve(checked(id));
    }

    public void publish(PublishedRequest request) throws IOException {
        replace(request(request.request().id()), request.toJson());
    }

    /**
     * Reads a published request as the file says, its signature unchecked; null when there is none.
     *
     * @throws IllegalArgumentException when it is unreadable
     */
    public PublishedRequest readRequest(String id) throws IOException {
        Path file = request(id);
        if (!Files.isRegularFile(file)) {
            return null;
        }
        return PublishedRequest.parse(read(file));
    }

    /** Every published request id, in name order. */
    public List<String> requestIds() throws IOException {
        List<String> ids = new ArrayList<>();
        Path requests = root.resolve("requests");
        if (!Files.isDirectory(requests)) {
            return ids;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(requests, "*.json")) {
            for (Path file : files) {
                String name = file.getFileName().toString();
                String id = name.substring(0, name.length() - ".json".length());
                if (ApprovalStatement.isRequestId(id)) {
                    ids.add(id);
                }
            }
        }
        ids.sort(null);
        return ids;
    }

    /**
     * Delivers an approver's decision.
     *
     * @throws FileAlreadyExistsException when this approver already decided on this request
     */
    public Path deliver(SignedApproval approval) throws IOException {
        Path directory = decisions(approval.statement().request());
        Files.createDirectories(directory);
        Path target = directory.resolve(approval.approver() + ".json");
        Path temp = Files.createTempFile(directory, ".deliver-", ".tmp");
        try {
            Files.write(temp, approval.toJson());
            Files.createLink(target, temp); // fails when the target exists: a decision is never replaced
        } catch (UnsupportedOperationException noLinks) {
            if (Files.exists(target)) {
                throw new FileAlreadyExistsException(target.toString());
            }
            Files.move(temp, target);
        } finally {
            Files.deleteIfExists(temp);
        }
        return target;
    }

    /** The decisions delivered for a request: parsed, or a line saying why a file is not a decision. */
    public ApprovalStore.Delivered readDecisions(String id) {
        Path directory = decisions(id);
        if (!Files.isDirectory(directory)) {
            return ApprovalStore.Delivered.NONE;
        }
        List<SignedApproval> readable = new ArrayList<>();
        List<String> unreadable = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(directory, "*.json")) {
            for (Path file : files) {
                String name = file.getFileName().toString();
                String stem = name.substring(0, name.length() - ".json".length());
                try {
                    SignedApproval approval = SignedApproval.parse(read(file));
                    if (!approval.approver().equals(stem)) {
                        unreadable.add(name + ": names approver " + approval.approver());
                    } else {
                        readable.add(approval);
                    }
                } catch (IllegalArgumentException | IOException e) {
                    unreadable.add(name + ": " + e.getMessage());
                }
            }
        } catch (IOException e) {
            unreadable.add("decisions of " + id + " cannot be listed: " + e.getMessage());
        }
        readable.sort(java.util.Comparator.comparing(SignedApproval::approver));
        return new ApprovalStore.Delivered(readable, unreadable);
    }

    public void markClosed(String id, String status) throws IOException {
        replace(closed(id), status.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    }

    /** The status the gate closed a request with, or null while it is open. */
    public String closedStatus(String id) throws IOException {
        Path file = closed(id);
        return Files.isRegularFile(file) ? new String(read(file), java.nio.charset.StandardCharsets.US_ASCII).trim() : null;
    }

    /**
     * Whoever can write the area can put a FIFO or a link to {@code /dev/zero} where a decision goes: read whole, one
     * held the gate's deciding thread (and {@code approvals list}) for good, the other filled its memory (an eighth review,
     * 2026-12-07). Only a regular file of at most {@link #MAX_FILE} bytes is read; anything else is an unreadable decision.
     */
    private static byte[] read(Path file) throws IOException {
        return dev.warden.receipts.BoundedFiles.read(file, MAX_FILE);
    }

    private static String checked(String id) {
        if (!ApprovalStatement.isRequestId(id)) {
            throw new IllegalArgumentException("'" + id + "' is not a request id (a lowercase UUID)");
        }
        return id;
    }

    private static void replace(Path target, byte[] content) throws IOException {
        dev.warden.receipts.AtomicFile.replace(target, content);
    }
}
