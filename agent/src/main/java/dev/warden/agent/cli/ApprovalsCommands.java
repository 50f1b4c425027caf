package dev.warden.agent.cli;

import dev.warden.agent.approval.ApprovalStage;
import dev.warden.agent.approval.ApprovalStore;
import dev.warden.agent.approval.ApprovalsArea;
import dev.warden.receipts.ApprovalRequest;
import dev.warden.receipts.ApprovalStatement;
import dev.warden.receipts.Ed25519Keys;
import dev.warden.receipts.KeyFormatException;
import dev.warden.receipts.PublishedRequest;
import dev.warden.receipts.SignedApproval;
import dev.warden.receipts.SigningKey;
import dev.warden.receipts.VerificationKey;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * The approvers' commands: list what waits, approve or reject one request with one's own key. They
 * work whether a host runs or not, and show and sign only requests the gate signed with its log's key, checked
 * against the public key the approver names ({@link GateSigned}). Exit 0 when done, 2 when the input is wrong (an
 * unknown request, a malformed file, a key of the wrong type or not an approver's), 3 when a request is not what the
 * gate published: then nothing was delivered.
 */
final class ApprovalsCommands {

    static final int DONE = 0;
    static final int BAD_INPUT = 2;
    static final int NOT_PUBLISHED = 3;

    private ApprovalsCommands() {
    }

    /** Where the requests are: a receipts directory, or the Redis a gate with {@code state=redis://} shares. */
    static class Where {
        @Option(names = "--receipts", paramLabel = "DIR", description = "the receipts directory of the gate that held the action")
        Path receipts;

        @Option(names = "--state", paramLabel = "redis://HOST:PORT[/DB]", description = "the Redis a gate with state=redis://... uses")
        String state;

        @Option(names = "--public-key", paramLabel = "FILE", description = "the public key of the gate's receipt log (PEM), "
                + "from its operator, not the receipts directory; once per log whose requests you decide (without it, the "
                + "receipts directory's own public-key.pem, with a warning)")
        List<Path> publicKeys = new ArrayList<>();

        /**
         * The log keys the requests must be signed with, as the approver named them. Without one, the receipts directory's
         * own public-key.pem, with a warning: it catches a request rewritten by whoever cannot also replace that file, and
         * keeps the command as the scenarios give it; only a key the approver pins holds against whoever can write there.
         */
        GateSigned gateSigned() throws IOException {
            if (publicKeys.isEmpty()) {
                if (receipts == null) {
                    throw new BadInput("name the public key of the gate's receipt log with --public-key FILE, as its operator"
                            + " gave it: requests are shown and signed only when the gate's signature checks");
                }
                Path own = receipts.resolve("public-key.pem");
                System.err.println(TerminalText.of("warning: requests are checked against " + own + ", which whoever can"
                        + " write the receipts directory can replace; name the log's key as its operator gave it with"
                        + " --public-key FILE"));
                publicKeys = List.of(own);
            }
            List<VerificationKey> keys = new ArrayList<>();
            for (Path file : publicKeys) {
                try {
                    keys.add(Ed25519Keys.readPublic(file));
                } catch (java.nio.file.NoSuchFileException e) {
                    throw new BadInput("no public key file " + file);
                } catch (KeyFormatException e) {
                    throw new BadInput(e.getMessage());
                }
            }
            return new GateSigned(keys);
        }

        ApprovalDesk open() {
            if ((receipts == null) == (state == null)) {
                throw new BadInput("name exactly one of --receipts DIR and --state redis://HOST:PORT");
            }
            if (state != null) {
                return RedisDesk.open(state);
            }
            if (!Files.isDirectory(receipts)) {
                throw new BadInput("no receipts directory " + receipts.toAbsolutePath());
            }
            return new AreaDesk(new ApprovalsArea(receipts));
        }
    }

    /** A mistake in what the approver gave: reported on one line, exit 2. */
    static final class BadInput extends RuntimeException {
        BadInput(String message) {
            super(message);
        }
    }

    /** A request that is not what the gate published: reported on one line, exit 3, nothing shown of it, nothing signed. */
    static final class NotPublished extends RuntimeException {
        NotPublished(String message) {
            super(message);
        }
    }

    @Command(name = "approvals", mixinStandardHelpOptions = true, description = "Approval requests: list what waits for approvers.",
            subcommands = {ListRequests.class})
    static final class Approvals implements Callable<Integer> {
        @Override
        public Integer call() {
            System.err.println("error: say what to do, e.g. approvals list --receipts DIR");
            return BAD_INPUT;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List approval requests: what the held action would do, who asked, for whom, until when.")
    static final class ListRequests implements Callable<Integer> {
        @picocli.CommandLine.Mixin
        Where where = new Where();

        @Option(names = "--all", description = "also requests that were approved, rejected or expired")
        boolean all;

        @Override
        public Integer call() {
            return guarded(() -> {
                GateSigned gateSigned = where.gateSigned();
                try (ApprovalDesk desk = where.open()) {
                    Instant now = Instant.now();
                    int shown = 0;
                    int refused = 0;
                    for (String id : desk.requestIds()) {
                        PublishedRequest published;
                        try {
                            published = desk.request(id);
                        } catch (IllegalArgumentException e) {
                            System.out.println(TerminalText.of(id + "  unreadable request: " + e.getMessage()));
                            refused++;
                            continue;
                        }
                        if (published == null) {
                            continue; // listed, then gone (Redis keeps the list longer than a request)
                        }
                        // What is left out is decided before the signature is checked: whoever could make a request look
                        // closed or expired could as well delete it, and a request left out is approved by nobody.
                        String closed = desk.closedStatus(id);
                        String status = closed != null ? closed : published.request().expires().isAfter(now) ? "pending" : "expired";
                        if (!all && !status.equals("pending")) {
                            continue;
                        }
                        String problem = gateSigned.problem(id, published);
                        if (problem != null) {
                            System.out.println(TerminalText.of(id + "  REFUSED, not shown: " + problem));
                            refused++;
                            continue;
                        }
                        ApprovalRequest request = published.request();
                        ApprovalStore.Delivered decisions = desk.decisions(id);
                        long approvals = decisions.readable().stream()
                                .filter(d -> d.statement().approves() && GateSigned.problem(request, d) == null).count();
                        System.out.println(TerminalText.of(id + "  " + request.tierName() + "  " + status + "  " + approvals + "/" + request.needs()
                                + " approvals  expires " + ApprovalStatement.time(request.expires())));
                        System.out.println(TerminalText.of("    would do: " + request.surface() + " " + request.operation() + " on " + request.target()
                                + "  " + describe(request.summary())));
                        System.out.println(TerminalText.of("    asked by " + request.actor() + (request.onBehalfOf() == null ? "" : " for " + request.onBehalfOf())
                                + (request.session() == null ? "" : " in session " + request.session()) + " at "
                                + ApprovalStatement.time(request.time())));
                        System.out.println(TerminalText.of("    why: " + request.reason()));
                        String obligations = request.summary().get(ApprovalStage.OBLIGATIONS);
                        if (obligations != null) {
                            System.out.println(TerminalText.of("    once approved, runs under: " + obligations));
                        }
                        System.out.println(TerminalText.of("    digest " + request.digest() + "  approvers " + String.join(", ", request.approvers().keySet())));
                        for (SignedApproval decision : decisions.readable()) {
                            String uncounted = GateSigned.problem(request, decision);
                            System.out.println(TerminalText.of("    " + (uncounted != null
                                    ? "not counted: " + decision.statement().decision() + " by " + decision.approver() + ": " + uncounted
                                    : decision.statement().decision() + " by " + decision.approver()
                                    + (decision.reason() == null ? "" : ": " + decision.reason()))));
                        }
                        for (String bad : decisions.unreadable()) {
                            System.out.println(TerminalText.of("    unreadable decision " + bad));
                        }
                        shown++;
                    }
                    if (shown == 0 && refused == 0) {
                        System.out.println(TerminalText.of(all ? "no approval requests in " + desk.describe() : "no pending approval requests in " + desk.describe()));
                    }
                    if (refused > 0) {
                        System.err.println(TerminalText.of("error: " + refused + " request(s) in " + desk.describe()
                                + " are not what the gate published under the given public key: not shown, do not approve them"));
                        return NOT_PUBLISHED;
                    }
                }
                return DONE;
            });
        }

        private static String describe(Map<String, String> summary) {
            StringBuilder text = new StringBuilder();
            summary.forEach((name, value) -> {
                if (!name.startsWith("approval.") && !name.startsWith("state.")) {
                    text.append(text.length() == 0 ? "" : ", ").append(name).append('=').append(value);
                }
            });
            return text.toString();
        }
    }

    /** approve and reject: one signed decision by the key's approver. */
    abstract static class Decide implements Callable<Integer> {
        @Parameters(paramLabel = "REQUEST-ID", description = "the request, as approvals list shows it")
        String id;

        @Option(names = "--key", required = true, paramLabel = "FILE", description = "the approver's Ed25519 private key (PEM PKCS#8)")
        Path key;

        @Option(names = "--reason", description = "a note for the record")
        String reason;

        @picocli.CommandLine.Mixin
        Where where = new Where();

        abstract String decision();

        @Override
        public Integer call() {
            return guarded(() -> {
                if (!ApprovalStatement.isRequestId(id)) {
                    throw new BadInput("'" + id + "' is not a request id (a lowercase UUID, as approvals list shows it)");
                }
                SigningKey signer;
                try {
                    signer = Ed25519Keys.readPrivate(key);
                } catch (java.nio.file.NoSuchFileException e) {
                    throw new BadInput("no key file " + key);
                } catch (KeyFormatException e) {
                    throw new BadInput(e.getMessage());
                }
                GateSigned gateSigned = where.gateSigned();
                try (ApprovalDesk desk = where.open()) {
                    PublishedRequest published;
                    try {
                        published = desk.request(id);
                    } catch (IllegalArgumentException e) {
                        throw new BadInput("request " + id + " in " + desk.describe() + " is unreadable: " + e.getMessage());
                    }
                    if (published == null) {
                        throw new BadInput("no request " + id + " in " + desk.describe());
                    }
                    String problem = gateSigned.problem(id, published);
                    if (problem != null) {
                        throw new NotPublished(problem + "; nothing was signed");
                    }
                    ApprovalRequest request = published.request();
                    String closed = desk.closedStatus(id);
                    if (closed != null) {
                        throw new BadInput("request " + id + " is closed already (" + closed + ")");
                    }
                    if (!request.expires().isAfter(Instant.now())) {
                        throw new BadInput("request " + id + " expired at " + ApprovalStatement.time(request.expires()));
                    }
                    String approver = approverOf(signer, request);
                    SignedApproval decided = SignedApproval.sign(request.statement(decision()), approver, signer, reason);
                    if (!desk.deliver(decided)) {
                        throw new BadInput("approver " + approver + " already decided on request " + id);
                    }
                    System.out.println(TerminalText.of(decision() + "d request " + id + " as " + approver + ": " + request.surface() + " "
                            + request.operation() + " on " + request.target() + " (digest " + request.digest() + ", until "
                            + ApprovalStatement.time(request.expires()) + ")"));
                }
                return DONE;
            });
        }

        private static String approverOf(SigningKey signer, ApprovalRequest request) {
            String mine = Base64.getEncoder().encodeToString(signer.publicKey().raw());
            for (Map.Entry<String, String> approver : request.approvers().entrySet()) {
                if (approver.getValue().equals(mine)) {
                    return approver.getKey();
                }
            }
            throw new BadInput("the key in " + "the given file is not one of the approvers of request " + request.id()
                    + " (" + String.join(", ", request.approvers().keySet()) + ")");
        }
    }

    @Command(name = "approve", mixinStandardHelpOptions = true, description = "Approve one request with your key: a signature over its id, action digest, decision and expiry.")
    static final class Approve extends Decide {
        @Override
        String decision() {
            return ApprovalStatement.APPROVE;
        }
    }

    @Command(name = "reject", mixinStandardHelpOptions = true, description = "Reject one request with your key: the held action will not run under it.")
    static final class Reject extends Decide {
        @Override
        String decision() {
            return ApprovalStatement.REJECT;
        }
    }

    interface Body {
        int run() throws IOException;
    }

    /** Runs a command, turning wrong input into one line on stderr and exit 2. */
    static int guarded(Body body) {
        try {
            return body.run();
        } catch (BadInput e) {
            System.err.println(TerminalText.of("error: " + e.getMessage()));
            return BAD_INPUT;
        } catch (NotPublished e) {
            System.err.println(TerminalText.of("error: " + e.getMessage()));
            return NOT_PUBLISHED;
        } catch (FileAlreadyExistsException e) {
            System.err.println(TerminalText.of("error: already decided: " + e.getFile()));
            return BAD_INPUT;
        } catch (IOException | RuntimeException e) {
            System.err.println(TerminalText.of("error: " + (e.getMessage() != null ? e.getMessage() : e.toString())));
            return BAD_INPUT;
        }
    }

    /** The receipts directory's approvals area. */
    static final class AreaDesk implements ApprovalDesk {
        private final ApprovalsArea area;

        AreaDesk(ApprovalsArea area) {
            this.area = area;
        }

        @Override
        public List<String> requestIds() throws IOException {
            return area.requestIds();
        }

        @Override
        public PublishedRequest request(String id) throws IOException {
            return area.readRequest(id);
        }

        @Override
        public String closedStatus(String id) throws IOException {
            return area.closedStatus(id);
        }

        @Override
        public ApprovalStore.Delivered decisions(String id) {
            return area.readDecisions(id);
        }

        @Override
        public boolean deliver(SignedApproval approval) throws IOException {
            try {
                area.deliver(approval);
                return true;
            } catch (FileAlreadyExistsException e) {
                return false;
            }
        }

        @Override
        public String describe() {
            return area.root().toString();
        }
    }
}
