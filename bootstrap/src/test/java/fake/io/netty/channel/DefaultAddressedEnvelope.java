package fake.io.netty.channel;

/** Shaped like Netty's: the recipient a final field. */
public class DefaultAddressedEnvelope<M, A> implements AddressedEnvelope<M, A> {
    private final M message;
    private final A recipient;

    public DefaultAddressedEnvelope(M message, A recipient) {
        this.message = message;
        this.recipient = recipient;
    }

    @Override
    public M content() {
        return message;
    }

    @Override
    public A recipient() {
        return recipient;
    }
}
