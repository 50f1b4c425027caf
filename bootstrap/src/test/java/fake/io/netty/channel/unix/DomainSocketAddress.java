package fake.io.netty.channel.unix;

import java.net.SocketAddress;

/** Stands for the shaded copy's unix-domain socket address, which is not final in Netty either. */
public class DomainSocketAddress extends SocketAddress {

    private final String path;

    public DomainSocketAddress(String path) {
        this.path = path;
    }

    public String path() {
        return path;
    }
}
