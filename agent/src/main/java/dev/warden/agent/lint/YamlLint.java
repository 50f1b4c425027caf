package dev.warden.agent.lint;

import dev.warden.instrumentation.api.FactModel;
import dev.warden.rules.PolicyFile;
import dev.warden.rules.RoleDefinitions;
import dev.warden.rules.approvals.Tiers;
import dev.warden.rules.roles.RolePolicy;
import dev.warden.rules.roles.Scope;
import dev.warden.rules.state.Chain;
import dev.warden.rules.state.Limit;
import dev.warden.rules.state.ScopeList;
import dev.warden.rules.state.StatePolicy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Lints the YAML policy files: each must parse; a role, budget, limit, loop or chain belongs to one
 * file; every scope must name a surface that exists and, where the surface's operations are known, an
 * operation it has; a label a scope requires must be one some rule attaches; an allow over every
 * target, and a role no actor holds, are worth a second look.
 */
final class YamlLint {

    private final FactVocabulary vocabulary;
    private final Set<String> attachedLabels;

    YamlLint(FactVocabulary vocabulary, Set<String> attachedLabels) {
        this.vocabulary = vocabulary;
        this.attachedLabels = attachedLabels;
    }

    /** @return the files that parse, by path */
    Map<String, PolicyFile> lint(Map<String, byte[]> files, List<Finding> findings) {
        Map<String, PolicyFile> parsed = new TreeMap<>();
        Map<String, Lines> lines = new TreeMap<>();
        files.forEach((path, content) -> {
            lines.put(path, new Lines(new String(content, StandardCharsets.UTF_8)));
            try {
                parsed.put(path, PolicyFile.parse(content));
            } catch (IllegalArgumentException e) {
                findings.add(Finding.error(path, 0, e.getMessage()));
            }
        });
        RoleDefinitions.duplicates(parsed).forEach((role, paths) -> {
            for (String path : paths) {
                List<String> others = new ArrayList<>(paths);
                others.remove(path);
                findings.add(Finding.error(path, lines.get(path).find("role: " + role, 1), "role '" + role + "' is also defined in "
                        + String.join(", ", others) + ": a role belongs to one file (the agent refuses to start with both)"));
            }
        });
        stateNamesDefinedTwice(parsed, lines, findings);
        parsed.forEach((path, file) -> {
            Lines text = lines.get(path);
            if (file.roles() != null) {
                roles(path, text, file.roles(), findings);
            }
            state(path, text, file.state(), findings);
            tiers(path, text, file.approvals().tiers(), findings);
        });
        approvalsOfUndefinedTiers(parsed, lines, findings);
        return parsed;
    }

    private void tiers(String path, Lines text, Tiers tiers, List<Finding> findings) {
        int section = text.find("tiers:", 1);
        new TreeMap<>(tiers.scopes()).forEach((tier, scopes) -> {
            int line = text.find("T" + tier, section);
            for (Scope scope : scopes.scopes()) {
                scope(path, text.find(scope.pattern(), line), "tier T" + tier + " holds", scope, false, findings);
            }
        });
    }

    /** An {@code approvals:} tier no {@code tiers:} entry of any file defines: only a DRL rule's setTier gives an action that tier. */
    private static void approvalsOfUndefinedTiers(Map<String, PolicyFile> files, Map<String, Lines> lines, List<Finding> findings) {
        Set<Integer> defined = new TreeSet<>();
        files.values().forEach(file -> defined.addAll(file.approvals().tiers().scopes().keySet()));
        files.forEach((path, file) -> {
            Lines text = lines.get(path);
            int section = text.find("approvals:", 1);
            for (Integer tier : new TreeSet<>(file.approvals().byTier().keySet())) {
                if (!defined.contains(tier)) {
                    findings.add(Finding.warning(path, text.find("T" + tier, section), "approvals for T" + tier
                            + ": no tiers: entry defines T" + tier + ", so no scope gives an action that tier (only a DRL rule's setTier("
                            + tier + ") does): check the tier's name"));
                }
            }
        });
    }

    private static void stateNamesDefinedTwice(Map<String, PolicyFile> files, Map<String, Lines> lines, List<Finding> findings) {
        Map<String, List<String>> where = new LinkedHashMap<>();
        files.forEach((path, file) -> {
            StatePolicy state = file.state();
            List<String> names = new ArrayList<>();
            state.budgets().forEach(budget -> names.add("budget " + budget.name()));
            state.limits().forEach(limit -> names.add("limit " + limit.name()));
            state.loops().forEach(loop -> names.add("loop " + loop.name()));
            state.chains().forEach(chain -> names.add("chain " + chain.name()));
            names.forEach(name -> where.computeIfAbsent(name.substring(name.indexOf(' ') + 1), ignored -> new ArrayList<>()).add(path + "\n" + name));
        });
        where.forEach((name, places) -> {
            if (places.size() > 1) {
                for (String place : places) {
                    String path = place.substring(0, place.indexOf('\n'));
                    String what = place.substring(place.indexOf('\n') + 1);
                    List<String> others = places.stream().filter(other -> !other.equals(place))
                            .map(other -> other.replace('\n', ' ')).toList();
                    findings.add(Finding.error(path, lines.get(path).find("name: " + name, 1), what + " is also defined as "
                            + String.join(", ", others) + ": each name belongs to one definition"));
                }
            }
        });
    }

    private void roles(String path, Lines text, RolePolicy policy, List<Finding> findings) {
        for (RolePolicy.Role role : policy.roles()) {
            int line = text.find("role: " + role.name(), 1);
            if (policy.holders(role.name()).isEmpty()) {
                findings.add(Finding.warning(path, line, "role '" + role.name() + "' is held by no actor: it neither permits nor denies"));
            }
            for (Scope scope : role.allow()) {
                scope(path, text.find(scope.pattern(), line), "role '" + role.name() + "' allows", scope, true, findings);
            }
            for (Scope scope : role.deny()) {
                scope(path, text.find(scope.pattern(), line), "role '" + role.name() + "' denies", scope, false, findings);
            }
        }
    }

    private void state(String path, Lines text, StatePolicy state, List<Finding> findings) {
        for (Limit limit : state.limits()) {
            scopes(path, text, "limit '" + limit.name() + "' counts", limit.name(), limit.scopes(), findings);
        }
        for (Chain chain : state.chains()) {
            scopes(path, text, "chain '" + chain.name() + "' denies", chain.name(), chain.deny(), findings);
            for (String label : chain.afterLabels()) {
                if (!attachedLabels.contains(label)) {
                    findings.add(Finding.warning(path, text.find("label:" + label, text.find("name: " + chain.name(), 1)),
                            "chain '" + chain.name() + "' follows label '" + label + "', which no rule attaches"
                                    + Suggestions.hint(label, attachedLabels) + ": the chain never applies"));
                }
            }
        }
    }

    private void scopes(String path, Lines text, String what, String name, ScopeList scopes, List<Finding> findings) {
        int line = text.find("name: " + name, 1);
        for (Scope scope : scopes.scopes()) {
            scope(path, text.find(scope.pattern(), line), what, scope, false, findings);
        }
    }

    /** One scope: {@code surface:target:operation[:label...]}, or {@code tool:name-parts...}. */
    private void scope(String path, int line, String what, Scope scope, boolean allows, List<Finding> findings) {
        List<String> segments = scope.segments();
        String surface = segments.get(0);
        String quoted = what + " '" + scope.pattern() + "'";
        FactModel facts = vocabulary.surfaces().get(surface);
        if (facts == null) {
            findings.add(Finding.error(path, line, quoted + ": unknown surface '" + surface + "'"
                    + Suggestions.hint(surface, vocabulary.surfaces().keySet()) + "; the surfaces are "
                    + String.join(", ", vocabulary.surfaces().keySet())));
            return;
        }
        String cased = scope.tableWithUnquotedUpperCase();
        if (cased != null) {
            findings.add(Finding.error(path, line, quoted + ": '" + cased + "' is read in lower case ("
                    + cased.toLowerCase(Locale.ROOT) + "), never as a table whose name has upper-case letters, which Warden lists with"
                    + " its quotes: write \"" + cased + "\" for that table (each part of a qualified name in its own quotes), or "
                    + cased.toLowerCase(Locale.ROOT)));
        }
        boolean everyTarget = wildcard(segments.get(1));
        if (allows && !everyTarget && (surface.equals("http") || surface.equals("net")) && local(segments.get(1))) {
            findings.add(Finding.warning(path, line, quoted + ": a scope names no port, so this allows every service on "
                    + segments.get(1) + " (an admin port beside the one meant too); pin the port with a DRL rule on "
                    + (surface.equals("http") ? "url.port" : "net.port") + " instead"));
        }
        if (allows && everyTarget) {
            findings.add(Finding.warning(path, line, quoted + ": every " + surface + " target is permitted"
                    + (surface.equals("tool") ? " (every tool)" : "") + "; name the targets the role needs"));
        }
        if (surface.equals("tool") || segments.get(1).equals("**")) {
            return; // a tool's path is its name's parts: no operation or labels to tell apart
        }
        if (segments.size() == 2) {
            findings.add(Finding.error(path, line, quoted + ": never matches: a " + surface + " scope is " + surface
                    + ":TARGET:OPERATION (write " + scope.pattern() + ":* for every operation)"));
            return;
        }
        String operation = segments.get(2);
        if (!wildcard(operation)) {
            operation(path, line, quoted, surface, facts, operation, findings);
        }
        if (operation.equals("**")) {
            return;
        }
        for (String label : segments.subList(3, segments.size())) {
            if (!attachedLabels.contains(label)) {
                findings.add(Finding.warning(path, line, quoted + " requires the label '" + label + "', which no rule attaches"
                        + Suggestions.hint(label, attachedLabels) + ": the scope never matches"));
            }
        }
    }

    private static void operation(String path, int line, String quoted, String surface, FactModel facts, String operation,
                                  List<Finding> findings) {
        Set<String> lowered = new TreeSet<>();
        facts.operations().forEach(known -> lowered.add(known.toLowerCase(Locale.ROOT)));
        if (lowered.contains(operation)) {
            return;
        }
        if (facts.anyOperation()) {
            if (Suggestions.closest(operation, lowered).isPresent()) {
                findings.add(Finding.warning(path, line, quoted + ": '" + operation + "' is not a " + surface + " operation Warden knows"
                        + Suggestions.hint(operation, lowered)));
            }
            return;
        }
        findings.add(Finding.error(path, line, quoted + ": " + surface + " has no operation '" + operation + "'"
                + Suggestions.hint(operation, lowered) + "; its operations: " + String.join(", ", lowered)
                + ": the scope never matches"));
    }

    /** A loopback, private or link-local host, where several services of one machine or network listen. */
    private static boolean local(String host) {
        return host.equals("localhost") || host.endsWith(".localhost") || host.equals("0.0.0.0")
                || host.matches("127\\.\\d+\\.\\d+\\.\\d+|10\\.\\d+\\.\\d+\\.\\d+|192\\.168\\.\\d+\\.\\d+|169\\.254\\.\\d+\\.\\d+"
                        + "|172\\.(1[6-9]|2\\d|3[01])\\.\\d+\\.\\d+");
    }

    private static boolean wildcard(String segment) {
        return segment.equals("*") || segment.equals("**");
    }

    /** The lines of a file, to point at where a name or scope is written. */
    private static final class Lines {
        private final String[] lines;

        Lines(String text) {
            this.lines = text.split("\n", -1);
        }

        /** The first line at or after {@code from} (1-based) containing {@code needle} outside a comment; else {@code from}, or 0. */
        int find(String needle, int from) {
            for (int i = Math.max(1, from); i <= lines.length; i++) {
                String line = lines[i - 1];
                int comment = line.indexOf('#');
                String code = comment < 0 ? line : line.substring(0, comment);
                if (code.contains(needle) || code.replace("\"", "").replace("'", "").contains(needle)) {
                    return i;
                }
            }
            return from > 1 ? from : 0;
        }
    }
}
