package dev.warden.bootstrap.http;

import java.net.SocketAddress;

/**
 * Netty's {@code DomainSocketAddress}, as the Netty that takes it defines it. An application can subclass it and
 * answer {@code path()} one way to Warden and another way to Netty, so only that exact class, found beside the
 * Netty object the address is handed to (in its loader, under its package prefix when shaded), is ever read.
 */
public final class NettyDomainSockets {

    private static final String ADDRESS = "io.netty.channel.unix.DomainSocketAddress";

    /**
     * Classes of Netty's that take a domain socket address, by the name Netty gives them: the unix transports'
     * {@code Socket} (epoll, kqueue, and Netty 4.2's io_uring, whose {@code LinuxSocket} extends it), and the io_uring
     * channels' unsafe, which connects without it.
     */
    private static final String[] TAKERS = {
            "io.netty.channel.unix.Socket",
            "io.netty.channel.uring.AbstractIoUringChannel$AbstractUringUnsafe",
            "io.netty.incubator.channel.uring.AbstractIOUringChannel$AbstractUringUnsafe",
    };

    private NettyDomainSockets() {
    }

    /**
     * The path {@code address} names, when it is exactly the {@code DomainSocketAddress} of the Netty {@code taker}
     * belongs to; otherwise null, unread.
     */
    public static String pathOf(Object taker, SocketAddress address) throws ReflectiveOperationException {
        Class<?> type = addressType(taker);
        return type != null && address != null && address.getClass() == type
                ? (String) type.getMethod("path").invoke(address) : null;
    }

    private static Class<?> addressType(Object taker) throws ClassNotFoundException {
        for (Class<?> type = taker == null ? null : taker.getClass(); type != null; type = type.getSuperclass()) {
            String name = type.getName();
            for (String netty : TAKERS) {
                if (name.endsWith(netty)) {
                    return Class.forName(name.substring(0, name.length() - netty.length()) + ADDRESS, false,
                            type.getClassLoader());
                }
            }
        }
        return null;
    }
}
