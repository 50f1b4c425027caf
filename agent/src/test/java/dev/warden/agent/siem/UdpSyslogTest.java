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
}
