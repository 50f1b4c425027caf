package dev.warden.bootstrap.file;

import java.nio.charset.Charset;

/**
 * The name a {@code java.io} call hands the kernel: encoded in {@code sun.jnu.encoding}, where what the encoding
 * cannot take (a lone surrogate) becomes {@code '?'}. NIO refuses such a name instead, so a name read as written
 * would stop a path's resolution where the kernel goes on (through a link named {@code ?}, say).
 */
public final class JavaIoNames {

    private static final Charset ENCODING = encoding();

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

    private static Charset encoding() {
        try {
            return Charset.forName(System.getProperty("sun.jnu.encoding", Charset.defaultCharset().name()));
        } catch (RuntimeException unknown) {
            return Charset.defaultCharset();
        }
    }
}
