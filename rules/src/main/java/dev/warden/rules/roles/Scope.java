package dev.warden.rules.roles;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.regex.Pattern;

/**
 * One scope of a role policy: {@code surface:segment:...[:label...]}, matched against the scope
 * paths of an action (see {@link Scopes#pathsOf}). Segments compare ignoring case, except what is
 * written in double quotes, which compares exactly ({@code jdbc:public."Invoice":delete}: a table
 * is listed with its quotes when its name has upper-case letters); {@code *} matches exactly one
 * segment, {@code **} the rest of the path. Segments past the end of the action's path are labels the
 * action must carry ({@code tool:email:send:external}). A pattern shorter than the path does not
 * match: {@code tool:crm} grants nothing on {@code tool:crm:read}, {@code tool:crm:*} does.
 *
 * <p>Two ways to match. {@link #matches} is an allow's: the path exactly as the action gives it.
 * {@link #reaches} is what a deny, tier, limit or chain asks, against every name the action goes by
 * ({@link Scopes#namesOf}); there a table compares however either side is qualified or cased
 * ({@code jdbc:public.pay:delete} reaches a {@code DELETE FROM pay}), since the same table may be
 * named either way.
 *
 * <p>Tool names are split into segments at {@code _ . - /}, in the action's path and in patterns
 * alike, so {@code tool:email_send} and {@code tool:email:send} are the same scope.
 */
public record Scope(String pattern, List<String> segments) {

    private static final Pattern SEGMENT = Pattern.compile("\\*\\*|\\*|[a-z0-9_.\\-/@]+");
    /** A table: names, plain or in double quotes ({@code ""} for a quote inside), joined by dots. */
    private static final Pattern TABLE = Pattern.compile("(?:[a-z0-9_\\-/@]+|\"(?:[^\"]|\"\")+\")(?:\\.(?:[a-z0-9_\\-/@]*|\"(?:[^\"]|\"\")+\"))*");

    public Scope {
        segments = List.copyOf(segments);
    }

    /** Parses and checks a scope; the message of the exception says what is wrong with it. */
    public static Scope parse(String pattern) {
        if (pattern == null || pattern.isBlank()) {
            throw new IllegalArgumentException("a scope must not be empty");
        }
        String trimmed = pattern.trim();
        List<String> raw = split(trimmed);
        if (raw == null) {
            throw new IllegalArgumentException("scope '" + trimmed + "' opens a double quote it does not close");
        }
        if (raw.size() < 2) {
            throw new IllegalArgumentException("scope '" + trimmed + "' needs a surface and at least one segment, e.g. tool:crm:read");
        }
        List<String> segments = new ArrayList<>();
        boolean tool = raw.get(0).equalsIgnoreCase("tool");
        boolean jdbc = raw.get(0).equalsIgnoreCase("jdbc");
        boolean afterRest = false;
        for (int i = 0; i < raw.size(); i++) {
            String segment = Scopes.fold(raw.get(i));
            boolean table = jdbc && i == 1 && !segment.contains("*");
            if (segment.indexOf('"') >= 0 && !table) {
                throw new IllegalArgumentException("scope '" + trimmed + "': only a jdbc table is written in quotes ('" + raw.get(i) + "')");
            }
            if (!(table ? TABLE : SEGMENT).matcher(segment).matches()) {
                throw new IllegalArgumentException("scope '" + trimmed + "' has an empty or invalid segment '" + raw.get(i) + "'");
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

    /**
     * Why this scope can match no action at all, or null: every path but a tool's is
     * {@code surface:target:operation}, so {@code jdbc:invoices} (no operation) never matches. An allow
     * that never matches permits nothing; a deny, tier, limit or chain that never matches protects
     * nothing, so those refuse to load with it.
     */
    public String neverMatches() {
        if (segments.get(0).equals("tool") || segments.get(1).equals("**") || segments.size() >= 3) {
            return null;
        }
        return "never matches: a " + segments.get(0) + " scope is " + segments.get(0) + ":TARGET:OPERATION (write "
                + pattern + ":* for every operation)";
    }

    /**
     * The target as written when it is a jdbc table with upper-case letters outside quotes
     * ({@code rv_Invoice}), else null: it is read in lower case, so it names {@code rv_invoice}, never the
     * table Warden lists as {@code "rv_Invoice"}.
     */
    public String tableWithUnquotedUpperCase() {
        if (!segments.get(0).equals("jdbc")) {
            return null;
        }
        String written = split(pattern).get(1);
        boolean quoted = false;
        for (int i = 0; i < written.length(); i++) {
            char c = written.charAt(i);
            if (c == '"') {
                quoted = !quoted;
            } else if (!quoted && Character.isUpperCase(c)) {
                return written;
            }
        }
        return null;
    }

    /** Whether this scope covers the action path {@code path}, exactly as given, of an action carrying {@code labels}: an allow's match. */
    public boolean matches(List<String> path, Collection<String> labels) {
        return matches(path, labels, false);
    }

    /**
     * Whether this scope covers {@code path}, one of the names the action goes by ({@link Scopes#namesOf}),
     * reading a table's name as loosely as any database may: a deny's, tier's, limit's or chain's match.
     */
    public boolean reaches(List<String> path, Collection<String> labels) {
        return matches(path, labels, true);
    }

    private boolean matches(List<String> path, Collection<String> labels, boolean loosely) {
        int i = 0;
        int j = 0;
        while (i < segments.size() && j < path.size()) {
            String segment = segments.get(i);
            if (segment.equals("**")) {
                j = path.size();
                i++;
                break;
            }
            if (!segment.equals("*") && !segment.equals(path.get(j))
                    && !(loosely && j == 1 && path.get(0).equals("jdbc") && Scopes.maySameTable(segment, path.get(j)))) {
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

    /** The pattern split at each {@code :} outside double quotes; null when a quote is left open. */
    private static List<String> split(String pattern) {
        List<String> parts = new ArrayList<>();
        StringBuilder part = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < pattern.length(); i++) {
            char c = pattern.charAt(i);
            if (c == '"') {
                quoted = !quoted;
            }
            if (c == ':' && !quoted) {
                parts.add(part.toString());
                part.setLength(0);
            } else {
                part.append(c);
            }
        }
        if (quoted) {
            return null;
        }
        parts.add(part.toString());
        return parts;
    }

    @Override
    public String toString() {
        return pattern;
    }
}
