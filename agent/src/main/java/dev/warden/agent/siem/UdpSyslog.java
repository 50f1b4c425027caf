package dev.warden.agent.siem;

import dev.warden.agent.config.SyslogAddress;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;

/**
 * {@code siem=syslog://HOST:PORT}: one RFC 5424 message per datagram (RFC 5426), of at most
 * {@link #MAX_EVENT} bytes: a decision longer than that has its values cut (each marked with its length)
 * so it still parses and is still sent. Otherwise the agent would choose which of its refusals vanish
 * from the SIEM by making them long (a review found a 57 KB statement's refusal dropped, 2026-12-06).
 * The name is resolved for every message (the JDK caches lookups), so a receiver that moves is followed.
 * <p>
 * Used on the stream's thread only, a Warden thread: its sends and lookups are never gated.
 */
final class UdpSyslog implements SiemOutput {
    /** 65,535 less the IPv4 and UDP headers. */
    static final int MAX_MESSAGE = 65_507;

    /**
     * What a decision's message is cut to: rsyslog's default maxMessageSize (8 KB; syslog-ng takes 64 KB),
     * so a receiver as installed keeps it whole, and one datagram on any network.
     */
    static final int MAX_EVENT = 8192;

    private final SyslogAddress address;
    private final SyslogMessages messages;
    private DatagramChannel channel;

    UdpSyslog(SyslogAddress address, SyslogMessages messages) {
        this.address = address;
        this.messages = messages;
    }

    @Override
    public void write(SiemEvent event) throws IOException {
        byte[] message = messages.format(event, MAX_EVENT);
        if (message.length > MAX_MESSAGE) {
            throw new IOException(address.describe() + ": a message longer than a UDP datagram carries (" + MAX_MESSAGE
                    + " bytes) is not sent; syslog+tcp:// carries any length");
        }
        InetSocketAddress target = new InetSocketAddress(address.host(), address.port());
        if (target.isUnresolved()) {
            throw new UnknownHostException(address.describe() + ": cannot resolve " + address.host());
        }
        if (channel == null) {
            channel = DatagramChannel.open();
        }
        channel.send(ByteBuffer.wrap(message), target);
    }

    @Override
    public void flush() {
        // a datagram is sent whole or not at all
    }

    @Override
    public void close() throws IOException {
        if (channel != null) {
            channel.close();
        }
    }
}
