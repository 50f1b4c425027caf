package dev.warden.e2e;

import dev.warden.e2e.host.TelemetryHost;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.trace.v1.Span;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Decisions in OpenTelemetry, both ways, against an OTLP receiver of the test's own on 127.0.0.1: Warden
 * alone exporting OTLP itself ({@code otlp-endpoint}), and Warden as the OpenTelemetry Java agent's
 * extension, exporting through the agent's SDK. In each, the policy permits no egress at all (the host's
 * own request to the receiver is refused) and the export still arrives: spans carry the decision's
 * attributes, the decision counter counts every permit and denial, and refusals and signed checkpoints
 * are log records; the checkpoint lag and pending approvals are gauges. The host stays up until the periodic export has delivered (short intervals).
 * Warden's own export is flushed at exit after the receipt log closed, so its last checkpoint covers a decision the
 * host's shutdown hook asked for.
 */
class TelemetryEndToEndTest {

    private static final int READS = 5;
    private static final int DELETES = 3;
    /** A SELECT naming this many tables: refused, its reason quoting them all (about 150,000 characters). */
    private static final int TABLES = 8000;
    private static final int MAX_TEXT = 1024;
    private static final long ARRIVAL_SECONDS = 60;

    @TempDir
    Path workspace;

    @Test
    void wardenAloneExportsOtlpItselfThroughAPolicyThatRefusesAllEgress() throws Exception {
        try (OtlpReceiver receiver = new OtlpReceiver()) {
            Receipts store = Receipts.in(workspace);
            HostJvm host = HostJvm.withAgent(store.agentArguments()).withRules("telemetry")
                    .with("otlp-endpoint=" + receiver.endpoint()).with("otlp-interval=300");
            observe(host, receiver);

            // The host's shutdown hook was refused egress once more; the log closed after it, with a checkpoint over
            // every receipt, and only then was the export flushed.
            List<dev.warden.receipts.Receipt> all = store.all();
            assertThat(Receipts.decisions(all.stream().filter(receipt -> receipt.surface().equals("http")).toList()))
                    .as("egress refused in main and in the shutdown hook").isEqualTo(2);
            int receipts = all.size();
            receiver.await("the final checkpoint, over all " + receipts + " receipts, exported after the log closed", ARRIVAL_SECONDS,
                    () -> receiver.logs().stream().anyMatch(log -> Integer.toString(receipts)
                            .equals(OtlpReceiver.attributes(log.getAttributesList()).get("warden.checkpoint.size"))));
        }
    }

    @Test
    void wardenAsTheOpenTelemetryAgentsExtensionExportsThroughTheAgent() throws Exception {
        try (OtlpReceiver receiver = new OtlpReceiver()) {
            Receipts store = Receipts.in(workspace);
            // Two agents instrument the host: its start takes about twice as long.
            HostJvm host = HostJvm.withoutAgent().within(2 * HostJvm.defaultTimeoutSeconds())
                    .jvm("-javaagent:" + System.getProperty("warden.otel.agent.jar"))
                    .jvm("-Dotel.javaagent.extensions=" + HostJvm.agentJar())
                    .jvm("-Dwarden.rules=" + Receipts.rules("telemetry"))
                    .jvm("-Dotel.service.name=telemetry-host")
                    .jvm("-Dotel.exporter.otlp.endpoint=" + receiver.endpoint())
                    .jvm("-Dotel.exporter.otlp.protocol=http/protobuf")
                    .jvm("-Dotel.metric.export.interval=300")
                    .jvm("-Dotel.bsp.schedule.delay=200")
                    .jvm("-Dotel.blrp.schedule.delay=200");
            Arrays.stream(store.agentArguments()).forEach(keyValue -> host.jvm("-Dwarden." + keyValue));
            observe(host, receiver);
        }
    }

    @Test
    void wardensOwnExportRunsNoHttpHookTheHostInstalled() throws Exception {
        // A CookieHandler, a URLStreamHandlerFactory and a SocketImplFactory are JDK-wide and the host's to set: Warden's
        // export, made on a thread whose actions pass ungated, would run them there (builds before did: markers of its
        // threads). The socket factory is refused at its install: every socket of Warden's own would meet it. So is a
        // java.util.logging handler on the logger HttpURLConnection writes its heads to (the thirteenth review: its
        // markers of the export's three threads), whose records on Warden's work are now dropped.
        try (OtlpReceiver receiver = new OtlpReceiver()) {
            Receipts store = Receipts.in(workspace);
            Path markers = Files.createDirectories(workspace.resolve("markers"));
            HostJvm.Result host = HostJvm.withAgent(store.agentArguments()).withRules("telemetry")
                    .with("otlp-endpoint=" + receiver.endpoint()).with("otlp-interval=300")
                    .run(dev.warden.e2e.host.HookedHost.class, List.of(markers.toString()));

            assertThat(host.lines()).as(host.toString()).contains("HOOKED", "STATEMENT ok", "DONE");
            // The export was flushed before the host's JVM exited: any hook it ran has left its marker by now.
            try (var written = Files.list(markers)) {
                assertThat(written.map(marker -> marker.getFileName().toString())).as("hooks that ran ungated").isEmpty();
            }
            List<dev.warden.receipts.Receipt> all = store.all();
            assertThat(all).as("the socket factory's install, refused whatever the policy")
                    .anyMatch(receipt -> receipt.surface().equals("jvm") && receipt.outcome().equals("DENY")
                            && receipt.reason().contains("setSocketImplFactory"));
            int receipts = all.size();
            receiver.await("the final checkpoint, exported through the JDK's own handler", ARRIVAL_SECONDS,
                    () -> receiver.logs().stream().anyMatch(log -> Integer.toString(receipts)
                            .equals(OtlpReceiver.attributes(log.getAttributesList()).get("warden.checkpoint.size"))));
        }
    }

    @Test
    void wardensOwnHttpsExportRunsNoTlsHookTheHostInstalled() throws Exception {
        // HttpsURLConnection's default socket factory and host name verifier are JDK-wide and the host's to set: the
        // previous build's https export asked the host's factory for its socket on a thread whose actions pass
        // ungated (its marker), and never reached the collector. A TCP server stands for it: reaching it is enough.
        try (EgressServers.CountingTcpServer collector = new EgressServers.CountingTcpServer()) {
            Receipts store = Receipts.in(workspace);
            Path markers = Files.createDirectories(workspace.resolve("markers"));
            HostJvm.Result host = HostJvm.withAgent(store.agentArguments()).withRules("telemetry")
                    .with("otlp-endpoint=https://127.0.0.1:" + collector.port()).with("otlp-interval=300")
                    .run(dev.warden.e2e.host.HookedHost.class, List.of(markers.toString()));

            assertThat(host.lines()).as(host.toString()).contains("HOOKED", "STATEMENT ok", "DONE");
            // The export is flushed once more before the host's JVM exits: by now it has connected.
            assertThat(collector.connectionsBeforeNow()).as("Warden's export, over TLS of its own").isPositive();
            try (var written = Files.list(markers)) {
                assertThat(written.map(marker -> marker.getFileName().toString())).as("hooks that ran ungated").isEmpty();
            }
        }
    }

    @Test
    void asTheOpenTelemetryAgentsExtensionWardensExportRunsNoHttpHookTheHostInstalledEither() throws Exception {
        // The agent's OTLP/HTTP export goes through Warden's own connections from the agent's extension loader. And the
        // agent hands its Instrumentation to any code: the host's transformer is refused (a thirteenth review).
        try (OtlpReceiver receiver = new OtlpReceiver()) {
            Receipts store = Receipts.in(workspace);
            Path markers = Files.createDirectories(workspace.resolve("markers"));
            HostJvm host = HostJvm.withoutAgent().within(2 * HostJvm.defaultTimeoutSeconds())
                    .jvm("-javaagent:" + System.getProperty("warden.otel.agent.jar"))
                    .jvm("-Dotel.javaagent.extensions=" + HostJvm.agentJar())
                    .jvm("-Dwarden.rules=" + Receipts.rules("telemetry"))
                    .jvm("-Dotel.service.name=hooked-host")
                    .jvm("-Dotel.exporter.otlp.endpoint=" + receiver.endpoint())
                    .jvm("-Dotel.exporter.otlp.protocol=http/protobuf")
                    .jvm("-Dotel.metric.export.interval=300");
            Arrays.stream(store.agentArguments()).forEach(keyValue -> host.jvm("-Dwarden." + keyValue));

            HostJvm.Result result = host.run(dev.warden.e2e.host.HookedHost.class, List.of(markers.toString()));

            assertThat(result.lines()).as(result.toString()).contains("HOOKED", "STATEMENT ok", "DONE");
            // The agent's Instrumentation is public (its InstrumentationHolder): a transformer of the host's that may
            // retransform would have run after Warden's and taken the advice off (the previous build: a marker of main's).
            assertThat(result.lines()).as(result.toString()).anyMatch(line -> line.startsWith("TRANSFORMER refused: warden: denied"));
            assertThat(store.all()).as("the transformer's install, refused whatever the policy")
                    .anyMatch(receipt -> receipt.surface().equals("jvm") && receipt.outcome().equals("DENY")
                            && receipt.reason().contains("Instrumentation.addTransformer"));
            receiver.await("the decisions, exported through the JDK's own handler", ARRIVAL_SECONDS,
                    () -> receiver.counter("warden.decisions", Map.of("warden.surface", "jdbc", "warden.outcome", "PERMIT")) >= 1);
            try (var written = Files.list(markers)) {
                assertThat(written.map(marker -> marker.getFileName().toString())).as("hooks that ran ungated").isEmpty();
            }
        }
    }

    private void observe(HostJvm host, OtlpReceiver receiver) throws Exception {
        Path errors = workspace.resolve("host.err");
        HostJvm.Running running = host.errorsTo(errors)
                .start(TelemetryHost.class, List.of(Integer.toString(READS), Integer.toString(DELETES), receiver.endpoint() + "/egress",
                        Integer.toString(TABLES)));
        try {
            assertThat(running.awaitLine("READS")).isEqualTo("READS ok=" + READS);
            assertThat(running.awaitLine("DELETES")).isEqualTo("DELETES denied=" + DELETES);
            assertThat(running.awaitLine("LONG")).isEqualTo("LONG denied=1");
            assertThat(running.awaitLine("EGRESS")).startsWith("EGRESS denied: warden: denied");
            running.awaitLine("READY");

            Map<String, String> permits = Map.of("warden.surface", "jdbc", "warden.outcome", "PERMIT", "warden.rule", "orders are readable");
            Map<String, String> denials = Map.of("warden.surface", "jdbc", "warden.outcome", "DENY", "warden.rule", "orders are never deleted");
            receiver.await("the decision counter at " + READS + " permits and " + DELETES + " denials", ARRIVAL_SECONDS,
                    () -> receiver.counter("warden.decisions", permits) == READS && receiver.counter("warden.decisions", denials) == DELETES);
            receiver.await("the latency histogram and receipts counter", ARRIVAL_SECONDS,
                    () -> receiver.hasMetric("warden.decision.duration") && receiver.counter("warden.receipts.appended", Map.of("warden.surface", "jdbc")) >= READS + DELETES);
            receiver.await("a span of each decision's outcome", ARRIVAL_SECONDS,
                    () -> spanOf(receiver, "DENY") != null && spanOf(receiver, "PERMIT") != null);
            Map<String, String> denied = OtlpReceiver.attributes(spanOf(receiver, "DENY").getAttributesList());
            assertThat(denied).containsEntry("warden.surface", "jdbc").containsEntry("warden.operation", "DELETE")
                    .containsEntry("warden.rules", "orders are never deleted").containsEntry("warden.enforced", "true")
                    .containsKeys("warden.receipt.id", "warden.policy.version", "warden.reason", "warden.target");
            assertThat(denied.get("warden.target")).isEqualTo("orders");
            // The refusal of the long SELECT: its reason (and target) cut to a kilobyte character, with its full length,
            // on the span and in the log record, so one statement cannot make an export batch too large for a collector.
            receiver.await("the long SELECT's refusal as a span and a log record", ARRIVAL_SECONDS,
                    () -> spanOf(receiver, "SILENCE") != null && receiver.logs().stream().anyMatch(log -> body(log).contains("no rule permits jdbc SELECT")));
            Map<String, String> silenced = OtlpReceiver.attributes(spanOf(receiver, "SILENCE").getAttributesList());
            String reason = silenced.get("warden.reason");
            assertThat(reason.length()).as("warden.reason's length").isLessThanOrEqualTo(MAX_TEXT); // the previous build: 150,980
            assertThat(reason).startsWith("no rule permits jdbc SELECT on ").containsPattern("\\.\\.\\.\\[cut: [0-9]{6} chars\\]$");
            // Warden's attributes; under the OpenTelemetry agent they are on its JDBC span, whose db.* are the agent's.
            assertThat(silenced).allSatisfy((key, value) -> assertThat(value.length()).as(key)
                    .isLessThanOrEqualTo(key.startsWith("warden.") || key.startsWith("gen_ai.") ? MAX_TEXT : Integer.MAX_VALUE));
            assertThat(receiver.logs().stream().map(TelemetryEndToEndTest::body).filter(body -> body.contains("no rule permits jdbc SELECT")))
                    .allSatisfy(body -> {
                        assertThat(body.length()).as("the refusal's log record").isLessThanOrEqualTo(MAX_TEXT);
                        assertThat(body).endsWith(" chars]");
                    });
            receiver.await(DELETES + " refusals and a signed checkpoint as log records", ARRIVAL_SECONDS,
                    () -> receiver.logs().stream().filter(log -> body(log).startsWith("warden: denied by orders are never deleted")).count() >= DELETES
                            && receiver.logs().stream().anyMatch(log -> OtlpReceiver.attributes(log.getAttributesList()).containsKey("warden.checkpoint.size")));
            // Gauges read at each export: once the idle host's checkpoint covers every receipt, no lag; no approval open.
            receiver.await("the checkpoint lag at 0, its age, and no pending approval", ARRIVAL_SECONDS,
                    () -> receiver.gauge("warden.checkpoint.lag") == 0 && receiver.gauge("warden.checkpoint.age") >= 0
                            && receiver.gauge("warden.approvals.pending") == 0);
        } finally {
            running.process().getOutputStream().close(); // the host exits
            running.process().waitFor(ARRIVAL_SECONDS, TimeUnit.SECONDS);
        }
        assertThat(running.process().exitValue()).as(Files.readString(errors)).isZero();
    }

    private static Span spanOf(OtlpReceiver receiver, String outcome) {
        return receiver.spans().stream()
                .filter(span -> outcome.equals(OtlpReceiver.attributes(span.getAttributesList()).get("warden.outcome"))
                        && "jdbc".equals(OtlpReceiver.attributes(span.getAttributesList()).get("warden.surface")))
                .findFirst().orElse(null);
    }

    private static String body(LogRecord log) {
        return log.getBody().getStringValue();
    }
}
