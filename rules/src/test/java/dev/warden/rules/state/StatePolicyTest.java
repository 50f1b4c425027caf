package dev.warden.rules.state;

import dev.warden.rules.PolicyFile;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The state sections of a policy file: SCENARIOS.md's text is accepted as written, mistakes are named. */
class StatePolicyTest {

    private static final String SCENARIOS = """
            pricing:                       # per million tokens
              gpt-4o: {input: 2.50, output: 10.00, max-output: 4096}
              default: {input: 1.00, output: 1.00, max-output: 1024}
            budgets:
              - name: daily-spend
                per: session               # actor | session | user
                cost: 50.00
                window: 1d                 # calendar day in the policy's time zone (UTC unless `zone:` says)
              - name: session-tokens
                per: session
                tokens: 50000
            chains:
              - name: no-egress-after-pii
                after: [label:pii]         # once the session did an action carrying any of these labels...
                deny: [http:*:post, tool:email:send:external]    # ...these scopes are refused for the rest of it
            limits:
              - name: ops-per-minute
                per: actor
                max: 100
                window: 1m
                scopes: ["**"]             # optional: which actions count (default: all)
            loops:
              - name: same-call
                max: 5
                within: 60s
            """;

    @Test
    void theScenariosTextIsAcceptedAsWritten() {
        StatePolicy policy = parse(SCENARIOS);

        assertThat(policy.priceOf("gpt-4o")).satisfies(price -> {
            assertThat(price.inputNanosPerToken()).isEqualTo(2_500);
            assertThat(price.outputNanosPerToken()).isEqualTo(10_000);
            assertThat(price.maxOutput()).isEqualTo(4096);
        });
        assertThat(policy.priceOf("some-other-model").maxOutput()).isEqualTo(1024);
        assertThat(policy.budgets()).extracting(Budget::name, Budget::per, Budget::max)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("daily-spend", Per.SESSION, 50_000_000_000L),
                        org.assertj.core.groups.Tuple.tuple("session-tokens", Per.SESSION, 50_000L));
        assertThat(policy.limits()).singleElement().satisfies(limit -> {
            assertThat(limit.max()).isEqualTo(100);
            assertThat(limit.scopes().everything()).isTrue();
            assertThat(limit.window().millis()).isEqualTo(60_000);
        });
        assertThat(policy.loops()).singleElement().satisfies(loop -> assertThat(loop.within().text()).isEqualTo("60s"));
        assertThat(policy.chains()).singleElement().satisfies(chain -> {
            assertThat(chain.afterLabels()).containsExactly("pii");
            assertThat(chain.deny().scopes()).hasSize(2);
        });
    }

    @Test
    void pricesAreExactAndNeverRoundedDown() {
        Price price = new Price(new BigDecimal("2.50"), new BigDecimal("0.0001"), 1);
        assertThat(price.costNanos(28_000, 0)).as("0.07 dollars").isEqualTo(70_000_000L);
        assertThat(price.outputNanosPerToken()).as("a tenth of a nano-dollar rounds up").isEqualTo(1);
    }

    @Test
    void slidingWindowsCountAWindowAndASixtiethAtMostAndCalendarWindowsFollowTheZone() {
        Window minute = Window.parse("1m");
        Window.Span span = minute.span(Instant.parse("2026-12-01T10:00:30.500Z"), ZoneOffset.UTC);
        assertThat(span.current() - span.oldest()).isEqualTo(60);
        assertThat(minute.span(Instant.parse("2026-12-01T10:01:31Z"), ZoneOffset.UTC).oldest()).isGreaterThan(span.current());

        Window day = Window.parse("1d");
        ZoneId paris = ZoneId.of("Europe/Paris");
        assertThat(day.span(Instant.parse("2026-12-01T22:59:00Z"), paris).current())
                .as("23:59 in Paris is still the 1st").isEqualTo(java.time.LocalDate.of(2026, 12, 1).toEpochDay());
        assertThat(day.span(Instant.parse("2026-12-01T23:00:00Z"), paris).current())
                .isEqualTo(java.time.LocalDate.of(2026, 12, 2).toEpochDay());
        assertThat(Window.parse("1mo").span(Instant.parse("2026-12-31T10:00:00Z"), ZoneOffset.UTC).current())
                .isEqualTo(java.time.LocalDate.of(2026, 12, 1).toEpochDay());
    }

    @Test
    void mistakesAreNamedWithWhereTheyAre() {
        assertThatThrownBy(() -> parse("limits:\n  - {name: x, max: 0, window: 1m}"))
                .hasMessageContaining("limit x, max must be a whole number above zero");
        assertThatThrownBy(() -> parse("limits:\n  - {name: x, max: 5, window: 2d}"))
                .hasMessageContaining("calendar windows are 1d, 1w or 1mo");
        assertThatThrownBy(() -> parse("limits:\n  - {name: x, max: 5}")).hasMessageContaining("limit x needs window");
        assertThatThrownBy(() -> parse("budgets:\n  - {name: b, cost: 5, tokens: 5}"))
                .hasMessageContaining("budget b must set exactly one of cost and tokens");
        assertThatThrownBy(() -> parse("budgets:\n  - {name: b, cost: 5}"))
                .hasMessageContaining("budget b counts cost, but no pricing says what a model call costs");
        assertThatThrownBy(() -> parse("budgets:\n  - {name: b, tokens: 5, window: 10m}"))
                .hasMessageContaining("a budget's window is a calendar one");
        assertThatThrownBy(() -> parse("chains:\n  - {name: c, after: [pii], deny: [http:*:post]}"))
                .hasMessageContaining("'pii' is not a label (write label:NAME)");
        assertThatThrownBy(() -> parse("loops:\n  - {name: l, max: 5, within: 60s}\nlimits:\n  - {name: l, max: 5, window: 1m}"))
                .hasMessageContaining("'l' is defined twice");
        assertThatThrownBy(() -> parse("limits:\n  - {name: x, max: 5, window: 1m, per: team}"))
                .hasMessageContaining("per must be actor, session or user");
        assertThatThrownBy(() -> parse("limit:\n  - {name: x}")).hasMessageContaining("unknown key 'limit'");
        assertThatThrownBy(() -> parse("zone: Mars/Olympus")).hasMessageContaining("unknown time zone 'Mars/Olympus'");
    }

    @Test
    void aFileWithOnlyStateSectionsDefinesNoRoles() {
        assertThat(PolicyFile.parse(SCENARIOS.getBytes(StandardCharsets.UTF_8)).roles()).isNull();
    }

    private static StatePolicy parse(String yaml) {
        return PolicyFile.parse(yaml.getBytes(StandardCharsets.UTF_8)).state();
    }
}
