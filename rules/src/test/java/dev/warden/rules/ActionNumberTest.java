package dev.warden.rules;

import dev.warden.bootstrap.Outcome;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code number(...)} reads an amount however the model wrote it, as the tool it goes to will. */
class ActionNumberTest {

    private static Action withArgument(Object amount) {
        return new Action("id", "tool", "pay", "pay", Set.of("pay"), Map.of("arg.amount", amount), "agent", null, null);
    }

    @Test
    void aNumberIsItself() {
        assertThat(withArgument(5000L).number("arg.amount")).isEqualTo(5000);
        assertThat(withArgument(5000.9).number("arg.amount")).isEqualTo(5000.9);
        assertThat(withArgument(new BigDecimal("0.95")).number("arg.amount")).isEqualTo(0.95);
    }

    /** Found by a fifth review (2026-12-06): a rate of 0.95 read as 0, and passed a rule holding rates above 0.2. */
    @Test
    void aFractionIsNotTruncated() {
        assertThat(withArgument(0.95).number("arg.amount")).isEqualTo(0.95);
        assertThat(withArgument("0.99").number("arg.amount")).isEqualTo(0.99);
        assertThat(withArgument(-0.5).number("arg.amount")).isEqualTo(-0.5);
        assertThat(withArgument("-12.5").number("arg.amount")).isEqualTo(-12.5);
    }

    @Test
    void integersAreExactUpToTwoToTheFiftyThird() {
        assertThat(withArgument(9_007_199_254_740_992L).number("arg.amount")).isEqualTo(9_007_199_254_740_992.0);
        assertThat(withArgument(9_007_199_254_740_991L).number("arg.amount")).isEqualTo(9_007_199_254_740_991.0);
        assertThat(withArgument("9007199254740991").number("arg.amount")).isEqualTo(9_007_199_254_740_991.0);
        assertThat(withArgument(Long.MAX_VALUE).number("arg.amount")).isEqualTo(9.223372036854775807E18);
    }

    /** Beyond a long, a number is still above every threshold a rule can write (it was the nearest long). */
    @Test
    void aNumberBeyondALongIsStillItsSize() {
        assertThat(withArgument("1e30").number("arg.amount")).isEqualTo(1e30);
        assertThat(withArgument(new BigInteger("1" + "0".repeat(400))).number("arg.amount")).isEqualTo(Double.POSITIVE_INFINITY);
        assertThat(withArgument("-1e400").number("arg.amount")).isEqualTo(Double.NEGATIVE_INFINITY);
        assertThat(withArgument("9".repeat(500)).number("arg.amount")).isEqualTo(Double.POSITIVE_INFINITY);
    }

    /** Found by a review (2026-12-06): "5000" passed a rule on amounts over 1000, and the tool was paid 5000. */
    @Test
    void aNumberWrittenAsAStringIsThatNumber() {
        assertThat(withArgument("5000").number("arg.amount")).isEqualTo(5000);
        assertThat(withArgument(" 5e3 ").number("arg.amount")).isEqualTo(5000);
        assertThat(withArgument("\u0665\u0660\u0660\u0660").number("arg.amount")).isEqualTo(5000); // as Long.parseLong reads it
        // As a double parameter is bound (found by the second reading):
        assertThat(withArgument("5000d").number("arg.amount")).isEqualTo(5000);
        assertThat(withArgument("  5000F ").number("arg.amount")).isEqualTo(5000);
        assertThat(withArgument("0x1.388p12").number("arg.amount")).isEqualTo(5000);
        assertThat(withArgument("0.25d").number("arg.amount")).isEqualTo(0.25);
        assertThat(withArgument("Infinity").number("arg.amount")).isEqualTo(Double.POSITIVE_INFINITY);
        assertThat(withArgument("0".repeat(61) + "5000").number("arg.amount")).isEqualTo(5000);
        assertThat(withArgument(" ".repeat(100) + "5000").number("arg.amount")).isEqualTo(5000);
    }

    @Test
    void whatIsNoNumberIsZero() {
        assertThat(withArgument("five thousand").number("arg.amount")).isZero();
        assertThat(withArgument("").number("arg.amount")).isZero();
        assertThat(withArgument("NaN").number("arg.amount")).isZero();
        assertThat(withArgument(Double.NaN).number("arg.amount")).isZero();
        assertThat(withArgument(true).number("arg.amount")).isZero();
        assertThat(new Action("id", "tool", "pay", "pay", Set.of("pay"), Map.of(), "agent", null, null).number("arg.amount")).isZero();
    }

    /** What a rule compares: a decimal threshold sees the fraction, an integer one (a port, a count) is unchanged. */
    @Test
    void rulesCompareDecimalsAndIntegersAsWritten() throws Exception {
        try (CompiledPolicy policy = new PolicyCompiler().compile(PolicyBundle.of(Map.of("numbers.drl", """
                package rules.numbers;
                import dev.warden.rules.Action;
                global dev.warden.rules.Verdict verdict;

                rule "discounts" when Action(operation == "pay") then verdict.permit("discounts"); end
                rule "above 20%" when Action(number("arg.amount") > 0.2) then verdict.hold("a manager"); end
                rule "negative" when Action(number("arg.amount") < 0) then verdict.deny("a surcharge"); end
                rule "the port" when Action(operation == "CONNECT", number("net.port") == 5432) then verdict.permit("postgres"); end
                rule "many" when Action(operation == "CONNECT", number("net.port") > 1000, number("net.port") != 5432) then verdict.deny("high"); end
                """.getBytes(StandardCharsets.UTF_8))))) {
            assertThat(policy.evaluate(withArgument(0.1)).outcome()).isEqualTo(Outcome.PERMIT);
            assertThat(policy.evaluate(withArgument(0.95)).outcome()).isEqualTo(Outcome.HOLD);
            assertThat(policy.evaluate(withArgument("0.99")).outcome()).isEqualTo(Outcome.HOLD);
            assertThat(policy.evaluate(withArgument(0.2000001)).outcome()).isEqualTo(Outcome.HOLD);
            assertThat(policy.evaluate(withArgument(-0.5)).outcome()).isEqualTo(Outcome.DENY);
            assertThat(policy.evaluate(withArgument(1.5)).outcome()).isEqualTo(Outcome.HOLD);
            assertThat(policy.evaluate(connect(5432)).outcome()).isEqualTo(Outcome.PERMIT);
            assertThat(policy.evaluate(connect(5432L)).outcome()).isEqualTo(Outcome.PERMIT);
            assertThat(policy.evaluate(connect("5432")).outcome()).isEqualTo(Outcome.PERMIT);
            assertThat(policy.evaluate(connect(5433)).outcome()).isEqualTo(Outcome.DENY);
            assertThat(policy.evaluate(connect(80)).outcome()).isEqualTo(Outcome.SILENCE);
        }
    }

    private static Action connect(Object port) {
        return new Action("id", "net", "CONNECT", "db", Set.of("db"), Map.of("net.port", port), "agent", null, null);
    }
}
