package dev.warden.agent.siem;

import dev.warden.agent.config.SyslogAddress;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TcpSyslogTest {
    private final SyslogMessages messages = new SyslogMessages("host", 1);
    private final AtomicLong now = new AtomicLong();
    private ServerSocketChannel receiver;
    private TcpSyslog output;

    @AfterEach
    void close() throws IOException {
        if (output != null) {
            output.close();
        }
        if (receiver != null) {
            receiver.close();
        }
    }

    private static SiemEvent event(String json) {
        return new SiemEvent(Instant.parse("2026-12-02T09:00:00Z"), "decision", Severity.WARNING, json);
    }

    /** Accepts without waiting: a write that connected returned only once the connection was made. */
    private ServerSocketChannel listen(int port) throws IOException {
        ServerSocketChannel server = ServerSocketChannel.open();
        server.setOption(StandardSocketOptions.SO_REUSEADDR, true);
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        server.configureBlocking(false);
        return server;
    }

    /** The connection made before now, to read from (with a time-out as a safety net: the bytes were sent before now too). */
    private SocketChannel accepted() throws IOException {
        SocketChannel connection = receiver.accept();
        assertThat(connection).as("a connection made").isNotNull();
        connection.configureBlocking(true);
        connection.socket().setSoTimeout(10_000);
        return connection;
    }

    private TcpSyslog outputTo(int port) {
        return new TcpSyslog(new SyslogAddress(SyslogAddress.Transport.TCP, "127.0.0.1", port), messages, now::get);
    }

    /** One RFC 6587 octet-counted frame: digits, a space, that many bytes. */
    private static String frame(InputStream in) throws IOException {
        StringBuilder length = new StringBuilder();
        for (int c = in.read(); c != ' '; c = in.read()) {
            assertThat(c).as("a length digit").isBetween((int) '0', (int) '9');
            length.append((char) c);
        }
        byte[] message = new byte[Integer.parseInt(length.toString())];
        new DataInputStream(in).readFully(message);
        return new String(message, StandardCharsets.US_ASCII);
    }

    @Test
    void octetCountingPrefixesTheLengthInBytes() {
        assertThat(new String(TcpSyslog.frame("<108>1 x".getBytes(StandardCharsets.US_ASCII)), StandardCharsets.US_ASCII))
                .isEqualTo("8 <108>1 x");
        assertThat(TcpSyslog.frame(new byte[0])).containsExactly('0', ' ');
        assertThat(TcpSyslog.frame(new byte[1234])).startsWith('1', '2', '3', '4', ' ').hasSize(1239);
    }

    @Test
    void messagesArriveFramedInOrderOnOneConnection() throws Exception {
        receiver = listen(0);
        output = outputTo(receiver.socket().getLocalPort());

        output.write(event("{\"n\":1}"));
        output.write(event("{\"n\":2,\"text\":\"a\\nb 12 <13>\"}"));

        try (SocketChannel connection = accepted()) {
            InputStream in = connection.socket().getInputStream();
            assertThat(frame(in)).isEqualTo("<108>1 2026-12-02T09:00:00Z host warden 1 decision - {\"n\":1}");
            assertThat(frame(in)).isEqualTo("<108>1 2026-12-02T09:00:00Z host warden 1 decision - {\"n\":2,\"text\":\"a\\nb 12 <13>\"}");
        }
    }

    @Test
    void aReceiverThatClosedTheConnectionIsConnectedToAgainBeforeTheNextMessage() throws Exception {
        receiver = listen(0);
        output = outputTo(receiver.socket().getLocalPort());

        output.write(event("{\"n\":1}"));
        try (SocketChannel first = accepted()) {
            assertThat(frame(first.socket().getInputStream())).endsWith("{\"n\":1}");
        } // the receiver restarts its connection

        output.write(event("{\"n\":2}"));
        try (SocketChannel second = accepted()) {
            assertThat(frame(second.socket().getInputStream())).as("not lost on the closed connection").endsWith("{\"n\":2}");
        }
    }

    @Test
    void aReceiverThatIsDownRefusesEventsAndIsTriedAgainAfterTheBackoff() throws Exception {
        int port;
        try (ServerSocketChannel gone = listen(0)) {
            port = gone.socket().getLocalPort();
        }
        output = outputTo(port);

        assertThatThrownBy(() -> output.write(event("{\"n\":1}")))
                .hasMessageStartingWith("syslog+tcp://127.0.0.1:" + port + ": cannot connect: ");
        receiver = listen(port);
        now.addAndGet(TcpSyslog.FIRST_RETRY.minusMillis(1).toNanos());
        assertThatThrownBy(() -> output.write(event("{\"n\":2}"))).as("the same failure, said once")
                .hasMessageStartingWith("syslog+tcp://127.0.0.1:" + port + ": cannot connect: ");
        assertThat(receiver.accept()).as("no attempt within the back-off").isNull();

        now.addAndGet(Duration.ofMillis(1).toNanos());
        output.write(event("{\"n\":3}"));
        try (SocketChannel connection = accepted()) {
            assertThat(frame(connection.socket().getInputStream())).endsWith("{\"n\":3}");
        }
    }
}
