package dev.warden.bootstrap.jvm;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * This JVM's own attach listener: the unix socket {@code /tmp/.java_pid<pid>} the JVM listens on once anything has
 * attached to it (an operator's {@code jcmd}, Warden's {@code control} CLI) or once something has asked for it (a
 * {@code .attach_pid<pid>} file and a {@code SIGQUIT}, which the JDK's attach client sends natively). Whoever connects
 * to it as the JVM's OS user is served: agent properties (Warden's control key among them), agent loads. From outside
 * that is the OS user's business; from inside it is code of the JVM's own reaching past every gate, so such a connect
 * is decided as the {@code jvm} surface's {@code ATTACH}, never as a network connect a rule for unix sockets permits.
 * The socket file itself is one of Warden's own files (no host action opens, moves, links or deletes it), and its
 * last identity is remembered, so a name that reaches it after it left its own is still told apart.
 */
public final class AttachListener {

    /** Where HotSpot puts it on Linux: the system's temporary directory, whatever {@code java.io.tmpdir} says. */
    private static final Path OWN = Path.of("/tmp", ".java_pid" + ProcessHandle.current().pid());

    /**
     * The identity the listener's socket was last seen with: if it is gone from its name (removed from outside: host
     * code may not move or delete it), a socket of that identity elsewhere is still it. Only the last one: an identity
     * the file system reuses later must not make an unrelated socket the listener.
     */
    private static volatile Object lastSeen;

    private AttachListener() {
    }

    /** Where the listener's socket is, whether it exists yet or not. */
    public static Path socket() {
        return OWN;
    }

    /**
     * The process id of the JVM whose attach listener {@code socket} is, by HotSpot's name for it ({@code .java_pid<pid>},
     * as named or where its links lead), or null. Another JVM's listener serves its agent properties and loads agents
     * into it as it serves this one's: a connect to it is an attach, as the JDK's attach client's is.
     */
    public static String otherListenersPid(Path socket) {
        String named = listenerPid(socket.getFileName());
        if (named != null) {
            return named;
        }
        try {
            return listenerPid(socket.toRealPath().getFileName());
        } catch (IOException | RuntimeException absent) {
            return null; // no such socket: nothing is reached
        }
    }

    private static String listenerPid(Path name) {
        String text = name == null ? "" : name.toString();
        if (!text.startsWith(".java_pid") || text.length() == ".java_pid".length() || text.length() > ".java_pid".length() + 19) {
            return null;
        }
        for (int i = ".java_pid".length(); i < text.length(); i++) {
            if (text.charAt(i) < '0' || text.charAt(i) > '9') {
                return null;
            }
        }
        return text.substring(".java_pid".length());
    }

    /**
     * Whether a connect to {@code socket} reaches this JVM's attach listener: its name, or the same file by the file
     * system's identity (as it is now, or as it was seen before), through whatever name or link ({@code socket} as the
     * kernel will resolve it, links followed).
     */
    public static boolean isOwn(Path socket) {
        if (OWN.equals(socket.toAbsolutePath().normalize())) {
            return true; // even before it exists: it may, by the time the connect is made
        }
        try {
            Object own = Files.readAttributes(OWN, BasicFileAttributes.class).fileKey();
            if (own != null) {
                lastSeen = own;
            }
        } catch (IOException | RuntimeException absent) {
            // not listening under its name now
        }
        Object seen = lastSeen;
        if (seen == null) {
            return false;
        }
        try {
            return seen.equals(Files.readAttributes(socket, BasicFileAttributes.class).fileKey());
        } catch (IOException | RuntimeException absent) {
            return false; // no such socket: nothing is reached
        }
    }
}
