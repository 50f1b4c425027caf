package dev.warden.agent.explain;

import java.util.List;

/**
 * Where a rule is written in a policy bundle: its file and lines, as the security team wrote them
 * (for a rule compiled from YAML, the role, limit or chain it came from).
 *
 * @param firstLine the 1-based line of {@code lines}' first element
 */
public record RuleSource(String file, int firstLine, List<String> lines) {

    public RuleSource {
        lines = List.copyOf(lines);
    }

    /** {@code file:12}, then each line numbered. */
    public String render(String indent) {
        StringBuilder out = new StringBuilder(indent).append(file).append(':').append(firstLine).append('\n');
        for (int i = 0; i < lines.size(); i++) {
            out.append(indent).append(String.format("%5d | ", firstLine + i)).append(lines.get(i)).append('\n');
        }
        return out.toString();
    }
}
