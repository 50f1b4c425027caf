package dev.warden.agent.lint;

import dev.warden.agent.lint.DrlSource.Span;
import dev.warden.instrumentation.api.FactModel;
import dev.warden.rules.roles.Scope;
import dev.warden.rules.roles.Scopes;
import org.drools.drl.ast.descr.PackageDescr;
import org.drools.drl.ast.descr.RuleDescr;
import org.drools.drl.parser.DrlParser;
import org.drools.drl.parser.DroolsParserException;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Lints the rules of one DRL file against the fact vocabulary: the surfaces, operations, attributes and
 * context facts each {@code Action(...)} pattern compares against must exist, and a permit should
 * restrict what it permits. Only what can be told from the text is judged: a constraint the linter
 * cannot read (a surface chosen by a function) is left to the compiler and to policy tests.
 */
final class DrlLint {

    /** The fact type every rule matches. */
    private static final String ACTION = "Action";
    private static final Pattern LITERAL = Pattern.compile("\"((?:[^\"\\\\]|\\\\.)*)\"");
    private static final Pattern TARGET_RESTRICTION = Pattern.compile("\\b(target|targets|targetsWithin|targetsUnder|getTarget|getTargets)\\b");
    private static final Pattern PERMIT = Pattern.compile("\\bverdict\\s*\\.\\s*permit\\s*\\(");
    private static final Pattern ACTOR_RESTRICTION = Pattern.compile("\\b(actor|onBehalfOf|getActor|getOnBehalfOf)\\b");
    private static final Pattern HAS_LABEL = Pattern.compile("(?<![\\w$])hasLabel\\s*\\(\\s*\"([^\"]*)\"\\s*\\)");
    /** {@code label("pii")}: attaching a label, in a consequence. */
    static final Pattern ATTACHES_LABEL = Pattern.compile("(?<![\\w$])label\\s*\\(\\s*\"([^\"]*)\"\\s*\\)");

    private final FactVocabulary vocabulary;
    private final Set<String> attachedLabels;
    private final List<Scope> roleScopes;
    private final Pattern attributeCall;
    private final Pattern stateCall;

    DrlLint(FactVocabulary vocabulary, Set<String> attachedLabels) {
        this(vocabulary, attachedLabels, List.of());
    }

    /** @param roleScopes every scope the bundle's YAML roles allow or deny */
    DrlLint(FactVocabulary vocabulary, Set<String> attachedLabels, List<Scope> roleScopes) {
        this.vocabulary = vocabulary;
        this.attachedLabels = attachedLabels;
        this.roleScopes = List.copyOf(roleScopes);
        this.attributeCall = helperCall(vocabulary.attributeHelpers());
        this.stateCall = helperCall(vocabulary.stateHelpers());
    }

    private static Pattern helperCall(Set<String> helpers) {
        String names = helpers.stream().map(Pattern::quote).collect(Collectors.joining("|"));
        return Pattern.compile("(?<![\\w$])(" + (names.isEmpty() ? "(?!)" : names) + ")\\s*\\(\\s*\"([^\"]*)\"");
    }

    /** The comparisons of one property ({@code surface}, {@code operation}) with literals, anywhere in a pattern. */
    private static Pattern comparisons(String property) {
        return Pattern.compile("\\b" + property + "\\s*(?:==|!=)\\s*\"([^\"]*)\"|\\b" + property + "\\s+(?:not\\s+)?in\\s*\\(([^)]*)\\)");
    }

    private static final Pattern SURFACE_COMPARISONS = comparisons("surface");
    private static final Pattern OPERATION_COMPARISONS = comparisons("operation");
    private static final Pattern SURFACE_IS = Pattern.compile("surface\\s*==\\s*\"([^\"]*)\"|surface\\s+in\\s*\\(([^)]*)\\)");
    private static final Pattern OPERATION_IS = Pattern.compile("operation\\s*==\\s*\"([^\"]*)\"|operation\\s+in\\s*\\(([^)]*)\\)");

    /** Labels attached anywhere in {@code drl} by {@code label("...")}. */
    static Set<String> attachedLabels(String drl) {
        Set<String> labels = new TreeSet<>();
        Matcher matcher = ATTACHES_LABEL.matcher(new DrlSource(drl).text());
        while (matcher.find()) {
            labels.add(matcher.group(1));
        }
        return labels;
    }

    /** One pattern over {@code Action}: where it is, and the surfaces it is limited to (null when it is not, or not legibly). */
    private record ActionPattern(Span span, Set<String> surfaces, List<String> constraints) {
    }

    void lint(String path, String drl, List<Finding> findings) {
        PackageDescr parsed;
        DrlParser parser = new DrlParser();
        try {
            parsed = parser.parse(false, drl);
        } catch (DroolsParserException | RuntimeException e) {
            return; // the compiler reports syntax errors, with their lines
        }
        if (parser.hasErrors() || parsed == null) {
            return;
        }
        DrlSource source = new DrlSource(drl);
        for (RuleDescr rule : parsed.getRules()) {
            if (rule.getLine() > 0) {
                lintRule(path, rule, source, findings);
            }
        }
    }

    private void lintRule(String path, RuleDescr rule, DrlSource source, List<Finding> findings) {
        Span whole = source.lines(rule.getLine(), rule.getEndLine() > 0 ? rule.getEndLine() : Integer.MAX_VALUE);
        int then = source.keyword("then", whole);
        Span conditions = new Span(whole.start(), then < 0 ? whole.end() : then);
        Span consequence = new Span(then < 0 ? whole.end() : then, whole.end());
        String name = "rule \"" + rule.getName() + "\"";

        List<ActionPattern> patterns = new ArrayList<>();
        for (Span span : source.patterns(ACTION, conditions)) {
            patterns.add(pattern(path, name, span, source, findings));
        }
        Set<String> ruleSurfaces = patterns.isEmpty() || patterns.stream().anyMatch(p -> p.surfaces() == null)
                ? vocabulary.surfaces().keySet()
                : patterns.stream().flatMap(p -> p.surfaces().stream()).collect(Collectors.toCollection(TreeSet::new));

        Matcher attributes = attributeCall.matcher(source.text());
        attributes.region(whole.start(), whole.end());
        while (attributes.find()) {
            Set<String> surfaces = patterns.stream().filter(p -> p.span().contains(attributes.start()) && p.surfaces() != null)
                    .map(ActionPattern::surfaces).findFirst().orElse(ruleSurfaces);
            checkAttribute(path, source.lineOf(attributes.start()), name, attributes.group(1), attributes.group(2), surfaces, findings);
        }
        Matcher states = stateCall.matcher(source.text());
        states.region(whole.start(), whole.end());
        while (states.find()) {
            String fact = states.group(2);
            if (!vocabulary.stateFacts().contains(fact)) {
                findings.add(Finding.error(path, source.lineOf(states.start()), name + ": unknown context fact '" + fact + "' in "
                        + states.group(1) + "(...)" + Suggestions.hint(fact, vocabulary.stateFacts())
                        + "; the policy's facts: " + String.join(", ", vocabulary.stateFacts())));
            }
        }
        Matcher labels = HAS_LABEL.matcher(source.text());
        labels.region(conditions.start(), conditions.end());
        while (labels.find()) {
            if (!attachedLabels.contains(labels.group(1))) {
                findings.add(Finding.warning(path, source.lineOf(labels.start()), name + ": no rule attaches the label '"
                        + labels.group(1) + "'" + Suggestions.hint(labels.group(1), attachedLabels) + ", so hasLabel(\""
                        + labels.group(1) + "\") is never true"));
            }
        }
        Matcher attaches = ATTACHES_LABEL.matcher(source.text());
        attaches.region(consequence.start(), consequence.end());
        while (attaches.find()) {
            if (attaches.group(1).indexOf(',') >= 0) {
                findings.add(Finding.error(path, source.lineOf(attaches.start()), name + ": the label '" + attaches.group(1)
                        + "' holds a comma, so the rule throws and refuses every action it labels (a receipt keeps labels joined with commas)"));
            }
        }
        Matcher permit = PERMIT.matcher(source.text());
        permit.region(consequence.start(), consequence.end());
        boolean permits = permit.find();
        if (permits && !patterns.isEmpty() && patterns.stream().noneMatch(this::restrictsTarget)) {
            findings.add(Finding.warning(path, source.lineOf(permit.start()), name + " permits without restricting the target"
                    + " (no target, targets, targetsWithin, targetsUnder or attribute naming the target"
                    + (ruleSurfaces.contains("tool") ? ", no tool name" : "") + "): it permits " + (ruleSurfaces.size() == vocabulary.surfaces().size() ? "any action" : "every target of "
                    + String.join(", ", ruleSurfaces))));
        }
        if (permits && !patterns.isEmpty() && patterns.stream().noneMatch(p -> p.constraints().stream().anyMatch(c -> ACTOR_RESTRICTION.matcher(c).find()))) {
            String governed = governedByRoles(patterns, ruleSurfaces);
            if (governed != null) {
                findings.add(Finding.warning(path, source.lineOf(permit.start()), name + " permits " + governed
                        + " for every actor, which the YAML roles also govern: the permit grants it to actors and users no role"
                        + " allows it to (past the intersection of an agent's and its user's roles); to attach obligations to what"
                        + " the roles permit, write verdict.oblige(...), which grants nothing, or restrict the rule's actor"));
            }
        }
    }

    /**
     * What of the rule's actions the YAML roles govern (a tool a role's scope names, a surface one of its scopes is on),
     * or null: a DRL permit there grants beside the roles. Labels are taken as all attached, so the answer errs towards
     * saying so.
     */
    private String governedByRoles(List<ActionPattern> patterns, Set<String> ruleSurfaces) {
        if (roleScopes.isEmpty()) {
            return null;
        }
        Set<String> tools = new TreeSet<>();
        for (ActionPattern pattern : patterns) {
            if (pattern.surfaces() != null && pattern.surfaces().equals(Set.of("tool"))) {
                for (String constraint : pattern.constraints()) {
                    Matcher is = OPERATION_IS.matcher(constraint);
                    if (is.matches()) {
                        tools.addAll(literals(is));
                    }
                }
            }
        }
        if (!tools.isEmpty() && ruleSurfaces.equals(Set.of("tool"))) {
            Set<String> governed = new TreeSet<>();
            for (String tool : tools) {
                List<List<String>> paths = Scopes.pathsOf("tool", tool, tool, Set.of(tool));
                if (roleScopes.stream().anyMatch(scope -> paths.stream().anyMatch(p -> scope.matches(p, attachedLabels)))) {
                    governed.add(tool);
                }
            }
            return governed.isEmpty() ? null : "the tool " + String.join(", ", governed);
        }
        Set<String> governed = new TreeSet<>();
        for (String surface : ruleSurfaces) {
            if (roleScopes.stream().anyMatch(scope -> onSurface(scope, surface))) {
                governed.add(surface);
            }
        }
        return governed.isEmpty() ? null : "actions on " + String.join(", ", governed);
    }

    private static boolean onSurface(Scope scope, String surface) {
        String first = scope.segments().isEmpty() ? "" : scope.segments().get(0);
        return first.equals("*") || first.equals("**") || first.equalsIgnoreCase(surface);
    }

    private boolean restrictsTarget(ActionPattern pattern) {
        Set<String> surfaces = pattern.surfaces() == null ? vocabulary.surfaces().keySet() : pattern.surfaces();
        for (String constraint : pattern.constraints()) {
            if (TARGET_RESTRICTION.matcher(constraint).find()) {
                return true;
            }
            Matcher attributes = attributeCall.matcher(constraint);
            while (attributes.find()) {
                String attribute = attributes.group(2);
                if (surfaces.stream().anyMatch(surface -> vocabulary.surfaces().get(surface).targetAttributes().contains(attribute))) {
                    return true;
                }
            }
            // A tool's target is its name, which is its operation.
            if (pattern.surfaces() != null && pattern.surfaces().equals(Set.of("tool")) && OPERATION_IS.matcher(constraint).matches()) {
                return true;
            }
        }
        return false;
    }

    private ActionPattern pattern(String path, String rule, Span span, DrlSource source, List<Finding> findings) {
        int line = source.lineOf(span.start());
        List<String> constraints = source.split(span).stream().map(source::text).toList();
        Set<String> known = vocabulary.surfaces().keySet();
        Set<String> surfaces = null;
        for (String constraint : constraints) {
            Matcher is = SURFACE_IS.matcher(constraint);
            if (is.matches()) {
                Set<String> these = literals(is);
                surfaces = surfaces == null ? these : intersection(surfaces, these);
            }
        }
        String content = source.text(span);
        Matcher every = SURFACE_COMPARISONS.matcher(content);
        while (every.find()) {
            for (String surface : literals(every)) {
                if (!known.contains(surface)) {
                    findings.add(Finding.error(path, source.lineOf(span.start() + every.start()), rule + ": unknown surface '" + surface + "'"
                            + Suggestions.hint(surface, known) + "; the surfaces are " + String.join(", ", known)));
                }
            }
        }
        if (surfaces != null) {
            Set<String> valid = new TreeSet<>(surfaces);
            valid.retainAll(known);
            if (surfaces.isEmpty()) {
                findings.add(Finding.error(path, line, rule + ": its Action pattern asks for two different surfaces at once: the rule can never fire"));
            }
            surfaces = valid.isEmpty() ? null : valid;
        }
        Matcher operationComparisons = OPERATION_COMPARISONS.matcher(content);
        while (operationComparisons.find()) {
            for (String operation : literals(operationComparisons)) {
                checkOperation(path, source.lineOf(span.start() + operationComparisons.start()), rule, operation,
                        surfaces == null ? known : surfaces, surfaces != null, findings);
            }
        }
        return new ActionPattern(span, surfaces == null || surfaces.isEmpty() ? null : surfaces, constraints);
    }

    private void checkOperation(String path, int line, String rule, String operation, Set<String> surfaces, boolean limited,
                                List<Finding> findings) {
        Set<String> operations = new TreeSet<>();
        boolean open = false;
        for (String surface : surfaces) {
            FactModel facts = vocabulary.surfaces().get(surface);
            open |= facts.anyOperation();
            operations.addAll(facts.operations());
            if (facts.operations().contains(operation)) {
                return;
            }
        }
        String where = limited ? String.join(", ", surfaces) : "any surface";
        if (open) {
            if (!operations.isEmpty() && Suggestions.closest(operation, operations).isPresent()) {
                findings.add(Finding.warning(path, line, rule + ": operation '" + operation + "' is not one Warden knows on " + where
                        + Suggestions.hint(operation, operations)));
            }
            return;
        }
        Set<String> elsewhere = vocabulary.surfaces().entrySet().stream()
                .filter(entry -> entry.getValue().operations().contains(operation)).map(java.util.Map.Entry::getKey)
                .collect(Collectors.toCollection(TreeSet::new));
        findings.add(Finding.error(path, line, rule + ": operation '" + operation + "' never occurs on " + where
                + Suggestions.hint(operation, operations)
                + (elsewhere.isEmpty() ? "" : " (it is an operation of " + String.join(", ", elsewhere) + ")")
                + "; " + where + " operations: " + String.join(", ", operations) + ": the rule can never fire"));
    }

    private void checkAttribute(String path, int line, String rule, String helper, String attribute, Set<String> surfaces,
                                List<Finding> findings) {
        for (String surface : surfaces) {
            if (vocabulary.surfaces().get(surface).declaresAttribute(attribute)) {
                return;
            }
        }
        Set<String> elsewhere = vocabulary.surfaces().entrySet().stream()
                .filter(entry -> entry.getValue().declaresAttribute(attribute)).map(java.util.Map.Entry::getKey)
                .collect(Collectors.toCollection(TreeSet::new));
        String call = helper + "(\"" + attribute + "\")";
        if (!elsewhere.isEmpty()) {
            findings.add(Finding.error(path, line, rule + ": " + call + ": no " + String.join(", ", surfaces)
                    + " action has the attribute '" + attribute + "' (it is " + String.join(", ", elsewhere) + "'s)"
                    + Suggestions.hint(attribute, vocabulary.attributesOf(surfaces))));
            return;
        }
        findings.add(Finding.error(path, line, rule + ": " + call + ": unknown attribute '" + attribute + "'"
                + Suggestions.hint(attribute, vocabulary.attributesOf(surfaces))
                + (surfaces.size() == vocabulary.surfaces().size() ? "" : " on " + String.join(", ", surfaces))));
    }

    private static Set<String> literals(Matcher matcher) {
        Set<String> literals = new LinkedHashSet<>();
        if (matcher.group(1) != null) {
            literals.add(matcher.group(1));
        } else {
            Matcher each = LITERAL.matcher(matcher.group(2));
            while (each.find()) {
                literals.add(each.group(1));
            }
        }
        return literals;
    }

    private static Set<String> intersection(Set<String> a, Set<String> b) {
        Set<String> both = new TreeSet<>(a);
        both.retainAll(b);
        return both;
    }
}
