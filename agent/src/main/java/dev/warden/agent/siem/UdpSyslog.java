package dev.warden.agent.siem;

import dev.warden.agent.config.SyslogAddress;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;

/**
 * {@code siem=syslog://HOST:PORT}: one RFC 5424 message per datagram (RFC 5426). A message longer
 * than a UDP datagram can carry over IPv4 is not sent, and counted as dropped: cut short, its JSON
 * would no longer parse (syslog+tcp:// carries any length). The name is resolved for every message
 * (the JDK caches lookups), so a receiver that moves is followed.
 * <p>
 * Used on the stream's thread only, a Warden thread: its sends and lookups are never gated.
 */
final class UdpSyslog implements SiemOutput {
    /** 65,535 less the IPv4 and UDP headers. */
    static final int MAX_MESSAGE = 65_507;

    private final SyslogAddress address;
    private final SyslogMessages messages;
    private DatagramChannel channel;

    UdpSyslog(SyslogAddress address, SyslogMessages messages) {
        this.address = address;
        this.messages = messages;
    }

    @Override
    public void write(SiemEvent event) throws IOException {
        byte[] message = messages.format(event);
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
