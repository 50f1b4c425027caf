package fake.io.netty.channel;

/** Shaped like Netty's: a message with a recipient, which the io_uring datagram channel sends to. */
public interface AddressedEnvelope<M, A> {
    M content();

    A recipient();
}
