package dev.warden.rules;

import org.drools.drl.ast.descr.AccumulateDescr;
import org.drools.drl.ast.descr.BaseDescr;
import org.drools.drl.ast.descr.CollectDescr;
import org.drools.drl.ast.descr.ConditionalElementDescr;
import org.drools.drl.ast.descr.ExprConstraintDescr;
import org.drools.drl.ast.descr.PatternDescr;
import org.drools.drl.ast.descr.RuleDescr;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Moves each {@code Action} pattern's equalities of the action's own facts against a literal
 * ({@code actor == "agent-7"}) ahead of its other constraints before the rules compile. Drools finds
 * such an equality by hash whatever the number of rules, but tests every constraint it cannot hash ({@code targetsWithin(...)}, {@code contains}, a
 * method) for each action that reaches it: with {@code targetsWithin} before {@code actor ==}, a pack
 * of a thousand rules called it hundreds of times per action. A pattern's constraints are a
 * conjunction over one fact, and those facts (id, surface, operation, target, actor, on-behalf-of,
 * session) are fixed for the action, so their order changes which actions reach a constraint, never
 * which actions match; a constraint that throws is reached only by actions its pattern's equalities
 * select (docs/RULES.md).
 *
 * <p>The text is rewritten in place, each constraint into another's slot, so lines and the separators
 * between constraints stay where the author put them. A pattern this cannot read exactly (positional
 * constraints, offsets that do not match the text) is left as written.
 */
final class EqualitiesFirst {

    /** {@code property == literal}: a plain name, a string, number or boolean literal. */
    private static final Pattern LITERAL_EQUALITY = Pattern.compile(
            "\\s*([A-Za-z_][A-Za-z0-9_]*)\\s*==\\s*"
                    + "(\"(?:[^\"\\\\]|\\\\.)*\"|'(?:[^'\\\\]|\\\\.)*'|-?[0-9]+(?:\\.[0-9]+)?|true|false)\\s*");

    /** {@code name : ...} or {@code name := ...}: a binding declared in the pattern. */
    private static final Pattern BINDING = Pattern.compile("\\s*\\$?([A-Za-z_][A-Za-z0-9_]*)\\s*:.*", Pattern.DOTALL);

    /**
     * The properties that move: the action's own facts, which no constraint can change (a {@code state(...)}
     * test sets {@code stateRead}, a consequence may set {@code tier} or labels: those stay where written).
     */
    private static final Set<String> FIXED_PROPERTIES = Set.of("id", "surface", "operation", "target", "actor", "onBehalfOf",
            "session");

    /** The patterns whose properties those are. */
    private static final Set<String> ACTION_TYPES = Set.of("Action", Action.class.getName());

    private EqualitiesFirst() {
    }

    /** The file's text with every pattern's literal equalities first; as written when nothing moves or it does not parse. */
    static String rewrite(ParsedDrl source) {
        String drl = source.text();
        if (source.parsed() == null) {
            return drl;
        }
        List<Edit> edits = new ArrayList<>();
        for (RuleDescr rule : source.parsed().getRules()) {
            walk(rule.getLhs(), drl, edits);
        }
        if (edits.isEmpty()) {
            return drl;
        }
        edits.sort(Comparator.comparingInt(Edit::start).reversed());
        StringBuilder rewritten = new StringBuilder(drl);
        for (Edit edit : edits) {
            rewritten.replace(edit.start(), edit.end(), edit.text());
        }
        return rewritten.toString();
    }

    private static void walk(BaseDescr descr, String drl, List<Edit> edits) {
        if (descr instanceof PatternDescr pattern) {
            reorder(pattern, drl, edits);
            if (pattern.getSource() instanceof AccumulateDescr accumulate) {
                walk(accumulate.getInput(), drl, edits);
            } else if (pattern.getSource() instanceof CollectDescr collect) {
                walk(collect.getInputPattern(), drl, edits);
            }
        } else if (descr instanceof ConditionalElementDescr element) {
            for (BaseDescr child : element.getDescrs()) {
                walk(child, drl, edits);
            }
        }
    }

    private static void reorder(PatternDescr pattern, String drl, List<Edit> edits) {
        if (!ACTION_TYPES.contains(pattern.getObjectType())) {
            return;
        }
        List<? extends BaseDescr> constraints = pattern.getConstraint().getDescrs();
        List<String> texts = new ArrayList<>();
        for (BaseDescr constraint : constraints) {
            String text = textOf(constraint, drl);
            if (text == null || bindsAFixedPropertyName(text)) {
                return; // a binding named like a property would make the moved equality mean the binding, or nothing yet
            }
            texts.add(text);
        }
        List<String> ordered = new ArrayList<>();
        texts.stream().filter(EqualitiesFirst::isLiteralEquality).forEach(ordered::add);
        texts.stream().filter(text -> !isLiteralEquality(text)).forEach(ordered::add);
        for (int i = 0; i < texts.size(); i++) {
            if (!ordered.get(i).equals(texts.get(i))) {
                BaseDescr slot = constraints.get(i);
                edits.add(new Edit(slot.getStartCharacter(), slot.getEndCharacter() + 1, ordered.get(i)));
            }
        }
    }

    /** The constraint's own text in {@code drl}, or null when the parser's offsets do not give exactly it. */
    private static String textOf(BaseDescr constraint, String drl) {
        if (!(constraint instanceof ExprConstraintDescr expression) || expression.getType() != ExprConstraintDescr.Type.NAMED) {
            return null;
        }
        int start = constraint.getStartCharacter();
        int end = constraint.getEndCharacter() + 1;
        if (start < 0 || end <= start || end > drl.length()) {
            return null;
        }
        String text = drl.substring(start, end);
        return text.equals(expression.getExpression()) ? text : null;
    }

    static boolean isLiteralEquality(String constraint) {
        Matcher equality = LITERAL_EQUALITY.matcher(constraint);
        return equality.matches() && FIXED_PROPERTIES.contains(equality.group(1));
    }

    private static boolean bindsAFixedPropertyName(String constraint) {
        Matcher binding = BINDING.matcher(constraint);
        return binding.matches() && FIXED_PROPERTIES.contains(binding.group(1));
    }

    private record Edit(int start, int end, String text) {
    }
}
