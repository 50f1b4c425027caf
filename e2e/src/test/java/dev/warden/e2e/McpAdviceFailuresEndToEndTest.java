package dev.warden.e2e;

import dev.warden.e2e.host.McpAdviceFailuresHost;
import dev.warden.receipts.Receipt;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 11, item 7, for the MCP client's advice ({@code McpClient.executeTool}): a real MCP server
 * (MCP Java SDK over stdio, in a child JVM) and a LangChain4j client in a host run with only
 * {@code -javaagent}. A call whose request or invocation context throws when the advice reads it is
 * refused as unreadable, although it asks for the one tool the policy permits, and the server never
 * runs that tool's body (it writes a line to a file for each body it runs); the next call on the
 * same thread, for a tool the policy refuses, is decided and recorded.
 */
class McpAdviceFailuresEndToEndTest {

    private static final Pattern FIRST_RECEIPT = Pattern.compile("^first=error=true text=warden: .*?\\(receipt ([0-9a-f-]+)\\) next=");

    @TempDir
    static Path workspace;

    private static HostJvm.Result host;
    private static List<Receipt> receipts;
    private static Path bodies;
    private static Receipts.Verification verification;

    @BeforeAll
    static void runHost() throws Exception {
        Receipts store = Receipts.in(workspace);
        bodies = workspace.resolve("bodies.txt");
        String serverClassPath = System.getProperty("warden.host.classpath") + File.pathSeparator + HostJvm.libraries("mcp-server");
        host = HostJvm.withAgent(store.agentArguments()).withRules("lc4j-mcp").onClassPath("lc4j-mcp")
                .run(McpAdviceFailuresHost.class, List.of(serverClassPath, bodies.toString()));
        receipts = store.all();
        verification = store.verify();
    }

    private static String line(String technique) {
        String prefix = "technique " + technique + ": ";
        return host.lines().stream().filter(line -> line.startsWith(prefix)).map(line -> line.substring(prefix.length()))
                .findFirst().orElseThrow(() -> new AssertionError("no line for " + technique + ":\n" + host));
    }

    @Test
    void theHostRunsToTheEndAndThePermittedToolRuns() {
        assertThat(host.exitCode()).as(host.toString()).isZero();
        assertThat(host.lines()).as(host.toString()).contains("DONE")
                .contains("PERMITTED error=false text=monday: pipeline review at 10:00");
    }

    @Test
    void theServerRanOnlyThePermittedCallsBody() throws Exception {
        assertThat(Files.readAllLines(bodies)).containsExactly("BODY tool=calendar_read");
    }

    @ParameterizedTest
    @ValueSource(strings = {"mcp-execute-null-request", "mcp-execute-null-request-with-context", "mcp-context-memory-id-throws",
            "mcp-context-parameters-throw"})
    void theUnreadableCallIsRefusedAsSuchAndTheNextCallIsDecidedAndRecorded(String technique) {
        String line = line(technique);
        Matcher first = FIRST_RECEIPT.matcher(line);
        assertThat(first.find()).as("the first call is refused with a result the model reads, naming its receipt: %s", line).isTrue();
        assertThat(line).contains("warden.fail-closed: could not read the tool call").doesNotContain("asked for its message");
        assertThat(receipts).filteredOn(receipt -> receipt.id().equals(first.group(1))).singleElement().satisfies(receipt -> {
            assertThat(receipt.surface()).isEqualTo("tool");
            assertThat(receipt.operation()).isEqualTo("UNREADABLE");
            assertThat(receipt.outcome()).isEqualTo("DENY");
        });

        assertThat(line).contains("next=error=true text=warden: denied by no deleting files through MCP");
        assertThat(receipts).as("the next call: one decision, recorded")
                .filteredOn(receipt -> ("next-" + technique).equals(receipt.summary().get("tool.callId"))).singleElement()
                .satisfies(receipt -> {
                    assertThat(receipt.operation()).isEqualTo("files_delete");
                    assertThat(receipt.outcome()).isEqualTo("DENY");
                });
    }

    @Test
    void theAuditorsVerifierAcceptsTheReceipts() {
        assertThat(verification.exitCode()).as(verification.output()).isZero();
    }
}
