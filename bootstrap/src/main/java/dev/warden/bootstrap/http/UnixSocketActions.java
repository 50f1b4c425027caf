package dev.warden.bootstrap.http;

import dev.warden.bootstrap.ActionRequest;
import dev.warden.bootstrap.Decision;
import dev.warden.bootstrap.Gate;
import dev.warden.bootstrap.file.JavaIoNames;
import dev.warden.bootstrap.jvm.AttachListener;
import dev.warden.bootstrap.jvm.JvmActions;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

/**
 * Unix-domain socket connects under {@code net}: {@code CONNECT unix:<absolute path>}. They do not
 * leave the machine, but what listens there is a server all the same (Docker's socket runs
 * containers as root, a database's socket takes SQL). One is the JVM's own: a connect to its attach
 * listener is decided as {@code jvm ATTACH} instead ({@link AttachListener}), and so is a connect to another JVM's.
 */
public final class UnixSocketActions {

    /** Whether the net surface is gated: if not, of the JDK's unix connects only those to an attach listener are decided. */
    private static volatile boolean netGated;

    private UnixSocketActions() {
    }

    /**
     * Decides every unix connect of the JDK's under {@code net}, from now on; set at start when {@code net} is gated. The
     * JDK's connect is advised with the {@code jvm} surface, gated whatever {@code surfaces=} names, since one socket is
     * the attach listener, which serves the control key. One way: nothing turns it off again.
     */
    public static void gateNet() {
        netGated = true;
    }

    /**
     * The JDK's connect ({@code SocketChannel} to a {@code UnixDomainSocketAddress}). The address holds
     * the application's {@code Path} object: only the JDK's own path class is read (the JDK connects
     * only to those); a {@code Path} of the application's making is refused without calling it.
     *
     * @param path the socket file, as the application named it (relative to the working directory, or absolute)
     * @return the exception the connect must fail with, or null when it may proceed
     */
    public static IOException refusalFor(Path path) {
        if (Gate.isInternal()) {
            return null;
        }
        try {
            boolean jdkPath = path != null && path.getClass().getClassLoader() == null && path.getClass().getName().equals("sun.nio.fs.UnixPath");
            if (!netGated) {
                // The JDK connects to no Path of another class (ProviderMismatchException): one is not read here. Another
                // JVM's listener is a jvm ATTACH too: its agent loads and heap dumps, as the attach client's.
                return jdkPath && (AttachListener.isOwn(path) || AttachListener.otherListenersPid(path) != null)
                        ? decide(path, "unix") : null;
            }
            if (path != null && !jdkPath) {
                return HttpActions.refusal(Gate.refuseUnreadable(NetActions.SURFACE, Decision.failClosed(
                        "could not describe the unix socket connect: a path of the application's own class "
                                + path.getClass().getName() + ", never read", null)));
            }
            return decide(path, "unix");
        } catch (RuntimeException | Error failure) {
            return unreadable(failure);
        }
    }

    /**
     * A connect to a socket file named by text (Netty's native transport, which connects past the JDK).
     *
     * @param via how the connect is made, e.g. {@code netty-native}
     */
    public static IOException refusalFor(String path, String via) {
        if (Gate.isInternal()) {
            return null;
        }
        try {
            return decide(path == null || path.isEmpty() ? null : Path.of(path), via);
        } catch (RuntimeException | Error failure) {
            return unreadable(failure);
        }
    }

    /**
     * A datagram to the unix socket {@code path} names (Netty's native transport's {@code sendToDomainSocket*}, which send
     * from JNI, past the JDK, which has no unix datagrams): {@code SEND unix:<path>}, with the facts of a connect there.
     * The path is the bytes the native call receives: text that is not UTF-8, as Netty makes it, or no path of the
     * file system (an abstract name, which starts with a NUL) is refused unread.
     *
     * @param via how it is sent, e.g. {@code netty-native}
     */
    public static IOException refusalForDatagram(byte[] path, String via) {
        if (Gate.isInternal()) {
            return null;
        }
        try {
            String text = path == null || path.length == 0 ? null : java.nio.charset.StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(java.nio.charset.CodingErrorAction.REPORT)
                    .onUnmappableCharacter(java.nio.charset.CodingErrorAction.REPORT)
                    .decode(java.nio.ByteBuffer.wrap(path)).toString();
            return decide(text == null ? null : Path.of(text), via, "SEND");
        } catch (java.nio.charset.CharacterCodingException | RuntimeException | Error failure) {
            return unreadable(failure);
        }
    }

    private static IOException decide(Path path, String via) {
        return decide(path, via, "CONNECT");
    }

    private static IOException decide(Path path, String via, String operation) {
        if (path != null && AttachListener.isOwn(path)) {
            Decision attach = JvmActions.decideAttach(path, via);
            return attach.blocks() ? HttpActions.refusal(attach) : null;
        }
        String otherJvm = path == null ? null : AttachListener.otherListenersPid(path);
        if (otherJvm != null) {
            // Another JVM's attach listener: its agent properties and agent loads, as the attach client's attach to it.
            Decision attach = JvmActions.decideAttach(path, via, otherJvm);
            return attach.blocks() ? HttpActions.refusal(attach) : null;
        }
        Map<String, Object> attributes = Endpoints.base(via, "unix");
        String written = path == null ? "" : path.toString();
        String named = written.isEmpty() ? "" : fromWorkingDirectory(path).normalize().toString();
        String absolute = written.isEmpty() ? "" : reached(path);
        attributes.put("net.path", Host.printable(absolute));
        if (!named.equals(absolute)) {
            attributes.put("net.path.named", Host.printable(named));
        }
        if (absolute.isEmpty()) {
            attributes.put("url.error", "empty socket path");
        }
        Decision decision = Gate.decide(new ActionRequest(NetActions.SURFACE, operation, "unix:" + Host.printable(absolute), attributes));
        return decision.blocks() ? HttpActions.refusal(decision) : null;
    }

    /**
     * The socket file the kernel's connect reaches: links followed (a rule about {@code /run/docker.sock} holds for
     * {@code /var/run/docker.sock} and for a link of the application's to it), a relative name taken from the process's
     * working directory. As named, normalised, when it does not exist (the connect then finds nothing).
     */
    private static String reached(Path path) {
        Path absolute = fromWorkingDirectory(path);
        try {
            return absolute.toRealPath().toString();
        } catch (IOException | RuntimeException absent) {
            return absolute.normalize().toString();
        }
    }

    /** Where the kernel takes a relative name from: the process's working directory, not {@code user.dir}. */
    private static Path fromWorkingDirectory(Path path) {
        return path.isAbsolute() ? path : Path.of(JavaIoNames.workingDirectory()).resolve(path);
    }

    private static IOException unreadable(Throwable failure) {
        return HttpActions.refusal(Gate.refuseUnreadable(NetActions.SURFACE,
                Decision.unreadable("could not describe the unix socket connect", failure)));
    }
}
