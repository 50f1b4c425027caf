package dev.warden.agent.context;

/**
 * What a model call's usage report counts as, for budgets and the reported totals alike. A report says input, output
 * and total tokens, three numbers the provider writes independently (LangChain4j's {@code TokenUsage(input, output,
 * total)}, an OpenAI-compatible server's {@code prompt_tokens}, {@code completion_tokens}, {@code total_tokens}): the
 * call used at least the larger of its total and the sum of its parts. Before the tenth review (2026-12-07) budgets read
 * the parts and {@code usage.*.total} the total, so a report whose total was 1 and whose parts were 600 spent 600 of a
 * budget and 1 of a rule's session total, and a report of parts 0 and total 600 spent 600 of the total and nothing of a
 * budget: whichever number a provider wrote low, one of the two let the session go on.
 *
 * <p>Absent numbers count as 0. The total beyond the parts is counted as output, the dearer side of every price.
 *
 * @param input  the input tokens counted
 * @param output the output tokens counted (what the report says, plus the total beyond the parts)
 * @param said   whether the report said any of the three numbers; a report of none counts nothing
 */
record ReportedTokens(long input, long output, boolean said) {

    /** Reads a report's three numbers; each may be null or not a number (absent), and negatives count as 0. */
    static ReportedTokens of(Object input, Object output, Object total) {
        boolean said = input instanceof Number || output instanceof Number || total instanceof Number;
        long in = count(input);
        return new ReportedTokens(in, Math.max(count(output), count(total) - in), said);
    }

    /** Input and output: at least the total the report said (saturated: a replayed receipt may say anything). */
    long total() {
        return input > Long.MAX_VALUE - output ? Long.MAX_VALUE : input + output;
    }

    private static long count(Object value) {
        return value instanceof Number number ? Math.max(0, number.longValue()) : 0;
    }
}
