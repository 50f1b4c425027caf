package dev.warden.e2e;

import dev.warden.e2e.host.AsyncCallbacksHost;
import dev.warden.receipts.Receipt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Found by a fifth review (2026-12-06): a {@code CompletableFuture} callback of the JDK {@code HttpClient}
 * ran on the client's own threads as the configured actor with no session, so a tool escaped its session's
 * chain and limits by acting in {@code sendAsync(GET).thenCompose(r -> sendAsync(POST))}. A LangChain4j AI
 * service's tools, in a host JVM with only {@code -javaagent}, act in such callbacks (on the default client
 * and on one whose executor is the application's), and in a callback another session's thread completes:
 * each runs for the session that registered it. The counting server says what was really sent; the
 * receipts, checked by the verifier, whose session each decision was.
 */
class AsyncCallbackIdentityEndToEndTest {

    @TempDir
    Path workspace;

    @Test
    void aCallbackOfTheJdkHttpClientActsForTheSessionThatRegisteredIt() throws Exception {
        Receipts store = Receipts.in(workspace);
        HostJvm.Result host;
        try (EgressServers.CountingHttpServer api = new EgressServers.CountingHttpServer()) {
            host = HostJvm.withAgent(store.agentArguments()).withRules("async-callbacks").with("surfaces=jdbc,tool,model,http")
                    .run(AsyncCallbacksHost.class, List.of(Integer.toString(api.port()),
                            "read|s3", "post|s3|default", "post|s3|executor", "register|s3",
                            "post|s4|default", "complete|s4",
                            "gets|s5"));

            assertThat(host.lines()).as(host.toString()).contains("DONE");
            // s3 read personal data: no POST of its own, direct or in a callback, whoever completes that callback.
            assertThat(host.lines()).as(host.toString()).filteredOn(line -> line.startsWith("SENT session=s3"))
                    .hasSize(5).allSatisfy(line -> assertThat(line).contains("refused=warden: denied by chain:no-post-after-pii"));
            for (String via : List.of("direct-default", "callback-default", "direct-executor", "callback-executor", "registered")) {
                assertThat(api.requests("/upload/s3/" + via)).as("POST " + via + " of s3 reached the server").isZero();
            }
            assertThat(api.requests("/page/s3/1")).as("the GET before the callback").isEqualTo(2);
            // s4 read nothing: its POSTs go out, and completing s3's signal did not send s3's POST as s4.
            assertThat(host.lines()).contains("SENT session=s4 via=direct-default path=/upload/s4/direct-default status=200",
                    "SENT session=s4 via=callback-default path=/upload/s4/callback-default status=200");
            assertThat(api.requests("/upload/s4/callback-default")).isEqualTo(1);
            // s5 may read two pages: the third, sent in the second's callback, counts in s5 and is refused.
            assertThat(host.lines()).anySatisfy(line -> assertThat(line).startsWith("SENT session=s5 via=chain refused=")
                    .contains("warden: denied by limit:pages-per-session"));
            assertThat(api.requests("/page/s5/1")).isEqualTo(1);
            assertThat(api.requests("/page/s5/2")).isEqualTo(1);
            assertThat(api.requests("/page/s5/3")).as("the third page").isZero();
        }

        List<Receipt> receipts = store.all();
        assertThat(receipts).as("every refusal of the chain names s3, the session that registered the callback")
                .filteredOn(r -> r.draft().rules().contains("chain:no-post-after-pii"))
                .hasSize(5)
                .allSatisfy(r -> {
                    assertThat(r.surface()).isEqualTo("http");
                    assertThat(r.session()).isEqualTo("s3");
                    assertThat(r.outcome()).isEqualTo("DENY");
                });
        assertThat(receipts).filteredOn(r -> r.draft().rules().contains("chain:no-post-after-pii"))
                .extracting(r -> r.draft().summary().get("url.path"))
                .containsExactlyInAnyOrder("/upload/s3/direct-default", "/upload/s3/callback-default", "/upload/s3/direct-executor",
                        "/upload/s3/callback-executor", "/upload/s3/registered");
        assertThat(receipts).as("the callbacks' GETs and POSTs were decided for their sessions")
                .filteredOn(r -> r.surface().equals("http") && r.draft().summary().getOrDefault("url.path", "").matches("/(page|upload)/s[345]/.*"))
                .allSatisfy(r -> assertThat(r.session()).isEqualTo(r.draft().summary().get("url.path").split("/")[2]));
        assertThat(receipts).filteredOn(r -> r.draft().rules().contains("limit:pages-per-session"))
                .singleElement().satisfies(r -> {
                    assertThat(r.session()).isEqualTo("s5");
                    assertThat(r.draft().summary()).containsEntry("url.path", "/page/s5/3");
                });
        assertThat(store.verify().exitCode()).isZero();
    }

    /**
     * Found by a second reading of that fix: closing a {@code WardenContext.actAs} scope left an empty identity on
     * the thread, and a stage made there afterwards ran for nobody instead of the future it depends on. A service
     * method under {@code actAs(s6)} on the main thread reads personal data and returns a GET's future; its caller
     * chains a POST on it once the scope has closed: the POST is refused for s6 and never sent.
     */
    @Test
    void aStageMadeAfterAnExplicitScopeClosedActsForTheFutureItDependsOn() throws Exception {
        Receipts store = Receipts.in(workspace);
        HostJvm.Result host;
        try (EgressServers.CountingHttpServer api = new EgressServers.CountingHttpServer()) {
            host = HostJvm.withAgent(store.agentArguments()).withRules("async-callbacks").with("surfaces=jdbc,tool,model,http")
                    .run(AsyncCallbacksHost.class, List.of(Integer.toString(api.port()), "service|s6"));

            assertThat(host.lines()).as(host.toString()).contains("DONE");
            assertThat(host.lines()).as(host.toString()).filteredOn(line -> line.startsWith("SENT session=s6"))
                    .singleElement().satisfies(line -> assertThat(line).startsWith("SENT session=s6 via=after-scope refused=")
                            .contains("warden: denied by chain:no-post-after-pii"));
            assertThat(api.requests("/page/s6/1")).as("the GET the service sent in its scope").isEqualTo(1);
            assertThat(api.requests("/upload/s6/after-scope")).as("the POST in the GET's callback reached the server").isZero();
        }

        assertThat(store.all()).filteredOn(r -> r.draft().rules().contains("chain:no-post-after-pii"))
                .singleElement().satisfies(r -> {
                    assertThat(r.session()).isEqualTo("s6");
                    assertThat(r.outcome()).isEqualTo("DENY");
                    assertThat(r.draft().summary()).containsEntry("url.path", "/upload/s6/after-scope");
                });
        assertThat(store.verify().exitCode()).isZero();
    }

    /**
     * Found by the same reading (JDK 25): {@code CompletableFuture.delayedExecutor} and {@code ForkJoinPool.schedule}
     * delay through the pool's own scheduler thread, which submitted the task for nobody. A tool of s7, after s7 read
     * personal data, sends a POST from a task run 200 ms later either way: both are refused for s7 and never sent. On
     * JDK 17 the delayed executor goes through a {@code ScheduledThreadPoolExecutor}, and the pool cannot schedule.
     */
    @Test
    void aTaskRunLaterActsForTheSessionThatScheduledIt() throws Exception {
        Receipts store = Receipts.in(workspace);
        HostJvm.Result host;
        List<String> ways;
        try (EgressServers.CountingHttpServer api = new EgressServers.CountingHttpServer()) {
            host = HostJvm.withAgent(store.agentArguments()).withRules("async-callbacks").with("surfaces=jdbc,tool,model,http")
                    .run(AsyncCallbacksHost.class, List.of(Integer.toString(api.port()), "read|s7", "later|s7"));

            assertThat(host.lines()).as(host.toString()).contains("DONE");
            String java = host.lines().stream().filter(line -> line.startsWith("JAVA ")).findFirst().orElseThrow();
            boolean poolSchedules = Integer.parseInt(java.substring("JAVA ".length())) >= 25;
            ways = poolSchedules ? List.of("delayed-executor", "fjp-schedule") : List.of("delayed-executor");
            if (!poolSchedules) {
                assertThat(host.lines()).contains("SKIPPED session=s7 via=fjp-schedule");
            }
            assertThat(host.lines()).as(host.toString()).filteredOn(line -> line.startsWith("SENT session=s7"))
                    .hasSize(ways.size()).allSatisfy(line -> assertThat(line).contains("refused=")
                            .contains("warden: denied by chain:no-post-after-pii"));
            for (String via : List.of("delayed-executor", "fjp-schedule")) {
                assertThat(api.requests("/upload/s7/" + via)).as("POST " + via + " of s7 reached the server").isZero();
            }
        }

        assertThat(store.all()).filteredOn(r -> r.draft().rules().contains("chain:no-post-after-pii"))
                .allSatisfy(r -> assertThat(r.session()).isEqualTo("s7"))
                .extracting(r -> r.draft().summary().get("url.path"))
                .containsExactlyInAnyOrderElementsOf(ways.stream().map(via -> "/upload/s7/" + via).toList());
        assertThat(store.verify().exitCode()).isZero();
    }
}
