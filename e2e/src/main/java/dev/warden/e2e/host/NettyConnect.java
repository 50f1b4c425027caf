package dev.warden.e2e.host;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollDomainDatagramChannel;
import io.netty.channel.epoll.EpollDomainSocketChannel;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.channel.unix.DomainDatagramPacket;
import io.netty.channel.unix.DomainSocketAddress;
import io.netty.incubator.channel.uring.IOUring;
import io.netty.incubator.channel.uring.IOUringDatagramChannel;
import io.netty.incubator.channel.uring.IOUringEventLoopGroup;
import io.netty.incubator.channel.uring.IOUringSocketChannel;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A Netty client that connects and reads the server's one-line answer, on the NIO transport or on the
 * native epoll one; with TCP Fast Open, it writes its first bytes before connecting, so that they
 * leave with the SYN (Netty sends them with {@code sendto(MSG_FASTOPEN)}: a direct buffer through
 * {@code sendToAddress}, a composite one through {@code sendToAddresses}). On the io_uring transport (the
 * incubator's), the connect, or the fast-open {@code sendmsg}, is submitted to the kernel's ring instead.
 */
final class NettyConnect {

    private static final long TIMEOUT_SECONDS = 30;

    private NettyConnect() {
    }

    /**
     * @param transport {@code nio}, {@code epoll}, {@code tfo-direct}/{@code tfo-composite} (epoll), or {@code io_uring}
     *                  (the incubator's, which submits the connect to the ring) and {@code io_uring-tfo} (its TCP Fast
     *                  Open: a {@code sendmsg(MSG_FASTOPEN)} submitted to the ring, with the first bytes)
     */
    static String connect(String transport, InetSocketAddress address) throws Exception {
        boolean nio = transport.equals("nio");
        boolean ioUring = transport.startsWith("io_uring");
        if (ioUring && !IOUring.isAvailable()) {
            throw new IllegalStateException("Netty's io_uring transport is not available here", IOUring.unavailabilityCause());
        }
        if (!nio && !ioUring && !Epoll.isAvailable()) {
            throw new IllegalStateException("Netty's epoll transport is not available here", Epoll.unavailabilityCause());
        }
        EventLoopGroup group = nio ? new NioEventLoopGroup(1) : ioUring ? new IOUringEventLoopGroup(1) : new EpollEventLoopGroup(1);
        try {
            CompletableFuture<String> answer = new CompletableFuture<>();
            Bootstrap bootstrap = new Bootstrap().group(group)
                    .channel(nio ? NioSocketChannel.class : ioUring ? IOUringSocketChannel.class : EpollSocketChannel.class)
                    .handler(new AnswerReader(answer));
            Channel channel;
            if (transport.startsWith("tfo-") || transport.equals("io_uring-tfo")) {
                bootstrap.option(EpollChannelOption.TCP_FASTOPEN_CONNECT, true);
                channel = bootstrap.register().sync().channel();
                channel.write(firstBytes(transport));
                channel.connect(address).sync();
            } else {
                channel = bootstrap.connect(address).sync().channel();
            }
            return "connected=" + channel.remoteAddress() + " answer=" + answer.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } finally {
            group.shutdownGracefully(0, 0, TimeUnit.SECONDS).sync();
        }
    }

    /**
     * Connects to a unix-domain socket over Netty's epoll transport, which connects natively, past the
     * JDK's unix-domain sockets, and reads the server's answer.
     *
     * @param subclass address the socket with an application's own subclass of Netty's address type
     */
    static String connectUnix(String path, boolean subclass) throws Exception {
        if (!Epoll.isAvailable()) {
            throw new IllegalStateException("Netty's epoll transport is not available here", Epoll.unavailabilityCause());
        }
        DomainSocketAddress address = subclass ? new DomainSocketAddress(path) {
            @Override
            public String toString() {
                return "the application's own address";
            }
        } : new DomainSocketAddress(path);
        return connect(new EpollEventLoopGroup(1), EpollDomainSocketChannel.class, address);
    }

    /** Connects a {@code type} channel of {@code group} to {@code address}, reads the server's answer, and shuts the group down. */
    static String connect(EventLoopGroup group, Class<? extends Channel> type, SocketAddress address) throws Exception {
        try {
            CompletableFuture<String> answer = new CompletableFuture<>();
            Channel channel = new Bootstrap().group(group).channel(type).handler(new AnswerReader(answer)).connect(address).sync().channel();
            return "connected=" + channel.remoteAddress() + " answer=" + answer.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } finally {
            group.shutdownGracefully(0, 0, TimeUnit.SECONDS).sync();
        }
    }

    /**
     * Sends {@code count} datagrams of {@code payload} to {@code target} over Netty's epoll datagram channel, which
     * sends from JNI, past the JDK: one written and flushed alone goes through {@code sendTo}, several flushed together
     * through one {@code sendmmsg}. Over the incubator's io_uring transport ({@code ioUring}) each one's {@code sendmsg}
     * is submitted to the kernel's ring instead.
     *
     * @return how many were sent and how many failed, with the first failure's message
     */
    static String sendDatagrams(boolean ioUring, InetSocketAddress target, String payload, int count) throws Exception {
        if (ioUring && !IOUring.isAvailable()) {
            throw new IllegalStateException("Netty's io_uring transport is not available here", IOUring.unavailabilityCause());
        }
        if (!ioUring && !Epoll.isAvailable()) {
            throw new IllegalStateException("Netty's epoll transport is not available here", Epoll.unavailabilityCause());
        }
        return sendDatagrams(ioUring ? new IOUringEventLoopGroup(1) : new EpollEventLoopGroup(1),
                ioUring ? IOUringDatagramChannel.class : EpollDatagramChannel.class, target, payload, count);
    }

    /** Sends {@code count} datagrams as above over a {@code type} channel of {@code group}, and shuts the group down. */
    static String sendDatagrams(EventLoopGroup group, Class<? extends Channel> type, InetSocketAddress target, String payload,
                                int count) throws Exception {
        try {
            Channel channel = new Bootstrap().group(group).channel(type)
                    .handler(new ChannelInboundHandlerAdapter()).bind(0).sync().channel();
            List<ChannelFuture> writes = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                writes.add(channel.write(new DatagramPacket(Unpooled.copiedBuffer(payload, StandardCharsets.US_ASCII), target)));
            }
            channel.flush();
            int sent = 0;
            String firstFailure = "none";
            for (ChannelFuture write : writes) {
                write.await(TIMEOUT_SECONDS, TimeUnit.SECONDS);
                if (write.isSuccess()) {
                    sent++;
                } else if (firstFailure.equals("none")) {
                    firstFailure = String.valueOf(write.cause());
                }
            }
            channel.close().sync();
            return "sent=" + sent + " failed=" + (count - sent) + " first-failure=" + firstFailure;
        } finally {
            group.shutdownGracefully(0, 0, TimeUnit.SECONDS).sync();
        }
    }

    /** Sends one unix-domain datagram of {@code payload} to the socket at {@code path}, over Netty's epoll transport. */
    static String sendUnixDatagram(String path, String payload) throws Exception {
        if (!Epoll.isAvailable()) {
            throw new IllegalStateException("Netty's epoll transport is not available here", Epoll.unavailabilityCause());
        }
        EventLoopGroup group = new EpollEventLoopGroup(1);
        try {
            Channel channel = new Bootstrap().group(group).channel(EpollDomainDatagramChannel.class)
                    .option(io.netty.channel.ChannelOption.DATAGRAM_CHANNEL_ACTIVE_ON_REGISTRATION, true)
                    .handler(new ChannelInboundHandlerAdapter()).register().sync().channel();
            ChannelFuture write = channel.writeAndFlush(new DomainDatagramPacket(Unpooled.copiedBuffer(payload, StandardCharsets.US_ASCII),
                    new DomainSocketAddress(path)));
            write.await(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            channel.close().sync();
            return write.isSuccess() ? "sent=1" : "sent=0 failure=" + write.cause();
        } finally {
            group.shutdownGracefully(0, 0, TimeUnit.SECONDS).sync();
        }
    }

    private static ByteBuf firstBytes(String transport) {
        byte[] hello = "HELLO\n".getBytes(StandardCharsets.US_ASCII);
        switch (transport) {
            case "tfo-direct":
            case "io_uring-tfo":
                return Unpooled.directBuffer().writeBytes(hello);
            case "tfo-composite":
                CompositeByteBuf composite = Unpooled.compositeBuffer();
                composite.addComponent(true, Unpooled.directBuffer().writeBytes(hello, 0, 3));
                composite.addComponent(true, Unpooled.directBuffer().writeBytes(hello, 3, hello.length - 3));
                return composite;
            default:
                throw new IllegalArgumentException("unknown transport " + transport);
        }
    }

    /** Collects what the server says until it closes. */
    private static final class AnswerReader extends ChannelInboundHandlerAdapter {
        private final CompletableFuture<String> answer;
        private final StringBuilder received = new StringBuilder();

        AnswerReader(CompletableFuture<String> answer) {
            this.answer = answer;
        }

        @Override
        public void channelRead(ChannelHandlerContext context, Object message) {
            ByteBuf bytes = (ByteBuf) message;
            received.append(bytes.toString(StandardCharsets.US_ASCII));
            bytes.release();
        }

        @Override
        public void channelInactive(ChannelHandlerContext context) {
            answer.complete(received.toString().strip());
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext context, Throwable cause) {
            answer.completeExceptionally(cause);
            context.close();
        }
    }
}
