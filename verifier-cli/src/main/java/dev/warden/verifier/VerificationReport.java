package dev.warden.verifier;

import java.util.List;

/**
 * The verdict on a receipts directory.
 *
 * @param receipts           receipt excerpts found (in the chain)
 * @param validReceipts      receipts that are intact, correctly chained and covered by a valid signed checkpoint
 * @param checkpoints        checkpoint excerpts found
 * @param validCheckpoints   checkpoints whose signature verifies under the given key and whose root matches
 * @param checkpointedSize   receipts covered by the largest valid checkpoint
 * @param policyVersions     distinct policy versions the receipts name
 * @param recoveredReceipts  valid receipts a restarted writer recovered (reported RECOVERED)
 * @param problems           one entry per problem (and per recovered range), in the order found
 * @param notes              what the auditor must see though it is no problem: every key rotation (to a key the
 *                           auditor accepted) with the new key's fingerprint, receipt times going backwards after one
 * @param reached            of the checkpoints known from outside given to check against (a directory of chains),
 *                           those whose size this log reaches with that root
 * @param chain              the chain id its receipts carry (the first's), or null when it holds none: a directory of
 *                           chains holds each chain once
 */
public record VerificationReport(long receipts, long validReceipts, long checkpoints, long validCheckpoints,
                                 long checkpointedSize, int policyVersions, long recoveredReceipts, List<Problem> problems,
                                 List<String> notes, List<ExpectedCheckpoint> reached, String chain) {
    /** Exit code: every receipt valid, nothing wrong, nothing recovered. */
    public static final int VALID = 0;
    /** Exit code: anything invalid, missing, truncated, rejected or unsigned. */
    public static final int INVALID = 1;
    /** Exit code: every receipt valid, but some were recovered after a crash (see docs/RECEIPTS.md for why this is not 0). */
    public static final int RECOVERED = 3;

    public VerificationReport {
        problems = List.copyOf(problems);
        notes = List.copyOf(notes);
        reached = List.copyOf(reached);
    }

    /** Exit code 0 only for this: every receipt valid and nothing else to report. */
    public boolean allValid() {
        return problems.isEmpty() && validReceipts == receipts && receipts > 0;
    }

    /** {@link #VALID}, {@link #RECOVERED} when recovered ranges are the only thing reported, else {@link #INVALID}. */
    public int exitCode() {
        if (allValid()) {
            return VALID;
        }
        boolean onlyRecovered = problems.stream().allMatch(p -> p.kind() == Problem.Kind.RECOVERED);
        return onlyRecovered && validReceipts == receipts && receipts > 0 ? RECOVERED : INVALID;
    }

    /** This report with one more problem. */
    public VerificationReport with(Problem problem) {
        List<Problem> more = new java.util.ArrayList<>(problems);
        more.add(problem);
        return new VerificationReport(receipts, validReceipts, checkpoints, validCheckpoints, checkpointedSize, policyVersions,
                recoveredReceipts, more, notes, reached, chain);
    }

    public String summary() {
        long count = problems.stream().filter(p -> p.kind() != Problem.Kind.RECOVERED).count();
        return validReceipts + "/" + receipts + " receipts valid, " + validCheckpoints + "/" + checkpoints
                + " checkpoints valid, " + checkpointedSize + " receipts checkpointed, " + policyVersions
                + " policy versions, " + (recoveredReceipts > 0 ? recoveredReceipts + " recovered after a crash, " : "")
                + count + (count == 1 ? " problem" : " problems");
    }
}
