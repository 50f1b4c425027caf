package dev.warden.agent.cli;

import dev.warden.agent.explain.RuleSource;
import dev.warden.agent.explain.RuleSources;
import dev.warden.receipts.LogEntry;
import dev.warden.receipts.MalformedReceiptException;
import dev.warden.receipts.PolicyArchive;
import dev.warden.receipts.Receipt;
import dev.warden.receipts.ReceiptDraft;
import dev.warden.receipts.ReceiptReader;
import dev.warden.rules.PolicyBundle;
import dev.warden.rules.PolicyFile;
import dev.warden.rules.roles.RoleGrants;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

import static dev.warden.agent.engine.WardenEngine.SHADOW_OUTCOME;
import static dev.warden.agent.engine.WardenEngine.SHADOW_RULES;

/**
 * {@code explain RECEIPT-ID --receipts DIR}: why a decision was what it was — the outcome, the rules that
 * decided with their source from the archived policy version, the facts and context the decision saw,
 * the obligations, the rules in shadow that spoke (with their source), and for a SILENCE what would have
 * permitted it. Exit 0, or 2 when there is no such receipt. It explains; {@code warden-verify} is what
 * judges whether the receipts can be trusted.
 */
@Command(name = "explain", mixinStandardHelpOptions = true, description = {"Explain one decision from its receipt and the archived policy version that made it."})
final class ExplainCommand implements java.util.concurrent.Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "RECEIPT-ID", description = "the receipt (action) id, or its sequence number")
    String id;

    @Option(names = "--receipts", required = true, paramLabel = "DIR", description = "the receipts directory")
    Path receipts;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Receipt receipt = find();
        if (receipt == null) {
            err.println(TerminalText.of("error: no receipt " + id + " in " + receipts));
            return 2;
        }
        ReceiptDraft r = receipt.draft();
        out.println(TerminalText.of("receipt   " + r.id() + "  (#" + receipt.sequence() + ", " + r.time() + ")"));
        out.println(TerminalText.of("action    " + r.surface() + " " + r.operation() + " " + r.target()));
        out.println(TerminalText.of("by        " + r.actor() + (r.onBehalfOf() == null ? "" : " for " + r.onBehalfOf())
                + (r.session() == null ? "" : " in session " + r.session())));
        out.println(TerminalText.of("outcome   " + r.outcome() + (r.enforced() ? "" : " (shadow: recorded, not enforced)")));
        out.println(TerminalText.of("reason    " + r.reason()));

        Map<String, String> facts = new TreeMap<>();
        Map<String, String> context = new TreeMap<>();
        r.summary().forEach((key, value) -> (key.startsWith("state.") ? context : facts).put(key, value));
        out.println("facts (as recorded: redacted)");
        facts.forEach((key, value) -> out.println(TerminalText.of("  " + key + " = " + value)));
        out.println(TerminalText.of("context   " + (context.isEmpty() ? "none: no state rule or context fact took part" : "")));
        context.forEach((key, value) -> out.println(TerminalText.of("  " + key + " = " + value)));
        out.println(TerminalText.of("obligations " + (r.obligations().isEmpty() ? "none" : "")));
        r.obligations().forEach((key, value) -> out.println(TerminalText.of("  " + key + " = " + value)));

        Optional<PolicyBundle> policy = archived(r.policyVersion(), out);
        out.println(TerminalText.of("rules     " + (r.rules().isEmpty() ? "none decided it" : "")));
        sources(r.rules(), policy, out);
        String shadow = r.summary().get(SHADOW_RULES);
        if (shadow != null && !shadow.isEmpty()) {
            // Rules in shadow spoke too: what they would have made of it, and where they are written.
            out.println(TerminalText.of("shadow    " + r.summary().get(SHADOW_OUTCOME) + " had these rules enforced (recorded, not enforced)"));
            sources(Arrays.asList(shadow.split("; ")), policy, out);
        }
        if (r.outcome().equals("SILENCE")) {
            silence(r, policy, out);
        }
        out.flush();
        return 0;
    }

    /** Each rule by name, with its source lines in the archived policy. */
    private static void sources(List<String> rules, Optional<PolicyBundle> policy, PrintWriter out) {
        for (String rule : rules) {
            out.println(TerminalText.of("  " + rule));
            if (rule.startsWith("warden.")) {
                out.println("    built into Warden: its own failure or observation, not a rule of the policy");
                continue;
            }
            Optional<RuleSource> source = policy.flatMap(bundle -> new RuleSources(bundle).of(rule));
            out.print(source.map(s -> s.render("    ")).orElse(policy.isPresent() ? "    (not found in the archived policy)\n" : ""));
        }
    }

    /** What would have permitted a refusal no rule produced: the actor's roles, and the scope none of them allows. */
    private static void silence(ReceiptDraft r, Optional<PolicyBundle> policy, PrintWriter out) {
        out.println("to permit it");
        if (policy.isEmpty()) {
            out.println("  (the policy version is not archived: roles unknown)");
            return;
        }
        List<dev.warden.rules.roles.RolePolicy> roles = new ArrayList<>();
        policy.get().files().forEach((path, content) -> {
            if (!path.endsWith(".drl")) {
                try {
                    PolicyFile file = PolicyFile.parse(content);
                    if (file.roles() != null) {
                        roles.add(file.roles());
                    }
                } catch (IllegalArgumentException unparseable) {
                    // a policy that decided something parsed; a damaged archive is the verifier's to report
                }
            }
        });
        RoleGrants grants = RoleGrants.of(roles);
        Set<String> held = grants.rolesOf(r.actor());
        out.println(TerminalText.of("  roles of " + r.actor() + ": " + (held.isEmpty() ? "none" : String.join(", ", held))));
        if (r.onBehalfOf() != null) {
            Set<String> user = grants.rolesOf(r.onBehalfOf());
            out.println(TerminalText.of("  roles of " + r.onBehalfOf() + " (acted for): " + (user.isEmpty() ? "none" : String.join(", ", user))));
        }
        Set<String> targets = new LinkedHashSet<>();
        // Receipts keep the primary target; a statement's tables are in its summary.
        String tables = r.summary().get("sql.tables");
        if (tables != null && !tables.isBlank()) {
            targets.addAll(Arrays.asList(tables.split(",")));
        }
        String labels = r.summary().get("labels");
        String missing = grants.silence(r.surface(), r.operation(), r.target(), targets, r.actor(), r.onBehalfOf(),
                labels == null ? Set.of() : new LinkedHashSet<>(Arrays.asList(labels.split(","))));
        out.println(TerminalText.of("  missing: " + (missing == null ? "the roles cover the scope; a label it requires, or a rule, was missing" : missing)));
        out.println(TerminalText.of("  add the scope to the allow list of a role " + r.actor() + " holds, or write a rule that permits it"));
    }

    private Optional<PolicyBundle> archived(String version, PrintWriter out) throws IOException {
        if (version == null) {
            out.println("policy    none named");
            return Optional.empty();
        }
        Optional<byte[]> bytes = new PolicyArchive(receipts).read(version);
        if (bytes.isEmpty()) {
            out.println(TerminalText.of("policy    " + version + " (not archived in " + receipts + ")"));
            return Optional.empty();
        }
        try {
            PolicyBundle bundle = PolicyBundle.decode(bytes.get());
            if (!bundle.version().equals(version)) {
                out.println(TerminalText.of("policy    " + version + " (the archived bundle hashes to " + bundle.version() + ": sources not shown; run warden-verify)"));
                return Optional.empty();
            }
            out.println(TerminalText.of("policy    " + version + " (" + String.join(", ", bundle.files().keySet()) + ")"));
            return Optional.of(bundle);
        } catch (IllegalArgumentException e) {
            out.println(TerminalText.of("policy    " + version + " (archived bundle unreadable: " + e.getMessage() + ")"));
            return Optional.empty();
        }
    }

    private Receipt find() throws IOException {
        try (ReceiptReader reader = ReceiptReader.open(receipts)) {
            for (LogEntry entry = reader.next(); entry != null; entry = reader.next()) {
                if (entry instanceof LogEntry.StoredReceipt stored) {
                    try {
                        Receipt receipt = stored.parse();
                        if (receipt.id().equals(id) || id.chars().allMatch(Character::isDigit) && String.valueOf(receipt.sequence()).equals(id)) {
                            return receipt;
                        }
                    } catch (MalformedReceiptException unreadable) {
                        // skipped: warden-verify reports it
                    }
                }
            }
        }
        return null;
    }
}
