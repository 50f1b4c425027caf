package fake.io.netty.channel.unix;

/** Stands for a shaded copy of Netty's native socket: its package is Netty's under a prefix. */
public abstract class Socket {
}
