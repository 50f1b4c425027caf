package dev.warden.e2e;

import dev.warden.e2e.host.LambdaToolsHost;
import dev.warden.receipts.Receipt;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/**
 * Found by a review (2026-12-06): tool executors written as lambdas ({@code (request, memoryId) -> ...}) are
 * hidden classes, which the transformer never sees, and LangChain4j 1.0.0's AI services call their
 * {@code execute} themselves: refused tools ran with no receipt. Given with {@code .tools(Map)} or by a
 * {@code ToolProvider} lambda, to a synchronous or a streaming AI service, on the oldest version and the current one, and run by the application's
 * own loop through {@code executeWithContext} (1.4+), every call is decided: the refused ones never run
 * (no marker file), the permitted one does, and each has a verified receipt. So is an executor whose {@code execute}
 * is inherited from a class that is no executor, which the executor hook never advised (a second reading).
 */
class Lc4jLambdaToolsEndToEndTest {

    @ParameterizedTest(name = "{1} on {0}")
    @CsvSource({"lc4j-oldest, map", "lc4j-oldest, provider", "lc4j-oldest, stream", "default, map", "default, provider",
            "default, stream", "default, context", "lc4j-oldest, inherited", "default, inherited"})
    void refusedLambdaToolsNeverRunAndEveryCallHasAReceipt(String version, String mode) throws Exception {
        Path markers = Files.createTempDirectory("lc4j-lambda-markers");
        Receipts store = Receipts.in(Files.createTempDirectory("lc4j-lambda"));
        HostJvm jvm = HostJvm.withAgent(store.agentArguments()).withRules("lc4j-lambda").with("surfaces=tool,model");
        if (!version.equals("default")) {
            jvm = jvm.onClassPath(version);
        }
        HostJvm.Result host = jvm.run(LambdaToolsHost.class, List.of(mode, markers.toString(), "s-" + mode));

        assertThat(host.exitCode()).as(host.toString()).isZero();
        assertThat(host.lines()).as(host.toString())
                .anyMatch(line -> line.startsWith("TOOL tool=lookup_note result=ran lookup_note"))
                .anyMatch(line -> line.startsWith("TOOL tool=delete_note result=warden: denied by default-deny"))
                .anyMatch(line -> line.startsWith("TOOL tool=wire_money result=warden: denied by default-deny"))
                .contains("DONE");
        assertThat(markerNames(markers)).as("tool bodies that ran").containsExactly("lookup_note-call-0");

        List<Receipt> receipts = store.all();
        assertThat(receipts.stream().filter(r -> r.surface().equals("tool")))
                .extracting(Receipt::operation, Receipt::outcome, Receipt::session)
                .containsExactly(tuple("lookup_note", "PERMIT", "s-" + mode), tuple("delete_note", "SILENCE", "s-" + mode),
                        tuple("wire_money", "SILENCE", "s-" + mode));
        Receipts.Verification verification = store.verify();
        assertThat(verification.exitCode()).as(verification.output()).isZero();
    }

    private static List<String> markerNames(Path markers) throws IOException {
        try (Stream<Path> files = Files.list(markers)) {
            return files.map(file -> file.getFileName().toString()).sorted().toList();
        }
    }
}
