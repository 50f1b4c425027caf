package dev.warden.e2e;

import dev.warden.e2e.host.ContextHost;
import dev.warden.receipts.Receipt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Scenarios S3, S6 and S7: decisions that depend on what the agent already did, in a host JVM with
 * only {@code -javaagent}, a real LangChain4j AI service over a scripted model that reports real token
 * usage, the policy file exactly as SCENARIOS.md writes it (rules/context/scenarios.yaml), receipts
 * checked by the verifier.
 */
@SameOnEveryJdk
class DecisionsInContextEndToEndTest {

    private static final Pattern ARITHMETIC = Pattern.compile("budget daily-spend: (\\d+\\.\\d+) \\+ (\\d+\\.\\d+) > 50\\.00 today for session s3");

    @TempDir
    Path workspace;

    @Test
    void s3_theCallThatWouldOverspendTheDayIsRefusedShowingTheArithmeticAndARestartStillRefusesIt() throws Exception {
        Receipts store = Receipts.in(workspace);
        // 1,000 tokens in at 2.50 and 4,992,750 out at 10.00 per million: 49.93 spent.
        HostJvm.Result first = host(store).run(ContextHost.class, List.of(
                "chat|s3|100|1000|4992750",
                "chat|s3|110000|10|10",
                "chat|other|110000|10|10"));

        assertThat(first.step(0)).as(first.toString()).startsWith("OK step=0 answer=");
        String refusal = first.step(1);
        assertThat(refusal).startsWith("DENIED step=1").contains("warden: denied by budget:daily-spend");
        assertTheArithmeticHolds(refusal);
        assertThat(first.step(2)).as("another session spent nothing").startsWith("OK step=2");

        List<Receipt> receipts = store.all();
        Receipt usage = receipts.stream().filter(r -> r.draft().operation().equals("usage") && r.session().equals("s3"))
                .findFirst().orElseThrow();
        assertThat(usage.draft().summary().get("state.budgets")).startsWith("daily-spend 49.93 spent of 50.00 today (this call 49.93)");
        Receipt denied = receipts.stream().filter(r -> r.draft().rules().contains("budget:daily-spend")).findFirst().orElseThrow();
        assertThat(denied.draft().outcome()).isEqualTo("DENY");
        assertThat(denied.draft().summary().get("state.budgets")).startsWith("daily-spend 49.93 spent + ").contains("(refused)");
        assertThat(store.verify().exitCode()).isZero();

        // A restart: the spend comes back from the receipt log.
        HostJvm.Result second = host(store).run(ContextHost.class, List.of(
                "chat|s3|110000|10|10",
                "chat|s3-tomorrow|100|10|10"));
        assertTheArithmeticHolds(second.step(0));
        assertThat(second.step(0)).as(second.toString()).startsWith("DENIED step=0").contains("warden: denied by budget:daily-spend");
        // (The same session is over its session-tokens budget of the same policy too: ~5M tokens were spent.)
        assertThat(second.step(0)).contains("budget session-tokens: 4993750 + ");
        assertThat(second.step(1)).as("another session still may").startsWith("OK step=1");
        assertThat(store.verify().exitCode()).isZero();
    }

    @Test
    void s6_theHundredAndFirstOperationInAMinuteIsRefusedWithTheCount() throws Exception {
        Receipts store = Receipts.in(workspace);
        HostJvm.Result host = host(store).run(ContextHost.class, List.of("jdbc|120"));

        List<String> refused = host.lines().stream().filter(line -> line.startsWith("REFUSED statement=")).toList();
        assertThat(host.step(0)).as(host.toString()).startsWith("OK step=0 ran=" + (120 - refused.size()));
        assertThat(refused).isNotEmpty().allSatisfy(line -> assertThat(line)
                .contains("warden: denied by limit:ops-per-minute: limit ops-per-minute: 101 > 100 in 1m for actor agent"));
        List<Receipt> receipts = store.all();
        assertThat(receipts).as("every action of the actor counts, the driver's own statements too")
                .filteredOn(r -> r.draft().outcome().equals("PERMIT")).hasSize(100);
        List<Receipt> limited = receipts.stream().filter(r -> r.draft().rules().contains("limit:ops-per-minute")).toList();
        assertThat(Receipts.decisions(limited)).as("each refusal, counted when repeated").isEqualTo(refused.size());
        assertThat(limited).allSatisfy(r -> assertThat(r.draft().summary()).containsEntry("state.limits", "ops-per-minute 101 of 100 in 1m (refused)"));
        assertThat(store.verify().exitCode()).isZero();
    }

    @Test
    void s6_aSessionOverItsTokenBudgetIsRefusedWithTheCount() throws Exception {
        Receipts store = Receipts.in(workspace);
        HostJvm.Result host = host(store).run(ContextHost.class, List.of(
                "chat|tokens|100|1000|49000",
                "chat|tokens|100|1|1",
                "chat|fresh|100|1|1"));

        assertThat(host.step(0)).as(host.toString()).startsWith("OK step=0");
        assertThat(host.step(1)).startsWith("DENIED step=1")
                .containsPattern("warden: denied by budget:session-tokens: budget session-tokens: 50000 \\+ \\d+ > 50000 in total for session tokens");
        assertThat(host.step(2)).startsWith("OK step=2");
        assertThat(store.verify().exitCode()).isZero();
    }

    @Test
    void s7_theSixthIdenticalToolCallIsRefusedAndTheConversationGoesOn() throws Exception {
        Receipts store = Receipts.in(workspace);
        HostJvm.Result host = host(store).run(ContextHost.class, List.of("loop|s7|7", "loop|elsewhere|2"));

        assertThat(host.step(0)).as(host.toString()).startsWith("OK step=0 answer=done after 7 tool calls");
        assertThat(host.lines()).filteredOn(line -> line.equals("BODY run=0 tool=lookup_note")).hasSize(5);
        List<String> results = host.lines().stream().filter(line -> line.startsWith("TOOL run=0")).toList();
        assertThat(results).hasSize(7);
        assertThat(results.subList(0, 5)).allSatisfy(line -> assertThat(line).startsWith("TOOL run=0 error=false"));
        assertThat(results.subList(5, 7)).allSatisfy(line -> assertThat(line).startsWith("TOOL run=0 error=true")
                .contains("warden: denied by loop:same-call: loop same-call: the same tool lookup_note 6 times in 60s (at most 5) in session s7"));
        assertThat(host.lines()).as("another session's same call").filteredOn(line -> line.equals("BODY run=1 tool=lookup_note")).hasSize(2);

        List<Receipt> receipts = store.all();
        assertThat(receipts).filteredOn(r -> r.draft().rules().contains("loop:same-call")).hasSize(2)
                .allSatisfy(r -> assertThat(r.session()).isEqualTo("s7"));
        assertThat(store.verify().exitCode()).isZero();
    }

    /** Found by a review (2026-12-06): a model that spells the same call another way each time was never a loop. */
    @Test
    void s7_theSameToolCallSpelledAnotherWayEachTimeIsStillTheSameCall() throws Exception {
        Receipts store = Receipts.in(workspace);
        HostJvm.Result host = host(store).run(ContextHost.class, List.of("loop-respelled|s7|7"));

        assertThat(host.step(0)).as(host.toString()).startsWith("OK step=0 answer=done after 7 tool calls");
        assertThat(host.lines()).filteredOn(line -> line.equals("BODY run=0 tool=lookup_note")).hasSize(5);
        assertThat(host.lines()).filteredOn(line -> line.startsWith("TOOL run=0 error=true")).hasSize(2)
                .allSatisfy(line -> assertThat(line).contains("the same tool lookup_note 6 times in 60s (at most 5) in session s7"));
        assertThat(store.all()).filteredOn(r -> r.draft().rules().contains("loop:same-call")).hasSize(2);
        assertThat(store.verify().exitCode()).isZero();
    }

    @Test
    void s5_afterAToolReadCustomerDataAnotherToolsUploadInTheSameSessionIsRefusedAcrossSurfaces() throws Exception {
        Receipts store = Receipts.in(workspace);
        List<String> arrivals = new java.util.concurrent.CopyOnWriteArrayList<>();
        com.sun.net.httpserver.HttpServer server = com.sun.net.httpserver.HttpServer.create(
                new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            arrivals.add(exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath());
            exchange.getRequestBody().readAllBytes();
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        server.start();
        HostJvm.Result host;
        try {
            int port = server.getAddress().getPort();
            host = HostJvm.withAgent(store.agentArguments()).withRules("context").with("surfaces=jdbc,tool,model,http")
                    .run(ContextHost.class, List.of("exfil|tainted|" + port + "|read", "exfil|clean|" + port + "|none"));
        } finally {
            server.stop(0);
        }

        assertThat(host.lines()).as(host.toString()).contains("BODY run=0 tool=customer_lookup", "BODY run=0 tool=upload_report");
        assertThat(host.lines()).filteredOn(line -> line.startsWith("UPLOAD run=0")).singleElement().asString()
                .contains("refused=warden: denied by chain:no-egress-after-pii");
        assertThat(host.lines()).as("the external e-mail is refused too").doesNotContain("BODY run=0 tool=email_send");
        assertThat(host.lines()).contains("UPLOAD run=1 status=200", "BODY run=1 tool=email_send");
        assertThat(arrivals).as("what reached the server").containsExactly("POST /upload/1");

        List<Receipt> receipts = store.all();
        assertThat(receipts).as("the JDBC read inside the tool carries the tool call's session")
                .anySatisfy(r -> {
                    assertThat(r.surface()).isEqualTo("jdbc");
                    assertThat(r.target()).isEqualTo("customers");
                    assertThat(r.session()).isEqualTo("tainted");
                    assertThat(r.draft().summary()).containsEntry("labels", "pii");
                });
        assertThat(receipts).filteredOn(r -> r.draft().rules().contains("chain:no-egress-after-pii"))
                .extracting(Receipt::surface).containsExactlyInAnyOrder("http", "tool");
        assertThat(receipts).filteredOn(r -> r.draft().rules().contains("chain:no-egress-after-pii"))
                .allSatisfy(r -> assertThat(r.session()).isEqualTo("tainted"));
        assertThat(store.verify().exitCode()).isZero();
    }

    private static HostJvm host(Receipts store) {
        return HostJvm.withAgent(store.agentArguments()).withRules("context").with("surfaces=jdbc,tool,model");
    }

    /** The reason's numbers are the real ones: spent plus estimate is more than the budget. */
    private static void assertTheArithmeticHolds(String refusal) {
        Matcher numbers = ARITHMETIC.matcher(refusal);
        assertThat(numbers.find()).as(refusal).isTrue();
        assertThat(new BigDecimal(numbers.group(1))).isEqualByComparingTo("49.93");
        assertThat(new BigDecimal(numbers.group(1)).add(new BigDecimal(numbers.group(2)))).isGreaterThan(new BigDecimal("50.00"));
    }
}
