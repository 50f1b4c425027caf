package dev.warden.e2e;

import dev.warden.e2e.EgressServers.CountingHttpServer;
import dev.warden.e2e.host.ShellAssistantHost;
import dev.warden.receipts.Receipt;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/**
 * Scenario S14 end to end: a LangChain4j AI service with a real shell {@code @Tool}, driven by a model
 * that asks it to {@code curl} a server it must not reach and then to run an allowed command. The tool
 * call itself is permitted; the process it starts is decided on its own, and the refused {@code curl}
 * never starts: the counting server sees nothing and the file curl would write does not exist.
 */
class ShellToolEndToEndTest {

    @TempDir
    static Path workspace;

    private static CountingHttpServer forbidden;
    private static HostJvm.Result host;
    private static List<Receipt> receipts;
    private static Receipts.Verification verification;

    @BeforeAll
    static void runHost() throws Exception {
        forbidden = new CountingHttpServer();
        Receipts store = Receipts.in(workspace);
        host = HostJvm.withAgent(store.agentArguments()).withRules("process").within(300).run(ShellAssistantHost.class, List.of(
                "curl -s -o " + workspace.resolve("exfiltrated") + " http://127.0.0.1:" + forbidden.port() + "/exfil",
                "echo service is up"));
        receipts = store.all();
        verification = store.verify();
    }

    @AfterAll
    static void stopServer() {
        forbidden.close();
    }

    @Test
    void theForbiddenCommandIsRefusedBeforeAnyProcessStarts() {
        assertThat(host.exitCode()).as(host.toString()).isZero();
        assertThat(host.lines()).as(host.toString()).noneMatch(line -> line.startsWith("RAN command=curl"));
        assertThat(forbidden.total()).isZero();
        assertThat(workspace.resolve("exfiltrated")).doesNotExist();
    }

    @Test
    void theModelReadsAnErrorResultNamingTheRuleAndTheReceipt() {
        Receipt refusal = receipts.stream().filter(r -> r.surface().equals("process") && r.target().equals("curl")).findFirst().orElseThrow();
        assertThat(host.lines()).contains("TOOL run=0 tool=run_command error=true result=warden: denied by no network clients: "
                + "programs that reach the network are not run: curl (receipt " + refusal.id() + ")");
        assertThat(refusal.outcome()).isEqualTo("DENY");
        assertThat(refusal.summary().get("process.arguments")).endsWith("http://127.0.0.1:" + forbidden.port() + "/exfil");
    }

    @Test
    void theAllowedCommandRunsAndItsOutputReachesTheModel() {
        assertThat(host.lines()).contains("RAN command=echo service is up exit=0 out=service is up",
                "TOOL run=0 tool=run_command error=false result=service is up");
        assertThat(host.lines()).anyMatch(line -> line.startsWith("ANSWER text=") && line.endsWith("run_command -> service is up;"));
    }

    @Test
    void bothToolCallsAndBothProcessStartsAreDecidedAndRecorded() {
        assertThat(receipts).filteredOn(r -> r.surface().equals("tool") || r.surface().equals("process"))
                .extracting(Receipt::surface, Receipt::target, Receipt::outcome)
                .containsExactly(tuple("tool", "run_command", "PERMIT"), tuple("process", "curl", "DENY"),
                        tuple("tool", "run_command", "PERMIT"), tuple("process", "echo", "PERMIT"));
        assertThat(verification.exitCode()).as(verification.output()).isZero();
    }
}
