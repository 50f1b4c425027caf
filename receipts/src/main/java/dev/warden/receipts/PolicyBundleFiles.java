package dev.warden.receipts;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collections;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The files of an archived policy bundle, read back from its encoding (docs/RECEIPTS.md, "Policy
 * archive"): the magic line {@code warden-policy-bundle/1\n}, then per file its path, a zero byte,
 * its length as 8 bytes big-endian and its bytes. Verifiers read the approvers' public keys from it.
 */
public final class PolicyBundleFiles {

    private static final byte[] MAGIC = "warden-policy-bundle/1\n".getBytes(StandardCharsets.US_ASCII);

    private PolicyBundleFiles() {
    }

    /** @throws IllegalArgumentException when the bytes are not a policy bundle */
    public static SortedMap<String, byte[]> decode(byte[] bundle) {
        if (bundle.length < MAGIC.length || !Arrays.equals(bundle, 0, MAGIC.length, MAGIC, 0, MAGIC.length)) {
            throw new IllegalArgumentException("not a policy bundle (no warden-policy-bundle/1 line)");
        }
        SortedMap<String, byte[]> files = new TreeMap<>();
        ByteBuffer in = ByteBuffer.wrap(bundle);
        in.position(MAGIC.length);
        while (in.hasRemaining()) {
            int start = in.position();
            int zero = start;
            while (zero < bundle.length && bundle[zero] != 0) {
                zero++;
            }
            if (zero + 1 + Long.BYTES > bundle.length) {
                throw new IllegalArgumentException("policy bundle cut short after byte " + start);
            }
            String path = new String(bundle, start, zero - start, StandardCharsets.UTF_8);
            in.position(zero + 1);
            long length = in.getLong();
            if (length < 0 || length > in.remaining()) {
                throw new IllegalArgumentException("policy bundle file " + path + " is cut short");
            }
            byte[] content = new byte[(int) length];
            in.get(content);
            files.put(path, content);
        }
        return Collections.unmodifiableSortedMap(files);
    }
}
