package dev.warden.bootstrap.http;

import dev.warden.bootstrap.Bindings;

import java.io.OutputStream;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * What an HTTP request's body binds in its action digest ({@link dev.warden.bootstrap.ActionRequest#binding()},
 * the member a prepared statement's values are bound by): an approval of one body never unlocks
 * another (docs/RECEIPTS.md, "Request bodies").
 * <ul>
 *   <li>no body (none, or one of size 0): nothing, the digest is the request's alone;</li>
 *   <li>a body the client already holds in memory, in a class of the client's own that Warden knows
 *       sends exactly those bytes on every write: the lowercase hex SHA-256 of the bytes, never read by calling the
 *       host's code. Bytes in an array the application handed the client (and can still write into) are copied, and
 *       the body made to hold the copy, which is what it then writes: code of the application's that overwrote the
 *       array after the decision (after {@code sendAsync} returned, in an interceptor) sent other bytes than the
 *       approval of the decided ones covered. Bytes the client made itself (from a string) are read where they lie;</li>
 *   <li>any other body (a stream, a file, a custom publisher or body, a subclass of a known class,
 *       {@code HttpURLConnection}'s output stream written after the decision, a body that threw):
 *       a fresh random nonce, so that the request is never the same action twice.</li>
 * </ul>
 * The classes known, by exact name (each reader reads what that class's own write method writes):
 * the JDK client's {@code BodyPublishers.ofString/ofByteArray} ({@code RequestPublishers$ByteArrayPublisher},
 * {@code $StringPublisher}) and {@code ofByteArrays} over a JDK list; OkHttp's
 * {@code RequestBody.create} of a byte array, string or {@code ByteString}; Apache HttpClient 4 and 5's
 * {@code ByteArrayEntity} and {@code StringEntity}.
 */
public final class RequestBodies {

    /** The body of a request whose bytes are written after it is decided ({@code HttpURLConnection}'s output stream). */
    public static final Object WRITTEN_AFTER_DECISION = new Object();

    /** Reads a known body's bytes into the sink, exactly as its client writes them. */
    private interface Reader {
        void read(Object body, Sink sink) throws Exception;
    }

    private static final Reader UNKNOWN = (body, sink) -> {
        throw new IllegalStateException("not a body Warden can read");
    };

    private static final Set<String> JDK_LISTS = Set.of("java.util.ArrayList", "java.util.Arrays$ArrayList",
            "java.util.ImmutableCollections$List12", "java.util.ImmutableCollections$ListN",
            "java.util.Collections$SingletonList");

    private static final ClassValue<Reader> READERS = new ClassValue<>() {
        @Override
        protected Reader computeValue(Class<?> type) {
            try {
                Reader reader = readerOf(type);
                return reader == null ? UNKNOWN : reader;
            } catch (ReflectiveOperationException | RuntimeException unreadable) {
                return UNKNOWN; // a version whose fields differ, a package not opened to Warden
            }
        }
    };

    private RequestBodies() {
    }

    /**
     * @param body the client's body object (a {@code BodyPublisher}, an OkHttp {@code RequestBody}, an
     *             Apache {@code HttpEntity}), {@link #WRITTEN_AFTER_DECISION}, or null without a body
     * @param size the body's length as the client declares it, -1 when unknown
     * @return the binding: null without a body, else 64 lowercase hex digits
     */
    public static String binding(Object body, long size) {
        if (body == null || size == 0) {
            return null;
        }
        Reader reader = body == WRITTEN_AFTER_DECISION ? UNKNOWN : READERS.get(body.getClass());
        if (reader != UNKNOWN) {
            try {
                Sink sink = new Sink();
                reader.read(body, sink);
                return sink.count == 0 ? null : Bindings.hexDigest(sink.digest);
            } catch (Throwable unread) {
                // what the client will write is not known: bound as unknown
            }
        }
        return Bindings.nonce(32);
    }

    private static Reader readerOf(Class<?> type) throws ReflectiveOperationException {
        switch (type.getName()) {
            case "jdk.internal.net.http.RequestPublishers$ByteArrayPublisher":
                return jdk(type) ? copied(field(type, "content"), field(type, "offset"), field(type, "length")) : null;
            case "jdk.internal.net.http.RequestPublishers$StringPublisher":
                return jdk(type) ? bytes(field(type.getSuperclass(), "content"),
                        field(type.getSuperclass(), "offset"), field(type.getSuperclass(), "length")) : null;
            case "jdk.internal.net.http.RequestPublishers$IterablePublisher":
                return jdk(type) ? jdkIterable(field(type, "content")) : null;
            case "org.apache.hc.core5.http.io.entity.ByteArrayEntity":
                return copied(field(type, "buf"), field(type, "off"), field(type, "len"));
            case "org.apache.http.entity.ByteArrayEntity":
                return copied(field(type, "b"), field(type, "off"), field(type, "len"));
            case "org.apache.hc.core5.http.io.entity.StringEntity":
            case "org.apache.http.entity.StringEntity":
                // Their writeTo writes the array they made of the string in one call: read where it lies.
                Method writeTo = type.getMethod("writeTo", OutputStream.class);
                return (body, sink) -> writeTo.invoke(body, sink);
            default:
                return type.getName().startsWith("okhttp3.RequestBody$Companion$toRequestBody$") ? okhttp(type) : null;
        }
    }

    /** A class of the JDK's own {@code java.net.http}, not a look-alike of the host's. */
    private static boolean jdk(Class<?> type) {
        Module module = type.getModule();
        return type.getClassLoader() == ClassLoader.getPlatformClassLoader() && module.isNamed()
                && "java.net.http".equals(module.getName());
    }

    /**
     * {@code ofByteArrays}: known only over a JDK list, whose iteration runs no host code. Its arrays are the
     * application's: copied into a list of the JDK's, which the publisher then holds ({@link #copied}).
     */
    private static Reader jdkIterable(Field content) {
        return (body, sink) -> {
            Object iterable = content.get(body);
            if (!JDK_LISTS.contains(iterable.getClass().getName()) || iterable.getClass().getClassLoader() != null) {
                throw new IllegalStateException("an iterable of the host's");
            }
            List<byte[]> copies = new ArrayList<>();
            for (Object array : (Iterable<?>) iterable) {
                copies.add(((byte[]) array).clone());
            }
            content.set(body, List.copyOf(copies));
            for (byte[] bytes : copies) {
                sink.write(bytes, 0, bytes.length);
            }
        };
    }

    /**
     * OkHttp 4's {@code RequestBody.create} (Kotlin's {@code toRequestBody}): final anonymous classes
     * holding the byte array with its offset and count, or the immutable {@code ByteString}, written
     * as they are. Any other shape (another OkHttp version) is unknown.
     */
    private static Reader okhttp(Class<?> type) throws ReflectiveOperationException {
        Field value = field(type, "$this_toRequestBody");
        if (value.getType() == byte[].class) {
            return copied(value, field(type, "$offset"), field(type, "$byteCount"));
        }
        if (value.getType().getName().equals("okio.ByteString")) {
            Method write = value.getType().getMethod("write", OutputStream.class);
            return (body, sink) -> {
                Object byteString = value.get(body);
                String kind = byteString.getClass().getName();
                if (!kind.equals("okio.ByteString") && !kind.equals("okio.SegmentedByteString")) {
                    throw new IllegalStateException("a ByteString of the host's");
                }
                write.invoke(byteString, sink);
            };
        }
        return null;
    }

    private static Reader bytes(Field array, Field offset, Field length) {
        return (body, sink) -> sink.write((byte[]) array.get(body), offset.getInt(body), length.getInt(body));
    }

    /**
     * An array the application handed the client, which its code can still write into after the decision: copied, the
     * body made to hold the copy (its final field set, as the agent's reflection may: these classes are the clients'
     * own, neither records nor hidden), and the copy digested, so the bytes written are the bytes bound. A body whose
     * field cannot be set is bound as unknown (a nonce): never the approval of other bytes.
     */
    private static Reader copied(Field array, Field offset, Field length) {
        return (body, sink) -> {
            byte[] copy = ((byte[]) array.get(body)).clone();
            array.set(body, copy);
            sink.write(copy, offset.getInt(body), length.getInt(body));
        };
    }

    private static Field field(Class<?> type, String name) throws NoSuchFieldException {
        Field field = type.getDeclaredField(name);
        field.setAccessible(true);
        return field;
    }

    /** Digests what is written to it, counting the bytes; copies nothing. */
    private static final class Sink extends OutputStream {
        final MessageDigest digest = Bindings.sha256();
        long count;

        @Override
        public void write(int b) {
            digest.update((byte) b);
            count++;
        }

        @Override
        public void write(byte[] bytes, int offset, int length) {
            java.util.Objects.checkFromIndexSize(offset, length, bytes.length);
            digest.update(bytes, offset, length);
            count += length;
        }
    }
}
