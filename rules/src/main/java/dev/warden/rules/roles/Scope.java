package dev.warden.rules.roles;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * One scope of a role policy: {@code surface:segment:...[:label...]}, matched against the scope
 * paths of an action (see {@link Scopes#pathsOf}). Segments compare case-insensitively; {@code *}
 * matches exactly one segment, {@code **} the rest of the path. Segments past the end of the
 * action's path are labels the action must carry ({@code tool:email:send:external}). A pattern
 * shorter than the path does not match: {@code tool:crm} grants nothing on {@code tool:crm:read},
 * {@code tool:crm:*} does.
 *
 * <p>Tool names are split into segments at {@code _ . - /}, in the action's path and in patterns
 * alike, so {@code tool:email_send} and {@code tool:email:send} are the same scope.
 */
public record Scope(String pattern, List<String> segments) {

    private static final Pattern SEGMENT = Pattern.compile("\\*\\*|\\*|[A-Za-z0-9_.\\-/@]+");

    public Scope {
        segments = List.copyOf(segments);
    }

    /** Parses and checks a scope; the message of the exception says what is wrong with it. */
    public static Scope parse(String pattern) {
        if (pattern == null || pattern.isBlank()) {
            throw new IllegalArgumentException("a scope must not be empty");
        }
        String trimmed = pattern.trim();
        String[] raw = trimmed.split(":", -1);
        if (raw.length < 2) {
            throw new IllegalArgumentException("scope '" + trimmed + "' needs a surface and at least one segment, e.g. tool:crm:read");
        }
        List<String> segments = new ArrayList<>();
        boolean tool = raw[0].equalsIgnoreCase("tool");
        boolean afterRest = false;
        for (int i = 0; i < raw.length; i++) {
            String segment = raw[i].toLowerCase(Locale.ROOT);
            if (!SEGMENT.matcher(segment).matches()) {
                throw new IllegalArgumentException("scope '" + trimmed + "' has an empty or invalid segment '" + raw[i] + "'");
            }
            if (i == 0 && segment.contains("*")) {
                throw new IllegalArgumentException("scope '" + trimmed + "' must name its surface (no wildcard there)");
            }
            if (afterRest && segment.contains("*")) {
                throw new IllegalArgumentException("scope '" + trimmed + "': only labels may follow '**'");
            }
            afterRest |= segment.equals("**");
            if (tool && i > 0 && !segment.contains("*")) {
                for (String part : Scopes.splitToolName(segment)) {
                    segments.add(part);
                }
            } else {
                segments.add(segment);
            }
        }
        return new Scope(trimmed, segments);
    }

    /** Whether this scope covers the action path {@code path} of an action carrying {@code labels}. */
    public boolean matches(List<String> path, Collection<String> labels) {
        int i = 0;
        int j = 0;
        while (i < segments.size() && j < path.size()) {
            String segment = segments.get(i);
            if (segment.equals("**")) {
                j = path.size();
                i++;
                break;
            }
            if (!segment.equals("*") && !segment.equals(path.get(j))) {
                return false;
            }
            i++;
            j++;
        }
        if (j < path.size()) {
            return false;
        }
        for (; i < segments.size(); i++) {
            String label = segments.get(i);
            if (label.contains("*") || !labels.contains(label)) {
                return false;
            }
        }
        return true;
    }

    @Override
    public String toString() {
        return pattern;
    }
}
