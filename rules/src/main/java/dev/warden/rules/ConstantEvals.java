package dev.warden.rules;

import org.drools.drl.ast.descr.BaseDescr;
import org.drools.drl.ast.descr.ConditionalElementDescr;
import org.drools.drl.ast.descr.EvalDescr;
import org.drools.drl.ast.descr.GlobalDescr;
import org.drools.drl.ast.descr.PackageDescr;
import org.drools.drl.ast.descr.PatternDescr;
import org.drools.drl.ast.descr.RuleDescr;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Finds {@code eval(...)} conditions that use none of their rule's bound variables nor a global. The
 * executable model Warden compiles to evaluates such a condition once, when the policy is built (and a
 * cached policy keeps that answer), not per decision: {@code eval(LocalTime.now().getHour() > 18)}
 * would be frozen at the hour the policy was compiled. They are refused, so a rule never silently
 * means something else than it says.
 */
final class ConstantEvals {

    private ConstantEvals() {
    }

    /** One line per constant eval in the file: {@code path:line: ...}; none when it does not parse (the compiler says why). */
    static List<String> in(ParsedDrl drl) {
        PackageDescr parsed = drl.parsed();
        if (parsed == null) {
            return List.of();
        }
        String path = drl.path();
        Set<String> globals = new HashSet<>();
        for (GlobalDescr global : parsed.getGlobals()) {
            globals.add(global.getIdentifier());
        }
        List<String> found = new ArrayList<>();
        for (RuleDescr rule : parsed.getRules()) {
            Set<String> names = new HashSet<>(globals);
            List<EvalDescr> evals = new ArrayList<>();
            walk(rule.getLhs(), names, evals);
            for (EvalDescr eval : evals) {
                String expression = String.valueOf(eval.getContent());
                if (names.stream().noneMatch(name -> mentions(expression, name))) {
                    found.add(path + ":" + eval.getLine() + ": rule \"" + rule.getName() + "\": eval(" + expression.trim()
                            + ") uses no variable of the rule: it would be evaluated once, when the policy is compiled, "
                            + "not per action; bind the action ($a : Action(...)) and use it in the condition");
                }
            }
        }
        return found;
    }

    private static void walk(BaseDescr descr, Set<String> names, List<EvalDescr> evals) {
        if (descr instanceof PatternDescr pattern) {
            names.addAll(pattern.getAllBoundIdentifiers());
        } else if (descr instanceof EvalDescr eval) {
            evals.add(eval);
        } else if (descr instanceof ConditionalElementDescr element) {
            for (BaseDescr child : element.getDescrs()) {
                walk(child, names, evals);
            }
        }
    }

    private static boolean mentions(String expression, String name) {
        return Pattern.compile("(?<![\\w$])" + Pattern.quote(name) + "(?![\\w$])").matcher(expression).find();
    }
}
