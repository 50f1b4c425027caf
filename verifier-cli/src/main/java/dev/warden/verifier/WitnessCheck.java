package dev.warden.verifier;

import dev.warden.receipts.Checkpoint;
import dev.warden.receipts.CompactRange;
import dev.warden.receipts.LogEntry;
import dev.warden.receipts.SignedNote;
import dev.warden.receipts.VerificationKey;
import dev.warden.receipts.WitnessKey;
import dev.warden.verifier.Problem.Kind;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * What witnesses say about the log: the cosigned checkpoints it recorded ({@code 'W'} excerpts), the
 * cosignatures the auditor requires on its newest checkpoint, and a size and root known from outside
 * that its receipts must reach. A tail cut back behind a size a witness cosigned is named: which
 * receipts are gone, and who vouched for them.
 */
final class WitnessCheck {
    private final VerificationKey logKey;
    private final WitnessRequirements requirements;
    private final List<LogEntry.StoredCosigned> cosigned = new ArrayList<>();

    WitnessCheck(VerificationKey logKey, WitnessRequirements requirements) {
        this.logKey = logKey;
        this.requirements = requirements;
    }

    void cosigned(LogEntry.StoredCosigned entry) {
        cosigned.add(entry);
    }

    /**
     * @param leaves      the recorded leaf hashes of the log, in order
     * @param checkpoints the checkpoints whose signature and root the verifier found valid
     * @param keys        the log's keys in order: the given one, then each a checked rotation handed the log to
     */
    List<Problem> check(List<byte[]> leaves, List<Checkpoint> checkpoints, List<VerificationKey> keys) {
        List<Problem> problems = new ArrayList<>();
        Map<String, Set<String>> witnessesOf = new HashMap<>(); // checkpoint body -> names of valid cosigners
        String origin = checkpoints.isEmpty() ? "log" : checkpoints.get(0).origin();
        for (LogEntry.StoredCosigned entry : cosigned) {
            String where = "cosigned checkpoint at " + entry.location();
            SignedNote note;
            Checkpoint c;
            try {
                note = SignedNote.parse(entry.note());
                c = Checkpoint.parse(note.text());
            } catch (IllegalArgumentException e) {
                problems.add(new Problem(Kind.INVALID, where, "unreadable note: " + e.getMessage()));
                continue;
            }
            where = "cosigned checkpoint " + c.size() + " (" + c.origin() + ")";
            if (!note.verifiedBy(c.origin(), logKey)) {
                problems.add(new Problem(Kind.INVALID, where, "not signed by the given public key"));
                continue;
            }
            for (WitnessKey w : requirements.witnesses()) {
                boolean claimed = note.signatures().stream().anyMatch(w::claims);
                if (w.cosigned(note).isPresent()) {
                    witnessesOf.computeIfAbsent(key(c), k -> new TreeSet<>()).add(w.name());
                } else if (claimed) {
                    problems.add(new Problem(Kind.INVALID, where, "the cosignature by witness " + w.name() + " does not verify"));
                }
            }
            if (c.size() > leaves.size()) {
                problems.add(new Problem(Kind.MISSING, "log tail (" + c.origin() + ")", range(leaves.size(), c.size() - 1)
                        + " were cut: the log signed size " + c.size() + " and recorded a cosignature of it"));
            }
        }
        if (requirements.required() > 0) {
            required(checkpoints, witnessesOf, origin).ifPresent(problems::add);
        }
        if (requirements.expected() != null) {
            problems.addAll(expected(requirements.expected().latest(keys), leaves, checkpoints, origin));
            List<Checkpoint> unknown = requirements.expected().signedByNoneOf(keys);
            if (!unknown.isEmpty()) {
                Checkpoint newest = unknown.stream().max(java.util.Comparator.comparingLong(Checkpoint::size)).orElseThrow();
                problems.add(new Problem(Kind.MISSING, "log tail (" + origin + ")", requirements.expected().source() + " holds "
                        + unknown.size() + " checkpoint(s) signed by a key this log was never handed to (the largest of size "
                        + newest.size() + "): the log was cut back before a key rotation, or the file is another log's"));
            }
        }
        return problems;
    }

    private java.util.Optional<Problem> required(List<Checkpoint> checkpoints, Map<String, Set<String>> witnessesOf, String origin) {
        int n = requirements.required();
        if (checkpoints.isEmpty()) {
            return java.util.Optional.of(new Problem(Kind.UNWITNESSED, "log", "no valid checkpoint to be cosigned by " + n + " witness(es)"));
        }
        Checkpoint newest = checkpoints.get(checkpoints.size() - 1);
        Set<String> by = witnessesOf.getOrDefault(key(newest), Set.of());
        if (by.size() >= n) {
            return java.util.Optional.empty();
        }
        long witnessed = 0;
        for (Checkpoint c : checkpoints) {
            if (witnessesOf.getOrDefault(key(c), Set.of()).size() >= n) {
                witnessed = Math.max(witnessed, c.size());
            }
        }
        return java.util.Optional.of(new Problem(Kind.UNWITNESSED, "checkpoint " + newest.size() + " (" + origin + ")",
                "cosigned by " + by.size() + " of the " + n + " witnesses required" + (by.isEmpty() ? "" : " (" + String.join(", ", by) + ")")
                        + "; the newest checkpoint with " + n + " is " + (witnessed == 0 ? "none" : "size " + witnessed)
                        + ", so " + range(witnessed, newest.size() - 1) + " are not witnessed"));
    }

    private static List<Problem> expected(ExpectedCheckpoint expected, List<byte[]> leaves, List<Checkpoint> checkpoints, String origin) {
        List<Problem> problems = new ArrayList<>();
        long reached = checkpoints.isEmpty() ? 0 : checkpoints.get(checkpoints.size() - 1).size();
        if (expected.size() > leaves.size()) {
            problems.add(new Problem(Kind.MISSING, "log tail (" + origin + ")", range(leaves.size(), expected.size() - 1)
                    + " were cut, a witness cosigned size " + expected.size() + " (" + expected.source()
                    + "); the log holds " + leaves.size() + " receipts and its checkpoints reach size " + reached));
            return problems;
        }
        CompactRange tree = new CompactRange();
        leaves.subList(0, (int) expected.size()).forEach(tree::append);
        if (!HexFormat.of().formatHex(tree.root()).equals(expected.rootHash())) {
            problems.add(new Problem(Kind.INVALID, "log history (" + origin + ")", "the root of " + range(0, expected.size() - 1)
                    + " is not the one a witness cosigned for size " + expected.size() + " (" + expected.source()
                    + "): receipts it covers were rewritten"));
        } else if (reached < expected.size()) {
            problems.add(new Problem(Kind.MISSING, "checkpoint " + expected.size() + " (" + origin + ")",
                    "a witness cosigned size " + expected.size() + " (" + expected.source() + ") but the log's valid checkpoints reach only size "
                            + reached + ": the checkpoints after it were removed"));
        }
        return problems;
    }

    private static String key(Checkpoint c) {
        return c.origin() + "\n" + c.size() + "\n" + c.rootHash();
    }

    private static String range(long from, long to) {
        return from == to ? "receipt " + from : "receipts " + from + ".." + to;
    }
}
