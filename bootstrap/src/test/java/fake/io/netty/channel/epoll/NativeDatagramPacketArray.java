package fake.io.netty.channel.epoll;

import java.net.Inet6Address;
import java.net.InetSocketAddress;

/** Shaped like Netty's epoll packet array: its packets hold each recipient as {@code sendmmsg} reads it. */
public final class NativeDatagramPacketArray {

    /** As Netty's {@code init}: 16 bytes, an IPv4 address in its IPv4-mapped form; none for the connected peer. */
    public final class NativeDatagramPacket {
        private final byte[] recipientAddr = new byte[16];
        private int recipientAddrLen;
        private int recipientScopeId;
        private int recipientPort;

        public NativeDatagramPacket(InetSocketAddress recipient) {
            if (recipient == null) {
                return;
            }
            byte[] address = recipient.getAddress().getAddress();
            if (address.length == 4) {
                recipientAddr[10] = (byte) 0xff;
                recipientAddr[11] = (byte) 0xff;
                System.arraycopy(address, 0, recipientAddr, 12, 4);
            } else {
                System.arraycopy(address, 0, recipientAddr, 0, 16);
                recipientScopeId = ((Inet6Address) recipient.getAddress()).getScopeId();
            }
            recipientAddrLen = 16;
            recipientPort = recipient.getPort();
        }
    }
}
