package dev.warden.rules;

import java.util.Collection;
import java.util.Collections;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The fact every rule matches: one action the host is about to perform. Surface-specific details
 * are attributes, so a new surface needs no change here. Classification rules may attach labels and
 * a risk tier (with {@code modify}) for later rules to use.
 *
 * <pre>
 * $a : Action(surface == "jdbc", operation == "SELECT", targets contains "customers")
 * $a : Action(surface == "http", flag("address.private"))
 * </pre>
 */
public final class Action {

    private final String id;
    private final String surface;
    private final String operation;
    private final String target;
    private final Set<String> targets;
    private final Map<String, Object> attributes;
    private final String actor;
    private final String onBehalfOf;
    private final String session;
    private final Set<String> labels = new TreeSet<>();
    private int tier = -1;
    private StateView state = StateView.NONE;
    private volatile boolean stateRead;

    /** What rules may ask about the agent's past ({@link #state}); the engine provides it. */
    public interface StateView {
        StateView NONE = name -> null;

        /** The fact named {@code name} as it stands before this action, or null. */
        Object read(String name);
    }

    public Action(String id, String surface, String operation, String target, Set<String> targets,
                  Map<String, Object> attributes, String actor, String onBehalfOf, String session) {
        this.id = id;
        this.surface = surface;
        this.operation = operation;
        this.target = target;
        this.targets = Set.copyOf(targets);
        this.attributes = Map.copyOf(attributes);
        this.actor = actor;
        this.onBehalfOf = onBehalfOf;
        this.session = session;
    }

    public String getId() {
        return id;
    }

    public String getSurface() {
        return surface;
    }

    public String getOperation() {
        return operation;
    }

    public String getTarget() {
        return target;
    }

    /** Every resource the action touches (all tables of a join, for SQL). */
    public Set<String> getTargets() {
        return targets;
    }

    /**
     * Whether the action touches at least one resource and only resources among {@code names}. Every
     * action that reaches the constraint calls this, so a short list (the usual) allocates nothing; a
     * list naming a resource twice (or null) fails as {@code Set.of} fails on it, as it always did.
     */
    public boolean targetsWithin(String... names) {
        if (targets.isEmpty()) {
            return false;
        }
        if (names.length > SHORT_LIST) {
            return Set.of(names).containsAll(targets);
        }
        for (int i = 0; i < names.length; i++) {
            java.util.Objects.requireNonNull(names[i]);
            for (int j = 0; j < i; j++) {
                if (names[j].equals(names[i])) {
                    throw new IllegalArgumentException("duplicate element: " + names[i]);
                }
            }
        }
        for (String target : targets) {
            if (!among(target, names)) {
                return false;
            }
        }
        return true;
    }

    /** Up to this many names are compared pairwise rather than hashed into a set. */
    private static final int SHORT_LIST = 8;

    private static boolean among(String target, String[] names) {
        for (String name : names) {
            if (name.equals(target)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether the action touches at least one path and every path it touches is one of
     * {@code directories} or inside one of them. For the {@code file} surface, whose targets are
     * resolved real paths ({@code ..} and symbolic links already followed), this is the allow-list
     * test: {@code /work/app2} is not under {@code /work/app}, and a move or copy must have both ends
     * inside. Write the directories as real paths.
     */
    public boolean targetsUnder(String... directories) {
        if (targets.isEmpty()) {
            return false;
        }
        for (String target : targets) {
            if (!under(target, directories)) {
                return false;
            }
        }
        return true;
    }

    private static boolean under(String path, String... directories) {
        for (String directory : directories) {
            String base = directory.length() > 1 && directory.endsWith("/") ? directory.substring(0, directory.length() - 1) : directory;
            if (path.equals(base) || path.startsWith(base.equals("/") ? "/" : base + "/")) {
                return true;
            }
        }
        return false;
    }

    public Map<String, Object> getAttributes() {
        return attributes;
    }

    public String getActor() {
        return actor;
    }

    public String getOnBehalfOf() {
        return onBehalfOf;
    }

    public String getSession() {
        return session;
    }

    @FactName(FactName.Kind.ATTRIBUTE)
    public Object attribute(String name) {
        return attributes.get(name);
    }

    /** The attribute as text, or "" when absent. */
    @FactName(FactName.Kind.ATTRIBUTE)
    public String text(String name) {
        Object value = attributes.get(name);
        return value == null ? "" : value.toString();
    }

    /**
     * The attribute as a number, or 0 when absent or not a number. A string that is a number as Java reads one
     * ({@code "5000"}, {@code " 5e3 "}, {@code "5000d"}, {@code "0x1.388p12"}) counts as that number: a tool's parameter
     * binding reads a model's {@code "5000"} as 5000, and a rule on the amount must see what the tool is paid.
     *
     * <p>A double, so that a fraction is compared as the fraction it is: a {@code double rate} of 0.95 read as a long
     * was 0, and passed a rule holding rates {@code > 0.2}. Integers are exact up to 2<sup>53</sup>, beyond it the nearest
     * double (a threshold above 2<sup>53</sup> cannot tell apart values closer than that double's precision); a number
     * beyond a double's range is infinite, so it is above every threshold. NaN reads as 0, as before.
     */
    @FactName(FactName.Kind.ATTRIBUTE)
    public double number(String name) {
        Object value = attributes.get(name);
        if (value instanceof Number number) {
            return notNaN(number.doubleValue());
        }
        if (value instanceof String text && !text.isBlank()) { // no length cap: "000...0005000" is 5000 to the tool too
            String number = text.strip();
            if (number.length() > 40) {
                return readAsDouble(number); // linear in the length, where a long text of digits costs BigDecimal quadratic time
            }
            try {
                return new java.math.BigDecimal(number).doubleValue(); // also reads the digits Long.parseLong reads, "٥٠٠٠"
            } catch (NumberFormatException notADecimal) {
                return readAsDouble(number);
            }
        }
        return 0;
    }

    /** As a double or float parameter is bound: 5000d, 0x1.388p12, Infinity (NaN and no number are 0). */
    private static double readAsDouble(String number) {
        try {
            return notNaN(Double.parseDouble(number));
        } catch (NumberFormatException notANumber) {
            return 0;
        }
    }

    private static double notNaN(double number) {
        return Double.isNaN(number) ? 0 : number;
    }

    /** Whether the attribute is {@code true}. */
    @FactName(FactName.Kind.ATTRIBUTE)
    public boolean flag(String name) {
        return Boolean.TRUE.equals(attributes.get(name));
    }

    /** The attribute as a set of names (e.g. {@code columns}), empty when absent. */
    @FactName(FactName.Kind.ATTRIBUTE)
    public Set<String> names(String name) {
        Object value = attributes.get(name);
        if (value instanceof Collection) {
            Set<String> names = new TreeSet<>();
            for (Object element : (Collection<?>) value) {
                names.add(String.valueOf(element));
            }
            return names;
        }
        return value == null ? Set.of() : Set.of(value.toString());
    }

    /**
     * A fact about what the agent did before this action (docs/RULES.md lists them): {@code
     * session.labels}, {@code limit.NAME.count}, {@code budget.NAME.spent}, ... A ruling that asked is
     * about this moment only: it is never reused for an identical action.
     *
     * <pre>
     * $a : Action(surface == "http", operation == "POST", ((java.util.Set) state("session.labels")) contains "pii")
     * </pre>
     */
    @FactName(FactName.Kind.STATE)
    public Object state(String name) {
        stateRead = true;
        return state.read(name);
    }

    /** {@link #state} as a number, 0 when absent. */
    @FactName(FactName.Kind.STATE)
    public double stateNumber(String name) {
        Object value = state(name);
        return value instanceof Number ? ((Number) value).doubleValue() : 0;
    }

    /** Whether {@link #state} holds {@code name} among the names of a set-valued fact ({@code session.labels}). */
    @FactName(FactName.Kind.STATE)
    public boolean stateHas(String name, String element) {
        Object value = state(name);
        return value instanceof Collection && ((Collection<?>) value).contains(element);
    }

    /** Gives rules the agent's past to read; the engine calls this before the rules fire. */
    public Action withState(StateView view) {
        this.state = view == null ? StateView.NONE : view;
        return this;
    }

    /** Whether a rule read the past ({@link #state}) while deciding this action. */
    public boolean stateRead() {
        return stateRead;
    }

    public Set<String> getLabels() {
        return Collections.unmodifiableSet(labels);
    }

    public boolean hasLabel(String label) {
        return labels.contains(label);
    }

    /**
     * Attaches a classification label; use inside {@code modify($a) { label("pii") }}. A label holding a
     * comma throws, so the rule fails closed: a receipt keeps the labels joined with commas, and a replay
     * of the log would read such a label as two.
     */
    public void label(String label) {
        if (label.indexOf(',') >= 0) {
            throw new IllegalArgumentException("a label holds no comma: '" + label + "'");
        }
        labels.add(label);
    }

    /** The risk tier (0 to 3) a classification rule assigned, or -1 when none did. */
    public int getTier() {
        return tier;
    }

    public void setTier(int tier) {
        this.tier = tier;
    }

    @Override
    public String toString() {
        return surface + " " + operation + " " + target + " by " + actor;
    }
}
