package dev.warden.bootstrap.jvm;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * This JVM's own attach listener: the unix socket {@code /tmp/.java_pid<pid>} the JVM listens on once anything has
 * attached to it (an operator's {@code jcmd}, Warden's {@code control} CLI) or once code in the JVM has asked for it
 * (a {@code .attach_pid<pid>} file and a {@code SIGQUIT}, which {@code sun.misc.Signal.raise} sends). Whoever connects
 * to it as the JVM's OS user is served: agent properties (Warden's control key among them), agent loads. From outside
 * that is the OS user's business; from inside it is code of the JVM's own reaching past every gate, so such a connect
 * is decided as the {@code jvm} surface's {@code ATTACH}, never as a network connect a rule for unix sockets permits.
 */
public final class AttachListener {

    /** Where HotSpot puts it on Linux: the system's temporary directory, whatever {@code java.io.tmpdir} says. */
    private static final Path OWN = Path.of("/tmp", ".java_pid" + ProcessHandle.current().pid());

    private AttachListener() {
    }

    /**
     * Whether a connect to {@code socket} reaches this JVM's attach listener: the same file, by the file system's
     * identity, through whatever name or link ({@code socket} as the kernel will resolve it, links followed).
     */
    public static boolean isOwn(Path socket) {
        try {
            Object own = Files.readAttributes(OWN, BasicFileAttributes.class).fileKey();
            return own != null && own.equals(Files.readAttributes(socket, BasicFileAttributes.class).fileKey());
        } catch (IOException | RuntimeException absent) {
            return false; // no listener, or no such socket: nothing of the JVM's is reached
        }
    }
}
