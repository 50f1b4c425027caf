package dev.warden.agent.explain;

import dev.warden.rules.PolicyBundle;
import org.drools.drl.ast.descr.PackageDescr;
import org.drools.drl.ast.descr.RuleDescr;
import org.drools.drl.parser.DrlParser;
import org.drools.drl.parser.DroolsParserException;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds the source of a rule a receipt names in the archived policy bundle that decided it: a DRL rule
 * by its name; {@code role R allows} and {@code role R denies S} at the role in its YAML file; the
 * context stage's {@code limit:N}, {@code budget:N}, {@code loop:N}, {@code chain:N} at their entries.
 */
public final class RuleSources {

    private static final Pattern ROLE_RULE = Pattern.compile("role (\\S+) (?:allows|denies .+)");
    private static final Pattern STATE_RULE = Pattern.compile("(limit|budget|loop|chain):(.+)");

    private final PolicyBundle bundle;

    public RuleSources(PolicyBundle bundle) {
        this.bundle = bundle;
    }

    public Optional<RuleSource> of(String rule) {
        Matcher role = ROLE_RULE.matcher(rule);
        if (role.matches()) {
            return yamlEntry("role: " + role.group(1));
        }
        Matcher state = STATE_RULE.matcher(rule);
        if (state.matches()) {
            return yamlEntry("name: " + state.group(2));
        }
        return drlRule(rule);
    }

    private Optional<RuleSource> drlRule(String name) {
        for (Map.Entry<String, byte[]> file : bundle.files().entrySet()) {
            if (!file.getKey().endsWith(".drl")) {
                continue;
            }
            String text = new String(file.getValue(), StandardCharsets.UTF_8);
            try {
                DrlParser parser = new DrlParser();
                PackageDescr parsed = parser.parse(false, text);
                if (parsed == null) {
                    continue;
                }
                for (RuleDescr rule : parsed.getRules()) {
                    if (rule.getName().equals(name) && rule.getLine() > 0) {
                        return Optional.of(lines(file.getKey(), text, rule.getLine(), rule.getEndLine() > 0 ? rule.getEndLine() : rule.getLine()));
                    }
                }
            } catch (DroolsParserException | RuntimeException unparseable) {
                // a file that does not parse decided nothing
            }
        }
        return Optional.empty();
    }

    /** The YAML entry whose line holds {@code key} (a {@code - role: R} item, a flow mapping), up to the next item. */
    private Optional<RuleSource> yamlEntry(String key) {
        for (Map.Entry<String, byte[]> file : bundle.files().entrySet()) {
            if (file.getKey().endsWith(".drl")) {
                continue;
            }
            String text = new String(file.getValue(), StandardCharsets.UTF_8);
            String[] lines = text.split("\n", -1);
            for (int i = 0; i < lines.length; i++) {
                String code = lines[i].replaceAll("#.*", "").replace("\"", "").replace("'", "");
                if (!Pattern.compile("(^|[\\s{,-])" + Pattern.quote(key) + "\\s*($|[,}\\s])").matcher(code).find()) {
                    continue;
                }
                // The entry goes on while lines are indented at least as far as its key (past its "- ").
                int column = lines[i].indexOf(key.substring(0, key.indexOf(':')));
                int end = i + 1;
                while (end < lines.length && !lines[end].isBlank() && spaces(lines[end]) >= column) {
                    end++;
                }
                return Optional.of(new RuleSource(file.getKey(), i + 1, Arrays.asList(lines).subList(i, end)));
            }
        }
        return Optional.empty();
    }

    private static int spaces(String line) {
        int i = 0;
        while (i < line.length() && line.charAt(i) == ' ') {
            i++;
        }
        return i;
    }

    private static RuleSource lines(String file, String text, int first, int last) {
        String[] all = text.split("\n", -1);
        List<String> lines = new ArrayList<>(Arrays.asList(all).subList(first - 1, Math.min(last, all.length)));
        return new RuleSource(file, first, lines);
    }
}
