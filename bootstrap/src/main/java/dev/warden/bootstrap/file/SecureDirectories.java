package dev.warden.bootstrap.file;

import java.lang.reflect.Field;
import java.nio.file.Path;

/**
 * Where a name given to a {@code SecureDirectoryStream} leads. The JDK's stream ({@code sun.nio.fs.UnixSecureDirectoryStream})
 * holds its directory open and acts with {@code openat}, {@code unlinkat} and {@code renameat}: a relative name is
 * resolved by the kernel against that open directory, wherever it is now, and an absolute name ignores it. Linux names
 * an open directory {@code /proc/self/fd/N}, a link to where it is now, so the path decided is that link and the name:
 * the file surface's walk follows it as the kernel does. (Where {@code /proc} is missing, the path names nothing the
 * policy permits and a least-privilege policy refuses it.)
 */
public final class SecureDirectories {

    private static final String JDK_STREAM = "sun.nio.fs.UnixSecureDirectoryStream";

    private SecureDirectories() {
    }

    /** The path {@code name} means to the stream whose open directory is {@code descriptor}. */
    public static Path resolve(int descriptor, Path name) {
        if (name == null || name.isAbsolute() || !name.getClass().getName().equals("sun.nio.fs.UnixPath")) {
            return name; // absolute: openat ignores the directory; another provider's path: the JDK refuses it
        }
        return directory(descriptor).resolve(name);
    }

    /**
     * The open directory itself, {@code /proc/self/fd/N}: what a change made through the descriptor ({@code fchmod},
     * {@code futimens}, {@code fchown} of a view bound to the stream, not to a name in it) acts on, the link followed.
     */
    public static Path directory(int descriptor) {
        return Path.of("/proc/self/fd", Integer.toString(descriptor));
    }

    /**
     * The directory descriptor of the stream a name is moved into; -1 when it is not the JDK's stream (the JDK then
     * refuses the move itself, before it touches the disk).
     *
     * @throws IllegalStateException when it is the JDK's stream and its descriptor cannot be read (the move is refused)
     */
    public static int descriptorOf(Object stream) {
        if (stream == null || !stream.getClass().getName().equals(JDK_STREAM) || stream.getClass().getClassLoader() != null) {
            return -1;
        }
        try {
            return Descriptor.FIELD.getInt(stream);
        } catch (IllegalAccessException | RuntimeException | ExceptionInInitializerError | NoClassDefFoundError failure) {
            throw new IllegalStateException("the descriptor of the directory a secure directory stream moves to cannot be read", failure);
        }
    }

    /** Looked up on the first move: java.base opens sun.nio.fs to Warden's bootstrap classes. */
    private static final class Descriptor {
        static final Field FIELD;

        static {
            try {
                Field field = Class.forName(JDK_STREAM, false, null).getDeclaredField("dfd");
                field.setAccessible(true);
                FIELD = field;
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
