package dev.warden.agent.context;

import dev.warden.rules.state.Window;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ClockCheckedStateStoreTest {

    private static final long NOW = Instant.parse("2026-12-01T10:00:00Z").toEpochMilli();
    private static final Window MINUTE = Window.parse("1m");

    private final InProcessStateStore shared = new InProcessStateStore(() -> NOW);
    private final AtomicLong server = new AtomicLong(NOW);
    private final AtomicInteger asked = new AtomicInteger();

    private ClockCheckedStateStore store() {
        return new ClockCheckedStateStore(shared, () -> {
            asked.incrementAndGet();
            return server.get();
        }, () -> NOW);
    }

    private static Window.Span span() {
        return MINUTE.span(Instant.ofEpochMilli(NOW), ZoneOffset.UTC);
    }

    @Test
    void clocksWithinASecondCountAsUsualAndTheStoresTimeIsNotAskedOnEveryAction() {
        server.set(NOW + ClockCheckedStateStore.MAX_SKEW_MILLIS);
        ClockCheckedStateStore store = store();

        assertThat(store.acquire("limit:l:actor:a", span(), 1, 3).granted()).isTrue();
        assertThat(store.acquire("limit:l:actor:a", span(), 1, 3).granted()).isTrue();
        assertThat(store.total("limit:l:actor:a", span())).isEqualTo(2);
        assertThat(asked).hasValue(1);
    }

    @Test
    void aStoreWhoseClockDiffersByMoreThanASecondRefusesWhatCountsInAWindowNamingTheDifference() {
        server.set(NOW - 120_000);
        ClockCheckedStateStore store = store();

        assertThatThrownBy(() -> store.acquire("limit:l:actor:a", span(), 1, 3)).isInstanceOf(StateStoreException.class)
                .hasMessage("its clock is 120.000 s behind this JVM's (at most 1000 ms apart: windows counted by two clocks do not hold)");
        assertThatThrownBy(() -> store.total("limit:l:actor:a", span())).isInstanceOf(StateStoreException.class);
        assertThat(shared.total("limit:l:actor:a", span())).as("nothing counted").isZero();
        store.addLabels("session:s", Set.of("pii"));
        assertThat(store.labels("session:s")).as("labels are kept by no window").containsExactly("pii");
    }
}
