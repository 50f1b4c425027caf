package dev.warden.agent.siem;

import dev.warden.agent.config.SyslogAddress;
import org.junit.jupiter.api.Test;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class UdpSyslogTest {
    private final SyslogMessages messages = new SyslogMessages("host", 1);

    private static SiemEvent event(String json) {
        return new SiemEvent(Instant.parse("2026-12-02T09:00:00Z"), "decision", Severity.INFORMATIONAL, json);
    }

    private static String receive(DatagramSocket socket) throws Exception {
        DatagramPacket packet = new DatagramPacket(new byte[70_000], 70_000);
        socket.receive(packet);
        return new String(packet.getData(), 0, packet.getLength(), StandardCharsets.US_ASCII);
    }

    @Test
    void oneDatagramPerMessageAndOneTooLongForADatagramIsRefusedNotCut() throws Exception {
        try (DatagramSocket receiver = new DatagramSocket(0, InetAddress.getLoopbackAddress());
             UdpSyslog output = new UdpSyslog(new SyslogAddress(SyslogAddress.Transport.UDP, "127.0.0.1", receiver.getLocalPort()),
                     messages)) {
            receiver.setSoTimeout(10_000); // a safety net: the datagram is on its way before write returns
            String header = "<110>1 2026-12-02T09:00:00Z host warden 1 decision - ";
            String fits = "\"" + "x".repeat(UdpSyslog.MAX_MESSAGE - header.length() - 2) + "\"";
            String tooLong = "\"" + fits;

            output.write(event("{\"n\":1}"));
            assertThatThrownBy(() -> output.write(event(tooLong)))
                    .hasMessageContaining("longer than a UDP datagram carries (65507 bytes)");
            output.write(event(fits));

            assertThat(receive(receiver)).isEqualTo(header + "{\"n\":1}");
            assertThat(receive(receiver)).as("the longest that fits, whole; nothing of the one too long")
                    .hasSize(UdpSyslog.MAX_MESSAGE).isEqualTo(header + fits);
        }
    }

    @Test
    void aDecisionTooLongForADatagramArrivesCutToEightKilobytesAndStillParses() throws Exception {
        StringBuilder tables = new StringBuilder();
        for (int i = 0; i < 1000; i++) {
            tables.append(i == 0 ? "" : ",").append("table_with_a_long_name_").append(i);
        }
        dev.warden.receipts.Receipt receipt = dev.warden.receipts.Receipt.seal("chain-1", 3, dev.warden.receipts.Receipt.GENESIS_PREVIOUS,
                new dev.warden.receipts.ReceiptDraft("01935f3c-7b2a-7000-8000-000000000003", Instant.parse("2026-12-02T09:00:00Z"),
                        "agent", null, null, "jdbc", "DELETE", tables.toString(), "ab".repeat(32), java.util.Map.of("sql.tables", tables.toString()),
                        "SILENCE", true, java.util.List.of("warden.no-permit"), "no rule permits DELETE on " + tables, java.util.Map.of(), "cd".repeat(32)));
        dev.warden.receipts.siem.SiemFormat format = dev.warden.receipts.siem.SiemFormat.ECS;
        SiemEvent event = new SiemEvent(receipt.time(), "decision", Severity.WARNING, format.receipt(receipt), max -> format.receipt(receipt, max));
        try (DatagramSocket receiver = new DatagramSocket(0, InetAddress.getLoopbackAddress());
             UdpSyslog output = new UdpSyslog(new SyslogAddress(SyslogAddress.Transport.UDP, "127.0.0.1", receiver.getLocalPort()),
                     messages)) {
            receiver.setSoTimeout(10_000);
            assertThat(event.json().length()).isGreaterThan(UdpSyslog.MAX_MESSAGE);

            output.write(event);

            String message = receive(receiver);
            assertThat(message.length()).isLessThanOrEqualTo(UdpSyslog.MAX_EVENT);
            String json = message.substring(message.indexOf(" - ") + 3);
            com.google.gson.JsonObject parsed = com.google.gson.JsonParser.parseString(json).getAsJsonObject();
            assertThat(parsed.getAsJsonObject("event").get("id").getAsString()).isEqualTo(receipt.id());
            assertThat(parsed.getAsJsonObject("event").get("reason").getAsString())
                    .startsWith("no rule permits DELETE on table_with_a_long_name_0,")
                    .endsWith("...[cut: " + receipt.reason().length() + " chars]");
            assertThat(parsed.getAsJsonObject("warden").get("target").getAsString()).endsWith("...[cut: " + tables.length() + " chars]");
        }
    }
}
