package dev.warden.e2e;

import com.sun.net.httpserver.HttpServer;
import dev.warden.e2e.host.OutputCapHost;
import dev.warden.e2e.host.ToolCatalogBudgetHost;
import dev.warden.receipts.Receipt;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Found by a review (2026-12-06): a model call's input estimate and bound counted its messages only, while
 * the provider also bills the tool specifications sent with them, which may come from data (a catalog, an
 * MCP server's descriptions). Eight calls of one session at once, each sending a 6000-character CJK tool
 * description (about 6000 tokens), against a 20000-token session budget: calls in flight reserve their
 * input's bound, which now counts the specifications, so the provider bills no more than the budget.
 */
@SameOnEveryJdk
class Lc4jToolCatalogBudgetEndToEndTest {

    private static final long BUDGET = 20_000;

    @Test
    void callsInFlightTogetherReserveTheirToolSpecificationsAndStayWithinTheBudget() throws Exception {
        Path bill = Files.createTempDirectory("lc4j-budget-bill").resolve("bill.txt");
        Receipts store = Receipts.in(Files.createTempDirectory("lc4j-budget"));
        HostJvm.Result host = HostJvm.withAgent(store.agentArguments()).withRules("lc4j-budget").with("surfaces=tool,model")
                .run(ToolCatalogBudgetHost.class, List.of("8", "6000", bill.toString()));

        assertThat(host.exitCode()).as(host.toString()).isZero();
        assertThat(host.lines()).as(host.toString()).contains("DONE")
                .anyMatch(line -> line.startsWith("REFUSED warden: denied by budget:session-tokens"));
        List<Long> bills = Files.readAllLines(bill).stream().map(Long::parseLong).toList();
        assertThat(bills).as("what the provider billed").isNotEmpty().allMatch(tokens -> tokens > 6000);
        assertThat(bills.stream().mapToLong(Long::longValue).sum()).as("tokens billed in all").isLessThanOrEqualTo(BUDGET);

        List<Receipt> receipts = store.all();
        List<Receipt> chats = receipts.stream().filter(r -> r.surface().equals("model") && r.operation().equals("chat")).toList();
        assertThat(chats).hasSize(8);
        assertThat(chats).filteredOn(r -> r.outcome().equals("PERMIT")).hasSize(bills.size());
        assertThat(chats).filteredOn(r -> r.draft().rules().contains("budget:session-tokens")).hasSize(8 - bills.size());
        Receipts.Verification verification = store.verify();
        assertThat(verification.exitCode()).as(verification.output()).isZero();
    }

    /**
     * Found by the eighth review, closed by the ninth (2026-12-07): a budget reserved a call's output as the request's
     * {@code maxOutputTokens}, else the price's {@code max-output}, else nothing, and never told the provider. An AI
     * service whose prompt asks a long answer, on requests naming no maximum, had a model server on 127.0.0.1 write its
     * 5000 tokens against a 3000-token budget. Now the reservation is handed to the request, which the provider sends as
     * {@code max_tokens}: the server, which counts what it was asked and writes no more than allowed, writes within it.
     * <p>
     * {@code streaming-zeroing}, found by the eleventh review (2026-12-07): the application's handler of each streamed
     * token reports usage 0 for the call it runs in, through Warden's public {@code ModelActions.usage} and
     * {@code Gate.observe}, before the provider does. A call's usage is taken once, and the first was: all eight calls ran
     * and the server wrote 4000 tokens against the 3000-token budget. Now only the call's own advice reports.
     */
    @Nested
    class TheProviderIsToldWhatTheBudgetReserved {

        private static final int BUDGET_TOKENS = 3000;

        @ParameterizedTest
        @ValueSource(strings = {"blocking", "streaming", "blocking-options", "streaming-options", "streaming-zeroing"})
        void aRequestNamingNoMaximumAsksForThePricesMaxOutput(String mode) throws Exception {
            ModelServer server = ModelServer.start();
            try {
                Receipts store = Receipts.in(Files.createTempDirectory("lc4j-output-cap"));
                HostJvm.Result host = HostJvm.withAgent(store.agentArguments()).withRules("lc4j-output-cap").with("surfaces=model")
                        .run(OutputCapHost.class, List.of(mode, Integer.toString(server.port()), "8"));

                assertThat(host.exitCode()).as(host.toString()).isZero();
                assertThat(host.lines()).as(host.toString()).contains("DONE")
                        .anyMatch(line -> line.startsWith("REFUSED warden: denied by budget:session-tokens"));
                assertThat(server.written()).as("tokens the server wrote in all").isLessThanOrEqualTo(BUDGET_TOKENS);
                assertThat(server.asked()).as("the max_tokens the server was sent").isNotEmpty().allMatch("500"::equals);
                List<Receipt> permitted = store.all().stream().filter(r -> r.operation().equals("chat") && r.outcome().equals("PERMIT")).toList();
                assertThat(permitted).hasSize(server.asked().size())
                        .allSatisfy(r -> assertThat(r.draft().obligations()).containsEntry("maxOutput", "500"));
                Receipts.Verification verification = store.verify();
                assertThat(verification.exitCode()).as(verification.output()).isZero();
            } finally {
                server.stop();
            }
        }

        @ParameterizedTest
        @ValueSource(strings = {"blocking", "streaming"})
        void underAnUnpricedTokenBudgetTheCallMayWriteWhatTheBudgetHasLeft(String mode) throws Exception {
            ModelServer server = ModelServer.start();
            try {
                Receipts store = Receipts.in(Files.createTempDirectory("lc4j-output-cap-unpriced"));
                HostJvm.Result host = HostJvm.withAgent(store.agentArguments()).withRules("lc4j-output-cap-unpriced").with("surfaces=model")
                        .run(OutputCapHost.class, List.of(mode, Integer.toString(server.port()), "3"));

                assertThat(host.exitCode()).as(host.toString()).isZero();
                assertThat(host.lines()).as(host.toString()).contains("DONE")
                        .anyMatch(line -> line.startsWith("REFUSED warden: denied by budget:session-tokens"));
                assertThat(server.written()).as("tokens the server wrote in all").isLessThanOrEqualTo(BUDGET_TOKENS);
                assertThat(server.asked()).as("the max_tokens the server was sent").isNotEmpty().noneMatch("none"::equals);
            } finally {
                server.stop();
            }
        }
    }

    /**
     * The model server, outside the host: it answers as many tokens as {@code max_tokens} allows, else the long answer
     * the prompt asks for, one a line when streaming, and counts what it was asked and what it wrote.
     */
    private record ModelServer(HttpServer http, Queue<String> asked, java.util.concurrent.atomic.AtomicLong wrote) {

        /** The answer the prompt asks for, in tokens: longer than the budget. */
        private static final int LONG_ANSWER = 5000;

        static ModelServer start() throws java.io.IOException {
            HttpServer http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            ModelServer server = new ModelServer(http, new ConcurrentLinkedQueue<>(), new java.util.concurrent.atomic.AtomicLong());
            http.createContext("/chat", exchange -> {
                String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
                String max = body.lines().filter(line -> line.startsWith("max_tokens: ")).map(line -> line.substring(12).trim())
                        .findFirst().orElse("none");
                boolean stream = body.contains("stream: true");
                int tokens = max.equals("none") ? LONG_ANSWER : Math.min(LONG_ANSWER, Integer.parseInt(max));
                server.asked().add(max);
                server.wrote().addAndGet(tokens);
                exchange.sendResponseHeaders(200, 0);
                try (OutputStream out = exchange.getResponseBody()) {
                    StringBuilder answer = new StringBuilder();
                    for (int i = 0; i < tokens; i++) {
                        answer.append("word").append(stream ? "\n" : i + 1 < tokens ? " " : "");
                    }
                    out.write(answer.toString().getBytes(StandardCharsets.UTF_8));
                }
            });
            http.start();
            return server;
        }

        int port() {
            return http.getAddress().getPort();
        }

        long written() {
            return wrote.get();
        }

        void stop() {
            http.stop(0);
        }
    }
}
