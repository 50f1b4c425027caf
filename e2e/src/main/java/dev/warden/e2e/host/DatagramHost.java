package dev.warden.e2e.host;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.MulticastSocket;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Hashtable;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import javax.naming.Context;
import javax.naming.directory.Attributes;
import javax.naming.directory.InitialDirContext;

/**
 * An ordinary application that sends datagrams, looks names up, probes addresses and talks to a
 * unix-domain socket, and knows nothing of Warden. One line per step, read by the end-to-end tests:
 *
 * <pre>
 *   java DatagramHost STEP...
 *   STEP = udp-socket|HOST:PORT | udp-socket-connected|HOST:PORT | udp-channel|HOST:PORT
 *        | udp-channel-connected|HOST:PORT | udp-multicast|HOST:PORT   (one datagram "step=N")
 *        | udp-legacy|HOST:PORT | udp-legacy-connected|HOST:PORT (JDK 17's pre-NIO DatagramSocketImpl)
 *        | udp-huge|HOST:PORT (70,000 bytes) | udp-unresolved|NAME:PORT | udp-odd-address
 *        | resolve|NAME | resolve-all|NAME | local-host | jndi-dns|NAME|SERVER:PORT
 *        | probe|ADDRESS | unix|PATH | tcp|HOST:PORT (a socket's connect)
 *        | tcp-named|NAME=ADDRESS:PORT | udp-named|NAME=ADDRESS:PORT   (to InetAddress.getByAddress(NAME, ADDRESS))
 *        | udp-own-impl|HOST:PORT|ELSEWHERE:PORT   (a socket over the application's own DatagramSocketImpl, which
 *                                                    sends each datagram to ELSEWHERE too, by a channel and a socket)
 *        | unix-hostile|PATH   (the address holds a Path of the application's own whose every method but
 *                               getFileSystem throws, counting its calls: prints hostile-path-calls=N)
 *   out:  OK step=N ...  |  DENIED step=N thrown=T denial=D cause=C message=M  |  FAILED step=N thrown=T message=M
 * </pre>
 *
 * Every step runs on the main thread, one after the other: a step that follows a refused or failed
 * one shows that the thread is still gated.
 */
public final class DatagramHost {

    /** How often Warden called into the host's own address object (it must not: its methods are the host's). */
    static final AtomicInteger ODD_ADDRESS_CALLS = new AtomicInteger();

    public static void main(String[] args) {
        for (int step = 0; step < args.length; step++) {
            System.out.println(run(step, args[step]));
        }
        System.out.println("odd-address-calls=" + ODD_ADDRESS_CALLS.get());
        System.out.println("DONE");
    }

    /**
     * Opens a datagram scope through Warden's public bootstrap API, has a lookup the rules permit decided in it, and
     * sends {@code packet} while it is open: a send inside a decided JDK call is that call's part, and inherited its
     * decision whoever opened the scope.
     */
    private static String earnedScope(String name, DatagramPacket packet) throws Exception {
        Class<?> scopes = Class.forName("dev.warden.bootstrap.ActionScope");
        Class<?> requests = Class.forName("dev.warden.bootstrap.ActionRequest");
        Object scope = scopes.getMethod("enter", String.class).invoke(null, "net.datagram");
        try {
            Object lookup = requests.getConstructor(String.class, String.class, String.class, java.util.Map.class)
                    .newInstance("net", "RESOLVE", name, new java.util.HashMap<String, Object>());
            Object decision = scopes.getMethod("decide", requests).invoke(scope, lookup);
            try (DatagramSocket socket = new DatagramSocket()) {
                socket.send(packet);
            }
            return "sent after " + decision.toString().replaceAll(",.*", "");
        } finally {
            scopes.getMethod("exit").invoke(scope);
        }
    }

    private static String run(int step, String instruction) {
        String[] parts = instruction.split("\\|", -1);
        try {
            return "OK step=" + step + " " + perform(step, parts);
        } catch (Throwable failure) {
            return describeFailure(step, failure);
        }
    }

    private static String perform(int step, String[] parts) throws Exception {
        byte[] payload = ("step=" + step).getBytes(StandardCharsets.US_ASCII);
        switch (parts[0]) {
            case "udp-socket":
                try (DatagramSocket socket = new DatagramSocket()) {
                    socket.send(new DatagramPacket(payload, payload.length, address(parts[1])));
                    return "sent";
                }
            case "udp-forged-syslog": // HOST:PORT: a message spelled as Warden's, saying a DELETE was permitted
                try (DatagramSocket socket = new DatagramSocket()) {
                    byte[] forged = ("<110>1 " + java.time.Instant.now() + " " + System.getenv().getOrDefault("HOSTNAME", "localhost") + " warden "
                            + ProcessHandle.current().pid() + " decision - {\"event\":{\"id\":\"forged-" + step
                            + "\",\"outcome\":\"success\",\"action\":\"jdbc-delete\"}}").getBytes(StandardCharsets.US_ASCII);
                    socket.send(new DatagramPacket(forged, forged.length, address(parts[1])));
                    return "sent";
                }
            case "udp-earned-scope": // NAME|HOST:PORT: a permitted lookup of NAME decided in a scope of its own, then a send
                return earnedScope(parts[1], new DatagramPacket(payload, payload.length, address(parts[2])));
            case "udp-socket-connected":
                try (DatagramSocket socket = new DatagramSocket()) {
                    socket.connect(address(parts[1]));
                    socket.send(new DatagramPacket(payload, payload.length));
                    socket.send(new DatagramPacket(payload, payload.length));
                    return "sent twice";
                }
            case "udp-legacy":
                // JDK 17 reads this at each socket's creation: the pre-NIO DatagramSocketImpl, no channel.
                System.setProperty("jdk.net.usePlainDatagramSocketImpl", "true");
                try (DatagramSocket socket = new DatagramSocket()) {
                    socket.send(new DatagramPacket(payload, payload.length, address(parts[1])));
                    return "sent";
                } finally {
                    System.clearProperty("jdk.net.usePlainDatagramSocketImpl");
                }
            case "udp-legacy-connected":
                System.setProperty("jdk.net.usePlainDatagramSocketImpl", "true");
                try (DatagramSocket socket = new DatagramSocket()) {
                    socket.connect(address(parts[1]));
                    socket.send(new DatagramPacket(payload, payload.length));
                    return "sent";
                } finally {
                    System.clearProperty("jdk.net.usePlainDatagramSocketImpl");
                }
            case "udp-multicast":
                try (MulticastSocket socket = new MulticastSocket()) {
                    socket.send(new DatagramPacket(payload, payload.length, address(parts[1])));
                    return "sent";
                }
            case "udp-channel":
                try (DatagramChannel channel = DatagramChannel.open()) {
                    channel.send(ByteBuffer.wrap(payload), address(parts[1]));
                    return "sent";
                }
            case "udp-channel-connected":
                try (DatagramChannel channel = DatagramChannel.open()) {
                    channel.connect(address(parts[1]));
                    channel.write(ByteBuffer.wrap(payload));
                    channel.write(ByteBuffer.wrap(payload));
                    return "written twice";
                }
            case "udp-huge":
                try (DatagramChannel channel = DatagramChannel.open()) {
                    return "sent=" + channel.send(ByteBuffer.allocate(70_000), address(parts[1]));
                }
            case "udp-unresolved": {
                int colon = parts[1].lastIndexOf(':');
                try (DatagramChannel channel = DatagramChannel.open()) {
                    return "sent=" + channel.send(ByteBuffer.wrap(payload),
                            InetSocketAddress.createUnresolved(parts[1].substring(0, colon), Integer.parseInt(parts[1].substring(colon + 1))));
                }
            }
            case "udp-odd-address":
                try (DatagramChannel channel = DatagramChannel.open()) {
                    return "sent=" + channel.send(ByteBuffer.wrap(payload), new OddAddress());
                }
            case "udp-named":
                try (DatagramSocket socket = new DatagramSocket()) {
                    socket.send(new DatagramPacket(payload, payload.length, namedAddress(parts[1])));
                    return "sent";
                }
            case "udp-own-impl": // PERMITTED|FORBIDDEN: a socket over the application's own DatagramSocketImpl
                try (DatagramSocket socket = new OwnImplSocket(step, address(parts[2]))) {
                    socket.send(new DatagramPacket(payload, payload.length, address(parts[1])));
                    return "sent " + String.join(" ", SMUGGLED);
                }
            case "tcp":
                return connect(address(parts[1]));
            case "tcp-named":
                return connect(namedAddress(parts[1]));
            case "resolve":
                return "address=" + InetAddress.getByName(name(parts[1])).getHostAddress();
            case "resolve-all":
                return "addresses=" + Arrays.toString(InetAddress.getAllByName(name(parts[1])));
            case "local-host":
                return "address=" + InetAddress.getLocalHost();
            case "jndi-dns":
                return jndi(name(parts[1]), parts[2]);
            case "jndi-dns-servers": // SERVERS comma-separated, asked in turn until one answers
                return jndi(name(parts[1]), String.join(" dns://", parts[2].split(",")));
            case "probe":
                return "reachable=" + InetAddress.getByName(parts[1]).isReachable(2000);
            case "unix":
                try (SocketChannel channel = SocketChannel.open(UnixDomainSocketAddress.of(parts[1]))) {
                    return "connected=" + channel.isConnected();
                }
            case "unix-hostile":
                try (SocketChannel channel = SocketChannel.open(UnixDomainSocketAddress.of(hostilePath(parts[1])))) {
                    return "connected=" + channel.isConnected();
                } finally {
                    System.out.println("hostile-path-calls=" + HOSTILE_PATH_CALLS.get());
                }
            default:
                throw new IllegalArgumentException("unknown step " + parts[0]);
        }
    }

    private static final AtomicInteger HOSTILE_PATH_CALLS = new AtomicInteger();

    /** What the application's own socket implementation did with the datagrams it sent itself. */
    private static final List<String> SMUGGLED = new ArrayList<>();

    /** A datagram socket over an implementation of the application's own (DatagramSocket's protected constructor). */
    private static final class OwnImplSocket extends DatagramSocket {
        OwnImplSocket(int step, InetSocketAddress elsewhere) {
            super(new SmugglingImpl(step, elsewhere));
        }
    }

    /**
     * Sends each datagram it is given to another address too, through the JDK's own channel and socket: what a decided
     * send's implementation does is the application's code, not the decided datagram.
     */
    private static final class SmugglingImpl extends java.net.DatagramSocketImpl {
        private final int step;
        private final InetSocketAddress elsewhere;

        SmugglingImpl(int step, InetSocketAddress elsewhere) {
            this.step = step;
            this.elsewhere = elsewhere;
        }

        @Override
        protected void send(DatagramPacket packet) {
            byte[] channelPayload = ("smuggled-channel step=" + step).getBytes(StandardCharsets.US_ASCII);
            try (DatagramChannel channel = DatagramChannel.open()) {
                channel.send(ByteBuffer.wrap(channelPayload), elsewhere);
                SMUGGLED.add("channel=sent");
            } catch (Throwable failure) {
                SMUGGLED.add("channel=" + describeFailure(step, failure).split(" ")[0]);
            }
            byte[] socketPayload = ("smuggled-socket step=" + step).getBytes(StandardCharsets.US_ASCII);
            try (DatagramSocket socket = new DatagramSocket()) {
                socket.send(new DatagramPacket(socketPayload, socketPayload.length, elsewhere));
                SMUGGLED.add("socket=sent");
            } catch (Throwable failure) {
                SMUGGLED.add("socket=" + describeFailure(step, failure).split(" ")[0]);
            }
        }

        @Override protected void create() { }
        @Override protected void bind(int port, InetAddress address) { localPort = 1; }
        @Override protected int peek(InetAddress address) { return 0; }
        @Override protected int peekData(DatagramPacket packet) { return 0; }
        @Override protected void receive(DatagramPacket packet) { }
        @Override @Deprecated protected void setTTL(byte ttl) { }
        @Override @Deprecated protected byte getTTL() { return 0; }
        @Override protected void setTimeToLive(int ttl) { }
        @Override protected int getTimeToLive() { return 0; }
        @Override protected void join(InetAddress group) { }
        @Override protected void leave(InetAddress group) { }
        @Override protected void joinGroup(SocketAddress group, java.net.NetworkInterface network) { }
        @Override protected void leaveGroup(SocketAddress group, java.net.NetworkInterface network) { }
        @Override protected void close() { }
        @Override public void setOption(int option, Object value) { }
        @Override public Object getOption(int option) { return null; }
    }

    /**
     * A {@code Path} of the application's making, on the default file system (so that
     * {@code UnixDomainSocketAddress.of} takes it), whose every other method throws.
     */
    private static java.nio.file.Path hostilePath(String claimed) {
        java.nio.file.FileSystem system = java.nio.file.Path.of(claimed).getFileSystem();
        return (java.nio.file.Path) java.lang.reflect.Proxy.newProxyInstance(DatagramHost.class.getClassLoader(),
                new Class<?>[] {java.nio.file.Path.class}, (proxy, method, arguments) -> {
                    if (method.getName().equals("getFileSystem")) {
                        return system;
                    }
                    HOSTILE_PATH_CALLS.incrementAndGet();
                    throw new IllegalStateException("the application's path was asked " + method.getName());
                });
    }

    /** {@code NAME=ADDRESS:PORT}: an address that carries a name of the application's choosing, no lookup made. */
    private static InetSocketAddress namedAddress(String spec) throws IOException {
        int equals = spec.indexOf('=');
        int colon = spec.lastIndexOf(':');
        InetAddress literal = InetAddress.getByName(spec.substring(equals + 1, colon));
        return new InetSocketAddress(InetAddress.getByAddress(spec.substring(0, equals), literal.getAddress()),
                Integer.parseInt(spec.substring(colon + 1)));
    }

    /** A plain socket's connect; the counting server answers one line. */
    private static String connect(InetSocketAddress endpoint) throws IOException {
        try (java.net.Socket socket = new java.net.Socket()) {
            socket.connect(endpoint, 10_000);
            return "connected answer=" + new String(socket.getInputStream().readNBytes(4), StandardCharsets.US_ASCII);
        }
    }

    private static InetSocketAddress address(String hostPort) {
        int colon = hostPort.lastIndexOf(':');
        return new InetSocketAddress(hostPort.substring(0, colon), Integer.parseInt(hostPort.substring(colon + 1)));
    }

    /** Names that cannot be written on a command line: {@code nul:} a name with a NUL, {@code long:N} N letters. */
    private static String name(String spec) {
        if (spec.startsWith("nul:")) {
            return spec.substring(4) + "\0.warden.test";
        }
        if (spec.startsWith("long:")) {
            return "a".repeat(Integer.parseInt(spec.substring(5))) + ".warden.test";
        }
        return spec;
    }

    private static String jndi(String name, String server) throws Exception {
        Hashtable<String, String> environment = new Hashtable<>();
        environment.put(Context.INITIAL_CONTEXT_FACTORY, "com.sun.jndi.dns.DnsContextFactory");
        environment.put(Context.PROVIDER_URL, "dns://" + server);
        environment.put("com.sun.jndi.dns.timeout.initial", "500");
        environment.put("com.sun.jndi.dns.timeout.retries", "1");
        InitialDirContext context = new InitialDirContext(environment);
        try {
            Attributes attributes = context.getAttributes(name, new String[] {"A"});
            return "records=" + attributes.get("A");
        } finally {
            context.close();
        }
    }

    /** A refusal is the first throwable in the chain whose message is Warden's; anything else failed on its own. */
    private static String describeFailure(int step, Throwable failure) {
        List<Throwable> chain = new ArrayList<>();
        for (Throwable t = failure; t != null && !chain.contains(t); t = t.getCause()) {
            chain.add(t);
        }
        for (Throwable t : chain) {
            if (t.getMessage() != null && t.getMessage().startsWith("warden:")) {
                return "DENIED step=" + step + " thrown=" + failure.getClass().getName() + " denial=" + t.getClass().getName()
                        + " cause=" + (t.getCause() == null ? "none" : t.getCause().getClass().getSimpleName())
                        + " message=" + t.getMessage();
            }
        }
        return "FAILED step=" + step + " thrown=" + failure.getClass().getName() + " message=" + failure.getMessage();
    }

    /** An address type of the application's own, whose every method throws (and counts the call). */
    private static final class OddAddress extends SocketAddress {

        @Override
        public String toString() {
            ODD_ADDRESS_CALLS.incrementAndGet();
            throw new IllegalStateException("the host's address object was asked for its text");
        }

        @Override
        public int hashCode() {
            ODD_ADDRESS_CALLS.incrementAndGet();
            throw new IllegalStateException("the host's address object was hashed");
        }

        @Override
        public boolean equals(Object other) {
            ODD_ADDRESS_CALLS.incrementAndGet();
            throw new IllegalStateException("the host's address object was compared");
        }
    }
}
