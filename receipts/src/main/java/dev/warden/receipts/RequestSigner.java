package dev.warden.receipts;

/**
 * Signs the approval requests a gate publishes with its receipt log's key (a hold is not on the hot path: ~60 µs).
 * It signs requests and nothing else: their signed bytes start with a line no checkpoint can.
 */
@FunctionalInterface
public interface RequestSigner {

    /** Publishes requests unsigned: a gate without a log (which holds nothing), and tests of other things. */
    RequestSigner UNSIGNED = request -> new PublishedRequest(request, null);

    PublishedRequest sign(ApprovalRequest request);

    static RequestSigner with(SigningKey key) {
        return request -> PublishedRequest.sign(request, key);
    }
}
