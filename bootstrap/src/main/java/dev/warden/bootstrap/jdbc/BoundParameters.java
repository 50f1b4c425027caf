package dev.warden.bootstrap.jdbc;

import dev.warden.bootstrap.Bindings;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The parameter values bound to one prepared or callable statement, as its {@code set*} calls left
 * them, so that an execution's action digest binds them: deleting invoice 7 and deleting invoice 8
 * are two actions. Only their digest leaves this class (never a value), computed once per set of
 * values: a statement re-executed with what it had is not hashed again.
 * <p>
 * A value Warden cannot know for certain when the statement runs (a stream, a reader, a {@code Blob},
 * an object of a type it does not know, a setter that threw) is <em>unknown</em>: it is digested as a
 * fresh random nonce at every execution, so an action with an unknown value is never the same action
 * twice and no approval of another execution can unlock it. Mutable values Warden knows (byte arrays,
 * {@code java.util.Date}s) are copied, and the copy is what the driver receives, so that the host cannot
 * change them between the set and the execution.
 * <p>
 * The encoding digested (docs/RECEIPTS.md, "Bound parameters"): the parameters ordered by index, then
 * named ones by name; each as the fields key ({@code 1}, or {@code @name}), setter ({@code setLong}),
 * the number of values, then each value as {@code <java class name>:<text>} (or {@code null}); every
 * field written as its UTF-8 byte length in decimal, {@code ':'}, and its UTF-8 bytes.
 */
public final class BoundParameters {

    /**
     * Each thread's digest (a provider look-up per execution cost more than the hash). Private: a host holding
     * its thread's instance could feed it from another thread while a digest is computed.
     */
    private static final ThreadLocal<DigestBuffer> THREAD_DIGEST = ThreadLocal.withInitial(DigestBuffer::new);

    private static final byte[] UNKNOWN_PREFIX = "unknown:".getBytes(StandardCharsets.US_ASCII);

    /** The value of a parameter Warden cannot know (see the class comment). */
    static final Object UNKNOWN = new Object();

    private record Parameter(Object key, String setter, Object[] values) {
    }

    private final List<Parameter> parameters = new ArrayList<>(4);
    private String digest;
    private boolean hasUnknown;

    /**
     * Records {@code setter(arguments)}: the key first, then the values.
     *
     * @return the arguments the driver must receive: {@code arguments} itself, or a copy whose mutable
     *         values are Warden's own copies
     */
    synchronized Object[] set(String setter, Object[] arguments) {
        Object[] passed = arguments;
        Object[] values = new Object[arguments.length - 1];
        for (int i = 1; i < arguments.length; i++) {
            Object value = arguments[i];
            Object own = ParameterValues.ownCopy(value);
            if (own != value) {
                if (passed == arguments) {
                    passed = arguments.clone();
                }
                passed[i] = own;
            }
            values[i - 1] = ParameterValues.known(own) ? own : UNKNOWN;
        }
        put(new Parameter(arguments[0], setter, values));
        return passed;
    }

    /** A setter for {@code key} threw: what the driver holds for it is not known. */
    synchronized void failed(Object key) {
        put(new Parameter(key, "failed", new Object[]{UNKNOWN}));
    }

    synchronized void clear() {
        parameters.clear();
        digest = null;
        hasUnknown = false;
    }

    /** Lowercase hex SHA-256 of the encoding, or null when no parameter is bound. */
    synchronized String digest() {
        if (parameters.isEmpty()) {
            return null;
        }
        if (digest != null) {
            return digest;
        }
        DigestBuffer sha = THREAD_DIGEST.get().reset(); // nothing below calls out of the JDK's value types
        for (int p = 0; p < parameters.size(); p++) { // indexed: no iterator per execution
            Parameter parameter = parameters.get(p);
            if (parameter.key() instanceof Integer index) {
                number(sha, index);
            } else {
                field(sha, parameter.key() instanceof String name ? "@" + name : String.valueOf(parameter.key()));
            }
            field(sha, parameter.setter());
            number(sha, parameter.values().length);
            for (Object value : parameter.values()) {
                if (value == UNKNOWN) {
                    byte[] hex = Bindings.nonce(16).getBytes(StandardCharsets.US_ASCII);
                    length(sha, UNKNOWN_PREFIX.length + hex.length);
                    sha.put(UNKNOWN_PREFIX);
                    sha.put(hex);
                } else {
                    ParameterValues.write(sha, value);
                }
            }
        }
        String computed = sha.hex();
        if (!hasUnknown) {
            digest = computed; // with an unknown value every execution is another action
        }
        return computed;
    }

    private void put(Parameter parameter) {
        digest = null;
        hasUnknown = false;
        int at = 0;
        while (at < parameters.size() && compare(parameters.get(at).key(), parameter.key()) < 0) {
            at++;
        }
        if (at < parameters.size() && compare(parameters.get(at).key(), parameter.key()) == 0) {
            parameters.set(at, parameter);
        } else {
            parameters.add(at, parameter);
        }
        for (Parameter each : parameters) {
            for (Object value : each.values()) {
                hasUnknown |= value == UNKNOWN;
            }
        }
    }

    /** Indexes in numeric order before names in String order; any other key sorts by its text after both. */
    private static int compare(Object a, Object b) {
        int rankA = rank(a);
        int rankB = rank(b);
        if (rankA != rankB) {
            return Integer.compare(rankA, rankB);
        }
        if (rankA == 0) {
            return Integer.compare((Integer) a, (Integer) b);
        }
        return String.valueOf(a).compareTo(String.valueOf(b));
    }

    private static int rank(Object key) {
        return key instanceof Integer ? 0 : key instanceof String ? 1 : 2;
    }

    static void field(DigestBuffer sha, String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        length(sha, bytes.length);
        sha.put(bytes);
    }

    static void length(DigestBuffer sha, long length) {
        Decimal.write(sha, length);
        sha.put((byte) ':');
    }

    /** A field holding {@code n} in decimal: what {@code field(sha, Long.toString(n))} digests, without the strings. */
    static void number(DigestBuffer sha, long n) {
        length(sha, Decimal.length(n));
        Decimal.write(sha, n);
    }
}
