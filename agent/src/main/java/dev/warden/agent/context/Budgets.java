package dev.warden.agent.context;

import dev.warden.rules.state.Budget;
import dev.warden.rules.state.Price;
import dev.warden.rules.state.StatePolicy;
import dev.warden.rules.state.Window;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@code budgets:} over model calls. Before a call runs, its estimate — estimated input tokens times
 * the input price, plus its maximum output (the request's, else the price's {@code max-output}) times
 * the output price — is reserved atomically against each budget it counts in. While another call of
 * the same budget is in flight in this JVM, or always when the store is shared with other JVMs (whose calls in flight
 * this one cannot see), the input counted is its bound instead ({@code model.input.bound}: no tokenizer makes more
 * tokens than the text has UTF-8 bytes), so that concurrent calls whose text beats the estimate never together
 * overshoot ({@link CallsInFlight}). When the call reports what it used, the reservation is settled to the
 * real cost; a call that does not run gives its reservation back; a call that never reports keeps it.
 */
final class Budgets implements StateContributor {

    static final String SURFACE = "model";
    private static final int MAX_AWAITING = 100_000;

    private final List<Budget> budgets;
    private final StatePolicy policy;
    private final StateStore store;
    /** Reservations of permitted calls, by the call's id, until their usage is reported. */
    private final Map<String, List<Reservation>> awaiting = new ConcurrentHashMap<>();
    private final CallsInFlight inFlight = new CallsInFlight();

    private record Reservation(Budget budget, String key, Window.Span span, long bucket, long reserved, String model, Price price) {
    }

    Budgets(StatePolicy policy, StateStore store) {
        this.budgets = policy.budgets();
        this.policy = policy;
        this.store = store;
    }

    @Override
    public void check(ContextAction action, StateCheck check) {
        if (!SURFACE.equals(action.surface()) || budgets.isEmpty()) {
            return;
        }
        String model = action.target();
        Price price = policy.priceOf(model);
        long estimated = number(action.attributes().get("model.input.estimate"));
        Object bound = action.attributes().get("model.input.bound");
        long bounded = bound == null ? estimated : Math.max(estimated, number(bound));
        long now = action.time().toEpochMilli();
        long batch = number(action.attributes().get("model.batch.size"));
        long named = maxOutput(number(action.attributes().get("model.maxOutput")), batch, price);
        List<Reservation> reservations = new ArrayList<>(budgets.size());
        for (Budget budget : budgets) {
            if (budget.countsCost() && price == null) {
                check.deny("budget:" + budget.name(), "budget " + budget.name() + ": no price for model '" + model
                        + "' and no default price, so its cost cannot be estimated");
                continue;
            }
            String key = "budget:" + budget.name() + ":" + action.owner(budget.per());
            // Alone only where every call of the budget is seen: a store other JVMs share has their calls in flight too.
            boolean alone = inFlight.joinAlone(key, action.id(), now) && !store.sharedAcrossProcesses();
            long input = alone ? estimated : bounded;
            Window.Span span = budget.window().span(action.time(), budget.zone());
            // Nothing names the most output (an unpriced token budget, a request naming none): the call may write what the
            // budget has left after its input, so it reserves that, and the request is told (below).
            long output = named > 0 ? named : Math.max(1, budget.max() - store.total(key, span) - input);
            long estimate = budget.countsCost() ? price.costNanos(input, output) : input + output;
            StateStore.Acquisition taken = store.acquire(key, span, estimate, budget.max());
            String window = budget.window().describe();
            if (!taken.granted()) {
                inFlight.left(key, action.id());
                check.deny("budget:" + budget.name(), "budget " + budget.name() + ": " + amount(budget, taken.before()) + " + "
                        + amount(budget, estimate) + " > " + amount(budget, budget.max()) + " " + window + " for "
                        + action.ownerText(budget.per()));
                check.fact("budgets", budget.name(), amount(budget, taken.before()) + " spent + " + amount(budget, estimate)
                        + " estimated of " + amount(budget, budget.max()) + " " + window + " (refused)");
                continue;
            }
            check.fact("budgets", budget.name(), amount(budget, taken.before()) + " spent + " + amount(budget, estimate)
                    + " estimated of " + amount(budget, budget.max()) + " " + window);
            reservations.add(new Reservation(budget, key, span, taken.bucket(), estimate, model, price));
            if (batch == 0) {
                // The reservation covers this much output: the provider is told, so what it writes cannot pass it (a
                // request naming no maximum was the provider's to end; found by the eighth review, closed by the ninth).
                check.capOutput(output);
            }
        }
        if (reservations.isEmpty()) {
            return;
        }
        check.onSettle(proceeded -> {
            if (!proceeded) {
                reservations.forEach(r -> store.adjust(r.key(), r.bucket(), r.span().expiresAtMillis(), -r.reserved()));
                reservations.forEach(r -> inFlight.left(r.key(), action.id()));
            } else {
                if (awaiting.size() >= MAX_AWAITING) {
                    awaiting.clear(); // calls that never reported keep what they reserved
                }
                String call = check.runningAs(action.id());
                awaiting.put(call, reservations);
                if (!call.equals(action.id())) {
                    reservations.forEach(r -> inFlight.renamed(r.key(), action.id(), call));
                }
            }
        });
    }

    /**
     * Settles the reservations of a call that reported its usage, says where each budget stands
     * (for the usage receipt), and returns what it spent of each (for telemetry). Usage without a split into input and output is priced as output, the
     * dearer side.
     */
    List<BudgetSpend> settle(String actionId, Map<String, Object> usage, Map<String, String> facts) {
        List<Reservation> reservations = awaiting.remove(actionId);
        if (reservations == null) {
            return List.of();
        }
        reservations.forEach(r -> inFlight.left(r.key(), actionId));
        ReportedTokens reported = ReportedTokens.of(usage.get("usage.input"), usage.get("usage.output"), usage.get("usage.total"));
        List<BudgetSpend> spent = new ArrayList<>(reservations.size());
        for (Reservation reservation : reservations) {
            Budget budget = reservation.budget();
            long used = used(reservation, reported);
            store.adjust(reservation.key(), reservation.bucket(), reservation.span().expiresAtMillis(), used - reservation.reserved());
            long total = store.total(reservation.key(), reservation.span());
            facts.merge("state.budgets", budget.name() + " " + amount(budget, total) + " spent of " + amount(budget, budget.max())
                    + " " + budget.window().describe() + " (this call " + amount(budget, used) + ")", (was, more) -> was + "; " + more);
            spent.add(budget.countsCost() ? new BudgetSpend(budget.name(), used / 1e9, "currency")
                    : new BudgetSpend(budget.name(), used, "token"));
        }
        return spent;
    }

    /**
     * Replays the log: a call that ran counts its estimate, settled to its real cost when its usage
     * receipt follows (priced with today's policy); a call whose usage never came keeps its estimate.
     */
    @Override
    public void replay(PastAction past, long nowMillis) {
        ContextAction action = past.action();
        if (past.observation()) {
            List<Reservation> reservations = awaiting.remove(action.target());
            if (reservations != null) {
                Map<String, String> said = past.summary();
                settle(reservations, ReportedTokens.of(said.containsKey("usage.input") ? past.count("usage.input") : null,
                        said.containsKey("usage.output") ? past.count("usage.output") : null,
                        said.containsKey("usage.total") ? past.count("usage.total") : null));
            }
            return;
        }
        if (!past.proceeded() || !SURFACE.equals(action.surface()) || !"chat".equals(action.operation())) {
            return;
        }
        Price price = policy.priceOf(action.target());
        long input = past.count("model.input.estimate");
        long output = maxOutput(past.count("model.maxOutput"), past.count("model.batch.size"), price);
        List<Reservation> reservations = new ArrayList<>(budgets.size());
        for (Budget budget : budgets) {
            if (budget.countsCost() && price == null) {
                continue;
            }
            Window.Span span = budget.window().span(action.time(), budget.zone());
            if (span.expiresAtMillis() <= nowMillis) {
                continue;
            }
            String key = "budget:" + budget.name() + ":" + action.owner(budget.per());
            long estimate = budget.countsCost() ? price.costNanos(input, output) : input + output;
            store.adjust(key, span.current(), span.expiresAtMillis(), estimate);
            reservations.add(new Reservation(budget, key, span, span.current(), estimate, action.target(), price));
        }
        if (!reservations.isEmpty()) {
            awaiting.put(action.id(), reservations);
        }
    }

    /**
     * The reservations a replay made for calls whose usage it has not seen yet (a replay runs before this process
     * decides anything, so they are all the replay's), as of {@code nowMillis}: those of windows that ended are left out,
     * as a replay from now would not count their calls.
     */
    List<PendingUsage> awaitingUsage(long nowMillis) {
        List<PendingUsage> pending = new ArrayList<>();
        awaiting.forEach((actionId, reservations) -> {
            for (Reservation r : reservations) {
                if (r.span().expiresAtMillis() > nowMillis) {
                    pending.add(new PendingUsage(actionId, r.budget().name(), r.key(), r.span(), r.reserved(), r.model()));
                }
            }
        });
        return pending;
    }

    /**
     * Takes on the reservations a snapshot kept, in place of those awaiting usage, as of {@code nowMillis}: priced by
     * this policy, which is the one the snapshot was made under (its fingerprint says so).
     */
    void awaitUsage(List<PendingUsage> pending, long nowMillis) {
        awaiting.clear();
        for (PendingUsage p : pending) {
            Budget budget = budgets.stream().filter(b -> b.name().equals(p.budget())).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("no budget " + p.budget() + " in this policy"));
            if (p.span().expiresAtMillis() > nowMillis) {
                awaiting.computeIfAbsent(p.actionId(), id -> new ArrayList<>()).add(new Reservation(budget, p.key(), p.span(),
                        p.span().current(), p.reserved(), p.model(), policy.priceOf(p.model())));
            }
        }
    }

    /** The request's most output, else the price's for each request it sends (a batch sends several). */
    private static long maxOutput(long requested, long requests, Price price) {
        return requested > 0 ? requested : price == null ? 0 : price.maxOutput() * Math.max(1, requests);
    }

    /** Moves each reservation to the real cost ({@link #used}). */
    private void settle(List<Reservation> reservations, ReportedTokens reported) {
        for (Reservation reservation : reservations) {
            store.adjust(reservation.key(), reservation.bucket(), reservation.span().expiresAtMillis(),
                    used(reservation, reported) - reservation.reserved());
        }
    }

    /**
     * What a reported call spent of a reservation: its tokens as {@link ReportedTokens} counts them (the larger of the
     * total and the parts, the excess as output, so no number a provider writes low settles it lower than another it
     * wrote); a report that says no number at all keeps the reservation, as a call that never reports does (before the
     * tenth review, 2026-12-07, it settled to nothing).
     */
    private static long used(Reservation reservation, ReportedTokens reported) {
        if (!reported.said()) {
            return reservation.reserved();
        }
        return reservation.budget().countsCost() ? reservation.price().costNanos(reported.input(), reported.output())
                : reported.total();
    }

    @Override
    public java.util.Set<String> factNames() {
        return budgets.stream().map(Budgets::factName).collect(java.util.stream.Collectors.toUnmodifiableSet());
    }

    private static String factName(Budget budget) {
        return "budget." + budget.name() + ".spent";
    }

    @Override
    public boolean assume(String name, Object value, ContextAction action) {
        for (Budget budget : budgets) {
            if (name.equals(factName(budget))) {
                // Cost is kept in billionths, as prices are; tokens as they are.
                long amount = budget.countsCost() ? Assumed.amount(name, value).movePointRight(9).longValueExact()
                        : Assumed.count(name, value);
                Window.Span span = budget.window().span(action.time(), budget.zone());
                store.adjust("budget:" + budget.name() + ":" + action.owner(budget.per()), span.current(), span.expiresAtMillis(), amount);
                return true;
            }
        }
        return false;
    }

    @Override
    public Object fact(String name, ContextAction action) {
        for (Budget budget : budgets) {
            if (name.equals(factName(budget))) {
                long total = store.total("budget:" + budget.name() + ":" + action.owner(budget.per()),
                        budget.window().span(action.time(), budget.zone()));
                return budget.countsCost() ? BigDecimal.valueOf(total).movePointLeft(9) : (Object) total;
            }
        }
        return null;
    }

    /** A cost in the currency with (at least) two decimals, or a token count. */
    static String amount(Budget budget, long value) {
        if (!budget.countsCost()) {
            return Long.toString(value);
        }
        BigDecimal money = BigDecimal.valueOf(value).movePointLeft(9).stripTrailingZeros();
        return money.scale() < 2 ? money.setScale(2, RoundingMode.UNNECESSARY).toPlainString() : money.toPlainString();
    }

    private static long number(Object value) {
        return value instanceof Number ? Math.max(0, ((Number) value).longValue()) : 0;
    }
}
