package dev.warden.agent.context;

/**
 * What a model call spent of one budget once its usage was reported (its reservation settled).
 *
 * @param budget the budget's name ({@code budgets:})
 * @param amount tokens, or the pricing's currency (a cost budget)
 * @param unit   {@code token} or {@code currency}
 */
public record BudgetSpend(String budget, double amount, String unit) {
}
