package fake.io.netty.incubator.channel.uring;

/** Named as the incubator's io_uring datagram channel, in the fake Netty whose envelopes are beside it. */
public final class IOUringDatagramChannel {
}
