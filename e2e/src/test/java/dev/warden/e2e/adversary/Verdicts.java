package dev.warden.e2e.adversary;

import dev.warden.receipts.Receipt;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/** The assertions every adversarial test class makes, worded so that a failure names the technique. */
final class Verdicts {

    private static final Pattern RECEIPT = Pattern.compile("\\(receipt ([0-9a-f-]+)\\)");

    private Verdicts() {
    }

    /** The side channels saw nothing of {@code technique}. */
    static void nothingArrived(AdversaryRun run, String technique) throws Exception {
        List<String> evidence = run.evidence(technique);
        assertThat(evidence)
                .as("technique %s got through under %s: %s%n  the host said: %s", technique, run.policy(), evidence,
                        run.find(technique).orElse("(nothing)"))
                .isEmpty();
    }

    /** The host ran to the end and reported every technique (a crash or hang would hide the rest). */
    static void hostRanEveryTechnique(AdversaryRun run, List<String> techniques) {
        assertThat(run.launch().exitCode()).as(run.launch().toString()).isZero();
        assertThat(run.launch().lines()).as(run.launch().toString()).contains("DONE");
        for (String technique : techniques) {
            assertThat(run.line(technique)).as("technique %s under %s", technique, run.policy()).doesNotStartWith("HUNG");
        }
    }

    /** Every refusal the host reported names a receipt, and that receipt exists and records a refusal. */
    static void everyRefusalHasAReceipt(AdversaryRun run) {
        Map<String, Receipt> byId = run.receipts().stream().collect(Collectors.toMap(Receipt::id, receipt -> receipt));
        List<String> problems = new ArrayList<>();
        for (String line : run.techniqueLines()) {
            if (line.contains("DENIED") && line.contains("no receipt written")) {
                problems.add("refused without a receipt: " + line);
            }
            Matcher receipt = RECEIPT.matcher(line);
            while (receipt.find()) {
                Receipt recorded = byId.get(receipt.group(1));
                if (recorded == null) {
                    problems.add("names receipt " + receipt.group(1) + " that is not in the log: " + line);
                } else if (recorded.outcome().equals("PERMIT")) {
                    problems.add("names receipt " + receipt.group(1) + " that records a PERMIT: " + line);
                }
            }
        }
        assertThat(problems).as("under %s", run.policy()).isEmpty();
    }

    /** The auditors' verifier accepts the log, and no forbidden request arrived that no technique accounts for. */
    static void theLogVerifiesAndNoStrayTrafficArrived(AdversaryRun run) {
        assertThat(run.launch().verifierExitCode()).as(run.launch().verifierOutput()).isZero();
        assertThat(run.unattributedArrivals()).as("forbidden requests no technique accounts for, under %s", run.policy()).isEmpty();
    }

    /**
     * Every PERMIT in the log is one the policy grants: none under deny-all; under least-privilege a
     * SELECT on notes, a GET under /api/ to the API's 127.0.0.1:port, or the tool lookup_note.
     */
    static void permitsStayWithinThePolicy(AdversaryRun run) {
        List<String> outside = new ArrayList<>();
        for (Receipt receipt : run.receipts()) {
            if (receipt.outcome().equals("PERMIT") && !(run.policy() == Policy.LEAST_PRIVILEGE && leastPrivilegeGrants(run, receipt))) {
                outside.add(describe(receipt));
            }
        }
        assertThat(outside).as("permits outside the %s policy", run.policy()).isEmpty();
    }

    private static boolean leastPrivilegeGrants(AdversaryRun run, Receipt receipt) {
        Map<String, String> summary = receipt.summary();
        switch (receipt.surface()) {
            case "jdbc":
                return receipt.operation().equals("SELECT") && receipt.target().equals("notes");
            case "http":
                return receipt.operation().equals("GET") && receipt.target().equals("127.0.0.1")
                        && String.valueOf(run.api().port()).equals(summary.get("url.port"))
                        && summary.getOrDefault("url.path", "").startsWith("/api/");
            case "tool":
                return receipt.operation().equals("lookup_note");
            case "model":
                return receipt.target().equals("permitted-model")
                        && "dev.warden.e2e.host.adversary.VettedChatModel".equals(summary.get("model.provider"));
            default:
                return false;
        }
    }

    /** Counts of the receipts by outcome, for messages. */
    static Map<String, Long> outcomes(List<Receipt> receipts) {
        return receipts.stream().collect(Collectors.groupingBy(Receipt::outcome, TreeMap::new, Collectors.counting()));
    }

    static String describe(Receipt receipt) {
        return receipt.surface() + " " + receipt.operation() + " " + receipt.target() + " " + receipt.outcome() + " "
                + receipt.summary();
    }

    /** The receipts of {@code surface} whose target is {@code target}. */
    static List<Receipt> receiptsFor(AdversaryRun run, String surface, String target) {
        return run.receipts().stream().filter(r -> r.surface().equals(surface) && target.equals(r.target())).toList();
    }
}
