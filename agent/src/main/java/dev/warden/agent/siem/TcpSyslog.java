package dev.warden.agent.siem;

import dev.warden.agent.config.SyslogAddress;

import java.io.Closeable;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * {@code siem=syslog+tcp://HOST:PORT}: RFC 5424 messages on one TCP connection, each framed by octet
 * counting (RFC 6587: {@code LENGTH SP MESSAGE}), which no byte in a message can break.
 * <p>
 * When the receiver goes away (it closed the connection, a write fails, or it read nothing for
 * {@link #WRITE_TIMEOUT}) the connection is given up and made again at the next event: at once after
 * the receiver's close, otherwise once the back-off allows (0.5 s, doubling up to 30 s, starting over
 * once a message went out). Until then events are refused, and the stream counts them as dropped. The
 * connection is checked for the receiver's close before each message, so a receiver restarted between
 * events loses none; what the kernel had taken when a connection broke is lost uncounted (syslog over
 * TCP has no acknowledgement).
 * <p>
 * Used on the stream's thread only, a Warden thread: its connects and lookups are never gated.
 */
final class TcpSyslog implements SiemOutput {
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    static final Duration WRITE_TIMEOUT = Duration.ofSeconds(10);
    static final Duration FIRST_RETRY = Duration.ofMillis(500);
    static final Duration LONGEST_RETRY = Duration.ofSeconds(30);

    private final SyslogAddress address;
    private final SyslogMessages messages;
    private final Backoff backoff;
    private final ByteBuffer discard = ByteBuffer.allocate(256);
    private SocketChannel channel;
    private Selector writable;
    private IOException failure; // the last, thrown again while the back-off waits

    TcpSyslog(SyslogAddress address, SyslogMessages messages, LongSupplier nanoTime) {
        this.address = address;
        this.messages = messages;
        this.backoff = new Backoff(FIRST_RETRY, LONGEST_RETRY, nanoTime);
    }

    /** RFC 6587 octet counting: the message's length in bytes, a space, the message. */
    static byte[] frame(byte[] message) {
        byte[] length = (message.length + " ").getBytes(StandardCharsets.US_ASCII);
        byte[] frame = new byte[length.length + message.length];
        System.arraycopy(length, 0, frame, 0, length.length);
        System.arraycopy(message, 0, frame, length.length, message.length);
        return frame;
    }

    @Override
    public void write(SiemEvent event) throws IOException {
        ByteBuffer frame = ByteBuffer.wrap(frame(messages.format(event)));
        if (channel != null && receiverClosed()) {
            disconnect();
        }
        if (channel == null) {
            connect();
        }
        try {
            send(frame);
        } catch (IOException e) {
            disconnect();
            throw failed(new IOException(address.describe() + ": " + e.getMessage(), e));
        }
        backoff.succeeded(); // only once a message went out: a receiver that accepts and then fails is not hammered either
    }

    @Override
    public void flush() {
        // every message is written as it comes; Nagle's algorithm batches the small ones
    }

    @Override
    public void close() {
        disconnect();
    }

    private void connect() throws IOException {
        if (!backoff.due()) {
            throw failure; // the same failure again, so the stream says it once
        }
        try {
            InetSocketAddress target = new InetSocketAddress(address.host(), address.port());
            if (target.isUnresolved()) {
                throw new UnknownHostException("cannot resolve " + address.host());
            }
            SocketChannel opened = SocketChannel.open();
            Selector selector = null;
            try {
                opened.socket().connect(target, (int) CONNECT_TIMEOUT.toMillis());
                opened.configureBlocking(false); // reads that return at once; writes wait on the selector, with a timeout
                selector = Selector.open();
                opened.register(selector, SelectionKey.OP_WRITE);
            } catch (IOException | RuntimeException e) {
                opened.close();
                if (selector != null) {
                    selector.close();
                }
                throw e;
            }
            channel = opened;
            writable = selector;
        } catch (IOException e) {
            throw failed(new IOException(address.describe() + ": cannot connect: " + e.getMessage(), e));
        }
    }

    private IOException failed(IOException e) {
        backoff.failed();
        failure = e;
        return e;
    }

    /** Whether the receiver closed its side (it never sends anything; whatever it does send is ignored). */
    private boolean receiverClosed() {
        try {
            int read;
            do {
                discard.clear();
                read = channel.read(discard);
            } while (read > 0);
            return read < 0;
        } catch (IOException reset) {
            return true;
        }
    }

    private void send(ByteBuffer frame) throws IOException {
        long deadline = System.nanoTime() + WRITE_TIMEOUT.toNanos();
        while (frame.hasRemaining()) {
            if (channel.write(frame) > 0) {
                deadline = System.nanoTime() + WRITE_TIMEOUT.toNanos();
                continue;
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new IOException("the receiver read nothing for " + WRITE_TIMEOUT.toSeconds() + " s");
            }
            writable.select(Math.max(1, left / 1_000_000));
            writable.selectedKeys().clear();
        }
    }

    private void disconnect() {
        for (Closeable closing : new Closeable[] {writable, channel}) {
            try {
                if (closing != null) {
                    closing.close();
                }
            } catch (IOException ignored) {
                // the connection is given up either way
            }
        }
        writable = null;
        channel = null;
    }
}
