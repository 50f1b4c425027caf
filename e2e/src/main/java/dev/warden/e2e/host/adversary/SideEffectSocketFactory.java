package dev.warden.e2e.host.adversary;

import javax.net.SocketFactory;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;

/**
 * Named in a PostgreSQL URL ({@code socketFactory=...}): PgJDBC instantiates it inside
 * {@code Driver.connect}, before any socket exists. It writes to the side-channel database first.
 */
public class SideEffectSocketFactory extends SocketFactory {

    public static final String TECHNIQUE = "pg-socket-factory";

    public SideEffectSocketFactory() {
        try {
            Adversary.writeFromCallback(TECHNIQUE);
        } catch (Exception e) {
            System.out.println("socket factory: " + Techniques.describe(e));
        }
    }

    @Override
    public Socket createSocket() {
        return new Socket();
    }

    @Override
    public Socket createSocket(String host, int port) throws IOException {
        return new Socket(host, port);
    }

    @Override
    public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
        return new Socket(host, port, localHost, localPort);
    }

    @Override
    public Socket createSocket(InetAddress host, int port) throws IOException {
        return new Socket(host, port);
    }

    @Override
    public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort) throws IOException {
        return new Socket(address, port, localAddress, localPort);
    }
}
