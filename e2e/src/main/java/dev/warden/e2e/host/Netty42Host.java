package dev.warden.e2e.host;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.unix.DomainSocketAddress;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Netty 4.2's own io_uring transport ({@code io.netty.channel.uring}, the incubator's moved into Netty), on the class
 * path {@code e2e/classpaths/netty42} writes. e2e compiles against Netty 4.1, so the types only 4.2 has (its event loop
 * group of I/O handlers, the io_uring channels) are looked up by name; {@code Bootstrap} and {@code Channel} are the
 * same in both.
 * <pre>
 *   in:   io_uring|HOST:PORT          (a TCP connect, submitted to the ring; reads the server's answer)
 *       | io_uring-unix|PATH          (a unix-domain connect, IoUringDomainSocketChannel)
 *       | io_uring-bind|PATH          (a unix-domain server, IoUringServerDomainSocketChannel, bound to PATH, then closed)
 *       | io_uring-udp|HOST:PORT|COUNT  (COUNT datagrams written, then flushed together, IoUringDatagramChannel)
 *   out:  OK step=N ...  |  DENIED step=N ...  |  ERROR step=N ...
 * </pre>
 */
public final class Netty42Host {

    private static final String URING = "io.netty.channel.uring.";

    private Netty42Host() {
    }

    public static void main(String[] args) throws Exception {
        boolean available = (boolean) Class.forName(URING + "IoUring").getMethod("isAvailable").invoke(null);
        if (!available) {
            throw new IllegalStateException("Netty 4.2's io_uring transport is not available here",
                    (Throwable) Class.forName(URING + "IoUring").getMethod("unavailabilityCause").invoke(null));
        }
        for (int step = 0; step < args.length; step++) {
            System.out.println(run(step, args[step]));
        }
        System.out.println("DONE");
    }

    private static String run(int step, String instruction) {
        String[] parts = instruction.split("\\|");
        try {
            switch (parts[0]) {
                case "io_uring" -> {
                    return "OK step=" + step + " " + NettyConnect.connect(group(), channel("IoUringSocketChannel"), address(parts[1]));
                }
                case "io_uring-udp" -> {
                    return "OK step=" + step + " " + NettyConnect.sendDatagrams(group(), channel("IoUringDatagramChannel"),
                            address(parts[1]), "uring42-" + step, Integer.parseInt(parts[2]));
                }
                case "io_uring-unix" -> {
                    return "OK step=" + step + " " + NettyConnect.connect(group(), channel("IoUringDomainSocketChannel"),
                            new DomainSocketAddress(parts[1]));
                }
                case "io_uring-bind" -> {
                    return "OK step=" + step + " " + bind(parts[1]);
                }
                default -> throw new IllegalArgumentException("unknown instruction " + instruction);
            }
        } catch (Throwable thrown) {
            return StepFailures.line(step, thrown);
        }
    }

    private static InetSocketAddress address(String hostAndPort) {
        int colon = hostAndPort.lastIndexOf(':');
        return new InetSocketAddress(hostAndPort.substring(0, colon), Integer.parseInt(hostAndPort.substring(colon + 1)));
    }

    /** Binds a unix-domain server to {@code path}: whether the socket file was there while it was bound, then closes it. */
    private static String bind(String path) throws Exception {
        EventLoopGroup group = group();
        try {
            Channel server = new ServerBootstrap().group(group).channel(serverChannel("IoUringServerDomainSocketChannel"))
                    .childHandler(new ChannelInboundHandlerAdapter()).bind(new DomainSocketAddress(path)).sync().channel();
            boolean made = Files.exists(Path.of(path));
            server.close().sync();
            return "bound=" + path + " file-made=" + made;
        } finally {
            group.shutdownGracefully(0, 0, TimeUnit.SECONDS).sync();
        }
    }

    /** {@code new MultiThreadIoEventLoopGroup(1, IoUringIoHandler.newFactory())}. */
    private static EventLoopGroup group() throws ReflectiveOperationException {
        Object factory = Class.forName(URING + "IoUringIoHandler").getMethod("newFactory").invoke(null);
        return (EventLoopGroup) Class.forName("io.netty.channel.MultiThreadIoEventLoopGroup")
                .getConstructor(int.class, Class.forName("io.netty.channel.IoHandlerFactory")).newInstance(1, factory);
    }

    @SuppressWarnings("unchecked")
    private static Class<? extends Channel> channel(String name) throws ClassNotFoundException {
        return (Class<? extends Channel>) Class.forName(URING + name);
    }

    @SuppressWarnings("unchecked")
    private static Class<? extends io.netty.channel.ServerChannel> serverChannel(String name) throws ClassNotFoundException {
        return (Class<? extends io.netty.channel.ServerChannel>) Class.forName(URING + name);
    }
}
