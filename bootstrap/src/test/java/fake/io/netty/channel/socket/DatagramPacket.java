package fake.io.netty.channel.socket;

import fake.io.netty.channel.DefaultAddressedEnvelope;

import java.net.InetSocketAddress;

/** Shaped like Netty's datagram packet, not final (as Netty's is not). */
public class DatagramPacket extends DefaultAddressedEnvelope<String, InetSocketAddress> {

    public DatagramPacket(String content, InetSocketAddress recipient) {
        super(content, recipient);
    }
}
