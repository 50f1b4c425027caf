package dev.warden.e2e;

import dev.warden.e2e.host.McpHost;
import dev.warden.receipts.Receipt;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/**
 * Tools served by a real MCP server (MCP Java SDK over stdio, in a child JVM) to a LangChain4j app
 * run with only {@code -javaagent} (langchain4j 1.18.1 with langchain4j-mcp 1.18.1-beta28): gated
 * through the AI service's {@code McpToolProvider} and when called straight through the client.
 */
class McpToolsEndToEndTest {

    @TempDir
    static Path workspace;

    private static HostJvm.Result host;
    private static List<Receipt> tools;
    private static Path bodies;
    private static Receipts.Verification verification;

    @BeforeAll
    static void runHost() throws Exception {
        Receipts store = Receipts.in(workspace);
        bodies = workspace.resolve("bodies.txt");
        String serverClassPath = System.getProperty("warden.host.classpath") + File.pathSeparator + HostJvm.libraries("mcp-server");
        host = HostJvm.withAgent(store.agentArguments()).withRules("lc4j-mcp").onClassPath("lc4j-mcp")
                .run(McpHost.class, List.of(serverClassPath, bodies.toString()));
        tools = store.all().stream().filter(receipt -> receipt.surface().equals("tool")).toList();
        verification = store.verify();
    }

    @Test
    void theAiServiceUsesThePermittedMcpToolAndReadsTheRefusalOfTheOther() {
        assertThat(host.exitCode()).as(host.toString()).isZero();
        assertThat(host.lines()).as(host.toString())
                .contains("TOOL run=0 tool=calendar_read error=false result=monday: pipeline review at 10:00")
                .anyMatch(line -> line.startsWith("TOOL run=0 tool=files_delete error=true result=warden: denied by "
                        + "no deleting files through MCP: MCP tools may not delete files (receipt "))
                .anyMatch(line -> line.startsWith("ANSWER run=0 "))
                .contains("DONE");
    }

    @Test
    void aCallStraightThroughTheMcpClientIsGatedToo() {
        assertThat(host.lines()).anyMatch(line -> line.startsWith("DIRECT result=warden: denied by no deleting files through MCP"));
    }

    /** Found by a review (2026-12-06): a tool's name did not say which server serves it. */
    @Test
    void aToolOfTheSameNameFromAnotherServerIsAnotherAction() {
        assertThat(host.lines()).anyMatch(line -> line.startsWith("OTHER result=warden: "));
        assertThat(tools).filteredOn(receipt -> receipt.operation().equals("calendar_read"))
                .extracting(Receipt::outcome, receipt -> receipt.summary().get("tool.mcp.server"))
                .containsExactly(tuple("PERMIT", "calendar-server"), tuple("SILENCE", "community-server"));
    }

    @Test
    void theServerNeverRunsARefusedTool() throws Exception {
        assertThat(Files.readAllLines(bodies)).containsExactly("BODY tool=calendar_read");
    }

    @Test
    void eachMcpToolCallIsOneDecisionWithOneReceipt() {
        assertThat(tools).extracting(Receipt::operation, Receipt::outcome, Receipt::session).containsExactly(
                tuple("calendar_read", "PERMIT", "mcp-0"), tuple("files_delete", "DENY", "mcp-0"),
                tuple("files_delete", "DENY", null), tuple("calendar_read", "SILENCE", null));
        assertThat(tools.get(0).actor()).isEqualTo("ops-assistant");
        assertThat(verification.exitCode()).as(verification.output()).isZero();
    }
}
