package dev.warden.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.warden.e2e.DatagramServers.CountingUdpServer;
import dev.warden.e2e.host.JdbcHost;
import dev.warden.receipts.Receipt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every decision reaches a SIEM over UDP syslog, however long the agent makes it. A review (2026-12-06)
 * found a statement naming 1,000 tables refused by default with a reason listing every one: the event
 * was longer than a datagram and never sent, so the agent chose which of its refusals the SIEM saw.
 */
class SiemLongEventsEndToEndTest {

    @TempDir
    Path workspace;

    @Test
    void aRefusalLongerThanADatagramArrivesCutToEightKilobytesWithItsLengths() throws Exception {
        String url = "jdbc:h2:file:" + workspace.resolve("shop");
        Fixtures.createShop(url, "sa", "");
        Path rules = Files.createDirectories(workspace.resolve("rules"));
        Files.writeString(rules.resolve("shop.yaml"), "policies:\n  - role: shop\n    allow: [jdbc:orders:select]\nactors:\n  agent: [shop]\n");
        StringBuilder sql = new StringBuilder("SELECT * FROM orders");
        for (int i = 0; i < 1000; i++) {
            // Non-ASCII names: each character is six bytes in the event (its JSON escape).
            sql.append(", t").append(i).append("_").append("\u00e9".repeat(20));
        }
        Receipts store = Receipts.in(workspace);
        try (CountingUdpServer siem = new CountingUdpServer(false)) {
            HostJvm.Result host = HostJvm.withAgent(store.agentArguments()).with("rules=" + rules).with("surfaces=jdbc")
                    .with("siem=syslog://127.0.0.1:" + siem.port())
                    .run(JdbcHost.class, List.of(url, "sa", "", "query:" + sql, "query:SELECT id FROM orders WHERE id = 1"));

            assertThat(host.step(0)).as(host.toString()).startsWith("DENIED step=0 state=42501");
            assertThat(host.step(1)).startsWith("OK step=1 rows=1");
            assertThat(host.stderr()).doesNotContain("SIEM stream");
            Receipt refused = store.all().stream().filter(r -> r.outcome().equals("SILENCE")).findFirst().orElseThrow();
            assertThat(refused.reason()).contains("t999_");
            List<String> datagrams = siem.payloadsBeforeNow();
            assertThat(datagrams).allSatisfy(datagram -> assertThat(datagram.getBytes(StandardCharsets.ISO_8859_1).length)
                    .isLessThanOrEqualTo(8192));
            JsonNode event = decisions(datagrams).stream().filter(e -> e.at("/event/id").asText().equals(refused.id()))
                    .findFirst().orElseThrow(() -> new AssertionError("the refusal never reached the SIEM: " + datagrams.size() + " datagrams"));
            assertThat(event.at("/event/outcome").asText()).isEqualTo("failure");
            assertThat(event.at("/event/hash").asText()).isEqualTo(refused.hash());
            assertThat(event.at("/event/reason").asText()).startsWith(refused.reason().substring(0, 100))
                    .endsWith("...[cut: " + refused.reason().length() + " chars]");
            assertThat(decisions(datagrams)).extracting(e -> e.at("/event/id").asText())
                    .as("every decision").containsAll(store.all().stream().map(Receipt::id).toList());
            Receipts.Verification verification = store.verify();
            assertThat(verification.exitCode()).as(verification.output()).isZero();
        }
    }

    private static List<JsonNode> decisions(List<String> datagrams) {
        ObjectMapper json = new ObjectMapper();
        return datagrams.stream().map(SyslogReceiver.Message::parse).filter(m -> m.msgId().equals("decision")).map(m -> {
            try {
                return json.readTree(m.msg());
            } catch (Exception e) {
                throw new AssertionError("not JSON: " + m.msg(), e);
            }
        }).toList();
    }
}
