package dev.warden.agent.replay;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What a replay found: the changes by kind (counted in full, with the first few as examples), the
 * receipts it did not re-decide and why, and what the receipts could not show the candidate.
 */
public final class ReplayReport {

    private final int examples;
    private final Map<ReplayChange.Kind, Long> counts = new EnumMap<>(ReplayChange.Kind.class);
    private final Map<ReplayChange.Kind, List<ReplayChange>> shown = new EnumMap<>(ReplayChange.Kind.class);
    private final Map<String, Long> skipped = new TreeMap<>();
    private final Map<String, List<String>> unseen = new TreeMap<>();
    private final Set<String> recordedVersions = new TreeSet<>();
    private long replayed;
    private long truncated;
    private long heldAgain;
    private String candidate = "";

    ReplayReport(int examples) {
        this.examples = examples;
    }

    void candidate(String version) {
        candidate = version;
    }

    void replayed(String policyVersion) {
        replayed++;
        if (policyVersion != null) {
            recordedVersions.add(policyVersion);
        }
    }

    void changed(ReplayChange change) {
        counts.merge(change.kind(), 1L, Long::sum);
        List<ReplayChange> some = shown.computeIfAbsent(change.kind(), kind -> new ArrayList<>());
        if (some.size() < examples) {
            some.add(change);
        }
    }

    void skipped(String why) {
        skipped.merge(why, 1L, Long::sum);
    }

    void recordTruncated() {
        truncated++;
    }

    void recordHeldAgain() {
        heldAgain++;
    }

    /** What receipts of {@code surface} do not keep, once per surface replayed. */
    void unseen(String surface, List<String> phrases) {
        unseen.putIfAbsent(surface, List.copyOf(phrases));
    }

    public String candidate() {
        return candidate;
    }

    /** Decisions re-decided, changed or not. */
    public long replayed() {
        return replayed;
    }

    public long changed() {
        return counts.values().stream().mapToLong(Long::longValue).sum();
    }

    public long count(ReplayChange.Kind kind) {
        return counts.getOrDefault(kind, 0L);
    }

    /** The first changes of {@code kind}, in the log's order. */
    public List<ReplayChange> examples(ReplayChange.Kind kind) {
        return List.copyOf(shown.getOrDefault(kind, List.of()));
    }

    /** Receipts not re-decided, by why. */
    public Map<String, Long> skipped() {
        return new LinkedHashMap<>(skipped);
    }

    /** Per surface replayed, what its receipts do not keep. */
    public Map<String, List<String>> unseen() {
        return new LinkedHashMap<>(unseen);
    }

    /** The policy versions that made the recorded decisions. */
    public Set<String> recordedVersions() {
        return Set.copyOf(recordedVersions);
    }

    /** Replayed decisions with a fact the receipt kept only in part (longer than a summary value may be). */
    public long truncated() {
        return truncated;
    }

    /** Recorded permits that rested on approvals and that the candidate holds: approvals are not replayed. */
    public long heldAgain() {
        return heldAgain;
    }

    /** Whether a recorded refusal would become a permit. */
    public boolean widens() {
        return count(ReplayChange.Kind.WIDENED) > 0;
    }
}
