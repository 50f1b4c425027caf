package dev.warden.verifier;

import java.util.List;

/**
 * The verdict on a receipts directory.
 *
 * @param receipts           receipt excerpts found
 * @param validReceipts      receipts that are intact, correctly chained and covered by a valid signed checkpoint
 * @param checkpoints        checkpoint excerpts found
 * @param validCheckpoints   checkpoints whose signature verifies under the given key and whose root matches
 * @param checkpointedSize   receipts covered by the largest valid checkpoint
 * @param policyVersions     distinct policy versions the receipts name
 * @param problems           one entry per problem, in the order found
 */
public record VerificationReport(long receipts, long validReceipts, long checkpoints, long validCheckpoints,
                                 long checkpointedSize, int policyVersions, List<Problem> problems) {
    public VerificationReport {
        problems = List.copyOf(problems);
    }

    /** Exit code 0 only for this: every receipt valid and nothing else wrong. */
    public boolean allValid() {
        return problems.isEmpty() && validReceipts == receipts && receipts > 0;
    }

    public String summary() {
        return validReceipts + "/" + receipts + " receipts valid, " + validCheckpoints + "/" + checkpoints
                + " checkpoints valid, " + checkpointedSize + " receipts checkpointed, " + policyVersions
                + " policy versions, " + problems.size() + (problems.size() == 1 ? " problem" : " problems");
    }
}
