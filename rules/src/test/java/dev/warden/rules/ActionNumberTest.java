package dev.warden.rules;

import org.junit.jupiter.api.Test;

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
        assertThat(withArgument(5000L).number("arg.amount")).isEqualTo(5000L);
        assertThat(withArgument(5000.9).number("arg.amount")).isEqualTo(5000L);
    }

    /** Found by a review (2026-12-06): "5000" passed a rule on amounts over 1000, and the tool was paid 5000. */
    @Test
    void aNumberWrittenAsAStringIsThatNumber() {
        assertThat(withArgument("5000").number("arg.amount")).isEqualTo(5000L);
        assertThat(withArgument(" 5e3 ").number("arg.amount")).isEqualTo(5000L);
        assertThat(withArgument("-12.5").number("arg.amount")).isEqualTo(-12L);
        assertThat(withArgument("1e30").number("arg.amount")).isEqualTo(Long.MAX_VALUE);
        // As a double parameter is bound (found by the second reading):
        assertThat(withArgument("5000d").number("arg.amount")).isEqualTo(5000L);
        assertThat(withArgument("  5000F ").number("arg.amount")).isEqualTo(5000L);
        assertThat(withArgument("0x1.388p12").number("arg.amount")).isEqualTo(5000L);
        assertThat(withArgument("Infinity").number("arg.amount")).isEqualTo(Long.MAX_VALUE);
        assertThat(withArgument("0".repeat(61) + "5000").number("arg.amount")).isEqualTo(5000L);
        assertThat(withArgument(" ".repeat(100) + "5000").number("arg.amount")).isEqualTo(5000L);
    }

    @Test
    void whatIsNoNumberIsZero() {
        assertThat(withArgument("five thousand").number("arg.amount")).isZero();
        assertThat(withArgument("").number("arg.amount")).isZero();
        assertThat(withArgument(true).number("arg.amount")).isZero();
        assertThat(new Action("id", "tool", "pay", "pay", Set.of("pay"), Map.of(), "agent", null, null).number("arg.amount")).isZero();
    }
}
