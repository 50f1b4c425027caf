package dev.warden.rules;

import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@code targetsWithin}: the allow-list test for resources, short lists (compared) and long ones (hashed) alike. */
class TargetsWithinTest {

    private static final String[] LONG = {"t0", "t1", "t2", "t3", "t4", "t5", "t6", "t7", "t8", "orders", "items"};

    private static Action touching(String... tables) {
        return new Action("id", "jdbc", "SELECT", tables.length == 0 ? "" : tables[0], Set.of(tables), Map.of(), "agent", null, null);
    }

    @Test
    void everyTargetMustBeListed() {
        assertThat(touching("orders", "items").targetsWithin("items", "orders")).isTrue();
        assertThat(touching("orders").targetsWithin("items", "orders")).isTrue();
        assertThat(touching("orders", "secrets").targetsWithin("items", "orders")).isFalse();
        assertThat(touching("orders", "items").targetsWithin(LONG)).isTrue();
        assertThat(touching("orders", "secrets").targetsWithin(LONG)).isFalse();
    }

    @Test
    void anActionTouchingNothingIsWithinNothing() {
        assertThat(touching().targetsWithin("orders")).isFalse();
        assertThat(touching().targetsWithin("orders", "orders")).isFalse();
    }

    /** As Set.of always did: a rule with such a list fails (and so refuses) for every action that has a target. */
    @Test
    void aListNamingAResourceTwiceFails() {
        assertThatThrownBy(() -> touching("secrets").targetsWithin("orders", "orders"))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("duplicate element: orders");
        assertThatThrownBy(() -> touching("orders").targetsWithin("orders", null)).isInstanceOf(NullPointerException.class);
    }
}
