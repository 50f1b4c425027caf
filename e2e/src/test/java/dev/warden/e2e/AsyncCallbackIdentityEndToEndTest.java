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
}
