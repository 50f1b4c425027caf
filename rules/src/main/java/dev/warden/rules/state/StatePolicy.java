package dev.warden.rules.state;

import dev.warden.rules.PolicyYaml;

import java.math.BigDecimal;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * What a policy says about the past: prices, budgets, limits, loops and chains, exactly as the
 * security team writes them in a policy file (beside or inside the role policies):
 *
 * <pre>
 * pricing:                       # per million tokens
 *   gpt-4o: {input: 2.50, output: 10.00, max-output: 4096}
 *   default: {input: 1.00, output: 1.00, max-output: 1024}
 * budgets:
 *   - {name: daily-spend, per: session, cost: 50.00, window: 1d}
 *   - {name: session-tokens, per: session, tokens: 50000}
 * limits:
 *   - {name: ops-per-minute, per: actor, max: 100, window: 1m, scopes: ["**"]}
 * loops:
 *   - {name: same-call, max: 5, within: 60s}
 * chains:
 *   - {name: no-egress-after-pii, after: [label:pii], deny: [http:*:post, tool:email:send:external]}
 * zone: Europe/Paris             # calendar windows' time zone (UTC unless given here or per budget)
 * </pre>
 * The state rules are checked by the agent's context stage, not by Drools: they read and reserve
 * shared counters atomically, which a rule firing over one action cannot. Their denials override
 * the rules' permits like any denial.
 * <pre>
 * </pre>
 */
public record StatePolicy(Map<String, Price> pricing, List<Budget> budgets, List<Limit> limits, List<Loop> loops,
                          List<Chain> chains, ZoneId zone) {

    /** The keys of a policy file this policy reads. */
    public static final List<String> KEYS = List.of("pricing", "budgets", "limits", "loops", "chains", "zone");

    public static final StatePolicy NONE = new StatePolicy(Map.of(), List.of(), List.of(), List.of(), List.of(), ZoneOffset.UTC);

    public StatePolicy {
        pricing = Map.copyOf(pricing);
        budgets = List.copyOf(budgets);
        limits = List.copyOf(limits);
        loops = List.copyOf(loops);
        chains = List.copyOf(chains);
    }

    public boolean isEmpty() {
        return budgets.isEmpty() && limits.isEmpty() && loops.isEmpty() && chains.isEmpty();
    }

    /** The price of a model: its own entry, else {@code default}; null when neither is written. */
    public Price priceOf(String model) {
        Price price = model == null ? null : pricing.get(model);
        return price != null ? price : pricing.get("default");
    }

    /**
     * Reads the state sections of one policy file's top-level mapping (other keys are not looked at).
     *
     * @throws IllegalArgumentException naming what is wrong and where
     */
    public static StatePolicy parse(Map<?, ?> top) {
        ZoneId zone = top.containsKey("zone") ? zone(top.get("zone"), "zone") : ZoneOffset.UTC;
        Map<String, Price> pricing = new LinkedHashMap<>();
        if (top.containsKey("pricing")) {
            PolicyYaml.map(top.get("pricing"), "pricing").forEach((model, entry) -> {
                String name = PolicyYaml.text(model, "a model name in pricing");
                String where = "pricing of " + name;
                Map<?, ?> price = PolicyYaml.map(entry, where);
                PolicyYaml.onlyKeys(price, List.of("input", "output", "max-output"), where);
                pricing.put(name, new Price(PolicyYaml.amount(price.get("input"), where + ", input"),
                        PolicyYaml.amount(price.get("output"), where + ", output"),
                        PolicyYaml.count(price.get("max-output"), where + ", max-output")));
            });
        }
        Set<String> names = new LinkedHashSet<>();
        List<Budget> budgets = new ArrayList<>();
        for (Map<?, ?> entry : entries(top, "budgets")) {
            String name = name(entry, "budgets", names);
            String where = "budget " + name;
            PolicyYaml.onlyKeys(entry, List.of("name", "per", "cost", "tokens", "window", "zone"), where);
            if (entry.containsKey("cost") == entry.containsKey("tokens")) {
                throw new IllegalArgumentException(where + " must set exactly one of cost and tokens");
            }
            Window window = entry.containsKey("window") ? window(entry.get("window"), where) : Window.FOREVER;
            if (window.sliding()) {
                throw new IllegalArgumentException(where + ": a budget's window is a calendar one (1d, 1w, 1mo) or none");
            }
            BigDecimal cost = entry.containsKey("cost") ? PolicyYaml.amount(entry.get("cost"), where + ", cost") : null;
            if (cost != null && cost.scale() > 9) {
                throw new IllegalArgumentException(where + ": cost has more than nine decimals");
            }
            budgets.add(new Budget(name, Per.parse(entry.get("per"), where), cost,
                    entry.containsKey("tokens") ? PolicyYaml.count(entry.get("tokens"), where + ", tokens") : 0,
                    window, entry.containsKey("zone") ? zone(entry.get("zone"), where + ", zone") : zone));
            if (cost != null && pricing.isEmpty()) {
                throw new IllegalArgumentException(where + " counts cost, but no pricing says what a model call costs");
            }
        }
        List<Limit> limits = new ArrayList<>();
        for (Map<?, ?> entry : entries(top, "limits")) {
            String name = name(entry, "limits", names);
            String where = "limit " + name;
            PolicyYaml.onlyKeys(entry, List.of("name", "per", "max", "window", "scopes"), where);
            limits.add(new Limit(name, Per.parse(entry.get("per"), where), PolicyYaml.count(entry.get("max"), where + ", max"),
                    window(required(entry, "window", where), where), ScopeList.parse(entry.get("scopes"), where + ", scopes")));
        }
        List<Loop> loops = new ArrayList<>();
        for (Map<?, ?> entry : entries(top, "loops")) {
            String name = name(entry, "loops", names);
            String where = "loop " + name;
            PolicyYaml.onlyKeys(entry, List.of("name", "max", "within"), where);
            Window within = window(required(entry, "within", where), where);
            loops.add(new Loop(name, PolicyYaml.count(entry.get("max"), where + ", max"), within));
        }
        List<Chain> chains = new ArrayList<>();
        for (Map<?, ?> entry : entries(top, "chains")) {
            String name = name(entry, "chains", names);
            String where = "chain " + name;
            PolicyYaml.onlyKeys(entry, List.of("name", "after", "deny"), where);
            Set<String> labels = new LinkedHashSet<>();
            for (Object after : PolicyYaml.list(required(entry, "after", where), where + ", after")) {
                String text = PolicyYaml.text(after, where + ", after");
                if (!text.toLowerCase(Locale.ROOT).startsWith("label:") || text.length() == "label:".length()) {
                    throw new IllegalArgumentException(where + ", after: '" + text + "' is not a label (write label:NAME)");
                }
                labels.add(text.substring("label:".length()).toLowerCase(Locale.ROOT));
            }
            ScopeList deny = ScopeList.parse(required(entry, "deny", where), where + ", deny");
            chains.add(new Chain(name, labels, deny));
        }
        return new StatePolicy(pricing, budgets, limits, loops, chains, zone);
    }

    /** Both policies together; a name defined in both, or a model priced in both, is an error. */
    public StatePolicy and(StatePolicy other) {
        Map<String, Price> prices = new LinkedHashMap<>(pricing);
        other.pricing.forEach((model, price) -> {
            if (prices.put(model, price) != null) {
                throw new IllegalArgumentException("model '" + model + "' is priced twice");
            }
        });
        Set<String> names = new LinkedHashSet<>();
        List<String> all = new ArrayList<>();
        budgets.forEach(b -> all.add(b.name()));
        limits.forEach(l -> all.add(l.name()));
        loops.forEach(l -> all.add(l.name()));
        chains.forEach(c -> all.add(c.name()));
        other.budgets.forEach(b -> all.add(b.name()));
        other.limits.forEach(l -> all.add(l.name()));
        other.loops.forEach(l -> all.add(l.name()));
        other.chains.forEach(c -> all.add(c.name()));
        for (String name : all) {
            if (!names.add(name)) {
                throw new IllegalArgumentException("'" + name + "' is defined twice");
            }
        }
        if (!zone.equals(other.zone) && !ZoneOffset.UTC.equals(other.zone) && !ZoneOffset.UTC.equals(zone)) {
            throw new IllegalArgumentException("two files name different time zones (" + zone + ", " + other.zone + ")");
        }
        return new StatePolicy(prices, concat(budgets, other.budgets), concat(limits, other.limits),
                concat(loops, other.loops), concat(chains, other.chains), ZoneOffset.UTC.equals(zone) ? other.zone : zone);
    }

    private static <T> List<T> concat(List<T> first, List<T> second) {
        List<T> all = new ArrayList<>(first);
        all.addAll(second);
        return all;
    }

    private static List<Map<?, ?>> entries(Map<?, ?> top, String key) {
        if (!top.containsKey(key)) {
            return List.of();
        }
        List<Map<?, ?>> entries = new ArrayList<>();
        for (Object entry : PolicyYaml.list(top.get(key), key)) {
            entries.add(PolicyYaml.map(entry, "each entry of " + key));
        }
        return entries;
    }

    private static String name(Map<?, ?> entry, String section, Set<String> names) {
        String name = PolicyYaml.text(entry.get("name"), "the name of an entry of " + section);
        if (!name.matches("[A-Za-z0-9_.\\-]+")) {
            throw new IllegalArgumentException(section + ": name '" + name + "' may use only letters, digits, '_', '.' and '-'");
        }
        if (!names.add(name)) {
            throw new IllegalArgumentException("'" + name + "' is defined twice");
        }
        return name;
    }

    private static Object required(Map<?, ?> entry, String key, String where) {
        Object value = entry.get(key);
        if (value == null) {
            throw new IllegalArgumentException(where + " needs " + key);
        }
        return value;
    }

    private static Window window(Object value, String where) {
        try {
            return Window.parse(value == null ? null : value.toString());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(where + ": " + e.getMessage());
        }
    }

    private static ZoneId zone(Object value, String where) {
        try {
            return ZoneId.of(PolicyYaml.text(value, where));
        } catch (DateTimeException e) {
            throw new IllegalArgumentException(where + ": unknown time zone '" + value + "'");
        }
    }
}
