package dev.warden.e2e.host;

import javax.net.ssl.SSLSocketFactory;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.file.Path;

/**
 * A TLS socket factory of the host's, as {@code HttpsURLConnection.setDefaultSSLSocketFactory} installs one: each
 * socket asked of it leaves a marker ({@link HookedHost}) and is refused, so only where it ran shows.
 */
final class MarkingSocketFactory extends SSLSocketFactory {
    private final Path markers;

    MarkingSocketFactory(Path markers) {
        this.markers = markers;
    }

    private Socket refused() throws IOException {
        HookedHost.mark(markers, "ssl-socket-factory");
        throw new IOException("the host's socket factory makes no socket");
    }

    @Override
    public Socket createSocket() throws IOException {
        return refused();
    }

    @Override
    public Socket createSocket(Socket socket, String host, int port, boolean autoClose) throws IOException {
        return refused();
    }

    @Override
    public Socket createSocket(String host, int port) throws IOException {
        return refused();
    }

    @Override
    public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
        return refused();
    }

    @Override
    public Socket createSocket(InetAddress host, int port) throws IOException {
        return refused();
    }

    @Override
    public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort) throws IOException {
        return refused();
    }

    @Override
    public String[] getDefaultCipherSuites() {
        return new String[0];
    }

    @Override
    public String[] getSupportedCipherSuites() {
        return new String[0];
    }
}
