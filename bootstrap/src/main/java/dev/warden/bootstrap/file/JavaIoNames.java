package dev.warden.bootstrap.file;

import java.nio.charset.Charset;
import java.nio.file.Path;

/**
 * The name a {@code java.io} call hands the kernel: encoded in {@code sun.jnu.encoding}, where what the encoding
 * cannot take (a lone surrogate) becomes {@code '?'}. NIO refuses such a name instead, so a name read as written
 * would stop a path's resolution where the kernel goes on (through a link named {@code ?}, say). And a relative name
 * is handed over as it is: the kernel resolves it from the process's working directory, not from {@code user.dir}.
 */
public final class JavaIoNames {

    private static final Charset ENCODING = encoding();
    private static final String WORKING_DIRECTORY = workingDirectoryAtStart();

    private JavaIoNames() {
    }

    /** {@code name} as the kernel receives it from {@code java.io}; itself when it is ASCII (the common case). */
    public static String asOpened(String name) {
        for (int i = 0; i < name.length(); i++) {
            if (name.charAt(i) >= 0x80) {
                return new String(name.getBytes(ENCODING), ENCODING);
            }
        }
        return name;
    }

    /**
     * The directory the kernel resolves a relative {@code java.io} name from: the process's working directory
     * ({@code /proc/self/cwd}, read when Warden starts; Java cannot change it). Not the {@code user.dir} property,
     * which NIO resolves against and an operator's {@code -Duser.dir} sets elsewhere: with it, {@code
     * new FileOutputStream("x")} writes where NIO's {@code Path.of("x")} does not lead (a review, 2026-12-07). The
     * property only where the kernel's answer cannot be read.
     */
    public static String workingDirectory() {
        return WORKING_DIRECTORY;
    }

    /** {@code opened} (a name as the kernel receives it) made absolute as the kernel makes it. */
    public static String absolute(String opened) {
        if (opened.startsWith("/")) {
            return opened;
        }
        return opened.isEmpty() ? WORKING_DIRECTORY : WORKING_DIRECTORY + "/" + opened;
    }

    private static String workingDirectoryAtStart() {
        try {
            return Path.of("/proc/self/cwd").toRealPath().toString();
        } catch (java.io.IOException | RuntimeException unreadable) {
            return System.getProperty("user.dir");
        }
    }

    private static Charset encoding() {
        try {
            return Charset.forName(System.getProperty("sun.jnu.encoding", Charset.defaultCharset().name()));
        } catch (RuntimeException unknown) {
            return Charset.defaultCharset();
        }
    }
}
