package dev.warden.e2e;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** Side channels on this machine that count what a host sent them, trusting nothing the host says. */
final class DatagramServers {

    private static final String SENTINEL = "sentinel";

    private DatagramServers() {
    }

    /**
     * Counts the datagrams that arrive on 127.0.0.1, by payload. With {@code answerDns}, it is a DNS
     * stub too: it answers every query with one A record, 127.0.0.1.
     */
    static final class CountingUdpServer implements AutoCloseable {
        private final DatagramSocket socket;
        private final boolean answerDns;
        private final List<String> payloads = Collections.synchronizedList(new ArrayList<>());
        private volatile CountDownLatch sentinelSeen = new CountDownLatch(1);

        CountingUdpServer(boolean answerDns) throws IOException {
            this(answerDns, InetAddress.getLoopbackAddress());
        }

        /** Receiving at {@code bound}: null for every address of this machine (its broadcasts included). */
        CountingUdpServer(boolean answerDns, InetAddress bound) throws IOException {
            this.answerDns = answerDns;
            socket = new DatagramSocket(0, bound);
            Thread receiver = new Thread(this::receive, "counting-udp-" + socket.getLocalPort());
            receiver.setDaemon(true);
            receiver.start();
        }

        private void receive() {
            byte[] buffer = new byte[65_536];
            while (!socket.isClosed()) {
                try {
                    DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
                    socket.receive(packet);
                    String payload = new String(packet.getData(), 0, packet.getLength(), StandardCharsets.ISO_8859_1);
                    if (payload.equals(SENTINEL)) {
                        sentinelSeen.countDown();
                        continue;
                    }
                    payloads.add(payload);
                    if (answerDns && packet.getLength() > 12) {
                        byte[] answer = dnsAnswer(packet.getData(), packet.getLength());
                        socket.send(new DatagramPacket(answer, answer.length, packet.getSocketAddress()));
                    }
                } catch (IOException e) {
                    // closed
                }
            }
        }

        int port() {
            return socket.getLocalPort();
        }

        /**
         * The datagrams sent before this call: the receiver reads them in order, so once it has seen a
         * datagram of ours, it has counted every one that arrived before.
         */
        List<String> payloadsBeforeNow() throws Exception {
            sentinelSeen = new CountDownLatch(1);
            try (DatagramSocket probe = new DatagramSocket()) {
                byte[] sentinel = SENTINEL.getBytes(StandardCharsets.US_ASCII);
                probe.send(new DatagramPacket(sentinel, sentinel.length, InetAddress.getLoopbackAddress(), port()));
            }
            if (!sentinelSeen.await(10, TimeUnit.SECONDS)) {
                throw new AssertionError("the receiver never saw the sentinel");
            }
            synchronized (payloads) {
                return List.copyOf(payloads);
            }
        }

        long count(String payload) throws Exception {
            return payloadsBeforeNow().stream().filter(payload::equals).count();
        }

        /** The query, turned into a response with one answer: 127.0.0.1, TTL 60. */
        private static byte[] dnsAnswer(byte[] query, int length) {
            ByteBuffer answer = ByteBuffer.allocate(length + 16);
            answer.put(query, 0, 2);                               // id
            answer.putShort((short) 0x8180);                       // response, recursion desired and available
            answer.putShort((short) 1).putShort((short) 1).putShort((short) 0).putShort((short) 0);
            answer.put(query, 12, length - 12);                    // the question
            answer.putShort((short) 0xc00c).putShort((short) 1).putShort((short) 1).putInt(60).putShort((short) 4);
            answer.put(new byte[] {127, 0, 0, 1});
            return answer.array();
        }

        @Override
        public void close() {
            socket.close();
        }
    }

    /** A unix-domain server socket on a temporary path that counts the connections made to it. */
    static final class CountingUnixServer implements AutoCloseable {
        private final Path path;
        private final ServerSocketChannel server;
        private final AtomicInteger accepted = new AtomicInteger();
        private final AtomicInteger probes = new AtomicInteger();

        CountingUnixServer(Path directory) throws IOException {
            this(directory, "service.sock");
        }

        CountingUnixServer(Path directory, String name) throws IOException {
            path = directory.resolve(name);
            Files.deleteIfExists(path);
            server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
            server.bind(UnixDomainSocketAddress.of(path));
            Thread acceptor = new Thread(this::accept, "counting-unix");
            acceptor.setDaemon(true);
            acceptor.start();
        }

        private void accept() {
            while (server.isOpen()) {
                try (SocketChannel connection = server.accept()) {
                    accepted.incrementAndGet();
                    connection.write(ByteBuffer.wrap("PONG\n".getBytes(StandardCharsets.US_ASCII)));
                } catch (IOException e) {
                    // closed, or the client went away: counted either way
                }
            }
        }

        Path path() {
            return path;
        }

        /** Connections made before this call, including those waiting in the backlog (accepted in order). */
        int connectionsBeforeNow() throws IOException {
            probes.incrementAndGet();
            try (SocketChannel probe = SocketChannel.open(UnixDomainSocketAddress.of(path))) {
                probe.read(ByteBuffer.allocate(16));
            }
            return accepted.get() - probes.get();
        }

        @Override
        public void close() throws IOException {
            server.close();
            Files.deleteIfExists(path);
        }
    }

    /**
     * Counts the datagrams that arrive at a unix-domain datagram socket on a temporary path, by payload. The JDK has no
     * unix datagrams, so this is Netty's epoll transport, in the test's JVM (which runs no agent).
     */
    static final class CountingUnixDatagramServer implements AutoCloseable {
        private final Path path;
        private final io.netty.channel.EventLoopGroup group = new io.netty.channel.epoll.EpollEventLoopGroup(1);
        private final io.netty.channel.Channel channel;
        private final List<String> payloads = Collections.synchronizedList(new ArrayList<>());
        private volatile CountDownLatch sentinelSeen = new CountDownLatch(1);

        CountingUnixDatagramServer(Path directory, String name) throws Exception {
            path = directory.resolve(name);
            Files.deleteIfExists(path);
            channel = new io.netty.bootstrap.Bootstrap().group(group).channel(io.netty.channel.epoll.EpollDomainDatagramChannel.class)
                    .handler(new io.netty.channel.SimpleChannelInboundHandler<io.netty.channel.unix.DomainDatagramPacket>() {
                        @Override
                        protected void channelRead0(io.netty.channel.ChannelHandlerContext context, io.netty.channel.unix.DomainDatagramPacket packet) {
                            String payload = packet.content().toString(StandardCharsets.ISO_8859_1);
                            if (payload.equals(SENTINEL)) {
                                sentinelSeen.countDown();
                            } else {
                                payloads.add(payload);
                            }
                        }
                    }).bind(new io.netty.channel.unix.DomainSocketAddress(path.toString())).sync().channel();
        }

        Path path() {
            return path;
        }

        /** The datagrams sent before this call: the socket reads them in order, so once it has seen ours, it has seen all. */
        List<String> payloadsBeforeNow() throws Exception {
            sentinelSeen = new CountDownLatch(1);
            io.netty.channel.Channel sender = new io.netty.bootstrap.Bootstrap().group(group)
                    .channel(io.netty.channel.epoll.EpollDomainDatagramChannel.class)
                    .option(io.netty.channel.ChannelOption.DATAGRAM_CHANNEL_ACTIVE_ON_REGISTRATION, true)
                    .handler(new io.netty.channel.ChannelInboundHandlerAdapter()).register().sync().channel();
            try {
                sender.writeAndFlush(new io.netty.channel.unix.DomainDatagramPacket(io.netty.buffer.Unpooled.copiedBuffer(SENTINEL,
                        StandardCharsets.US_ASCII), new io.netty.channel.unix.DomainSocketAddress(path.toString()))).sync();
            } finally {
                sender.close().sync();
            }
            if (!sentinelSeen.await(10, TimeUnit.SECONDS)) {
                throw new AssertionError("the unix datagram socket never saw the sentinel");
            }
            synchronized (payloads) {
                return List.copyOf(payloads);
            }
        }

        @Override
        public void close() throws Exception {
            channel.close().sync();
            group.shutdownGracefully(0, 0, TimeUnit.SECONDS).sync();
            Files.deleteIfExists(path);
        }
    }
}
