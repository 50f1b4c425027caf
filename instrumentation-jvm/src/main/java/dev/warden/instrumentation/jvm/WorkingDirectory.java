package dev.warden.instrumentation.jvm;

import java.io.IOException;
import java.nio.file.Path;

/**
 * The directory the JVM opens relative names from: the process's own working directory, which the kernel knows
 * ({@code /proc/self/cwd}), not the {@code user.dir} property, which an operator's {@code -Duser.dir} or the
 * application may set to anything. The property only where the kernel's answer cannot be read.
 */
final class WorkingDirectory {

    private WorkingDirectory() {
    }

    static String atStart() {
        try {
            return Path.of("/proc/self/cwd").toRealPath().toString();
        } catch (IOException | RuntimeException unreadable) {
            return System.getProperty("user.dir");
        }
    }
}
