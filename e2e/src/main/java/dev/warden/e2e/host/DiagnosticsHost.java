package dev.warden.e2e.host;

import com.sun.management.HotSpotDiagnosticMXBean;

import javax.management.MBeanServer;
import javax.management.ObjectName;
import java.lang.management.ManagementFactory;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;

/**
 * An ordinary application that asks the JVM, through its management API, to act natively: diagnostic commands (the
 * in-process {@code jcmd}), heap dumps and VM options. It knows nothing of Warden; it runs the steps it is given, in
 * order on its main thread, and prints one line per step:
 *
 * <pre>
 *   java DiagnosticsHost STEP...
 *   STEP = dcmd|OPERATION[|ARGUMENT...]   (the DiagnosticCommand MBean's operation, e.g. gcHeapDump, with these arguments)
 *        | dump-heap|PATH                 (HotSpotDiagnosticMXBean.dumpHeap through the MXBean)
 *        | dump-heap-mbean|PATH           (the same operation through the MBean server)
 *        | set-option|NAME|VALUE          (HotSpotDiagnosticMXBean.setVMOption; prints the option's value afterwards)
 *        | attach-self|COMMAND            (this JVM's own attach listener, started as the JDK's attach client does if it is
 *                                          not yet listening, then asked COMMAND over a unix socket: e.g. agentProperties)
 *        | unix-loop|PATH                 (a unix socket server of its own at PATH, and a connect to it)
 *        | move-listener|PATH | link-listener|PATH   (this JVM's attach listener's socket moved, or hard-linked, to PATH)
 *        | relink|LINK|TARGET             (the symbolic link LINK made to lead to TARGET instead)
 *        | attach-client|COMMAND          (the JDK's attach client, in this JVM, at one of this JVM's thread ids, through a
 *                                          link from that id's socket name to the listener's: the JDK's self-attach check
 *                                          compares the process id only; COMMAND: agentProperties)
 *        | attach-other|PID|COMMAND|ARG...  (another JVM's attach listener, /tmp/.java_pidPID, asked COMMAND with up to
 *                                          three arguments over a unix socket, e.g. dumpheap|FILE|-all)
 *        | idle                           (prints READY pid=PID, then waits for its standard input to close)
 *   "%0A" in a step is a line break.
 *   out: OK step=N ...  |  DENIED step=N thrown=T message=M  |  ERROR step=N thrown=T message=M
 * </pre>
 * A step that threw is reported as {@link StepFailures} says.
 */
public final class DiagnosticsHost {

    private static final String COMMANDS = "com.sun.management:type=DiagnosticCommand";
    private static final String HOTSPOT = "com.sun.management:type=HotSpotDiagnostic";

    private DiagnosticsHost() {
    }

    public static void main(String[] args) {
        for (int step = 0; step < args.length; step++) {
            System.out.println(run(step, args[step]));
        }
        System.out.println("DONE");
        System.exit(0);
    }

    private static String run(int step, String spec) {
        String[] parts = spec.replace("%0A", "\n").split("\\|", -1);
        try {
            return "OK step=" + step + " " + act(parts);
        } catch (Throwable failure) {
            return StepFailures.line(step, failure);
        }
    }

    private static String act(String[] step) throws Exception {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        HotSpotDiagnosticMXBean hotspot = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
        switch (step[0]) {
            case "dcmd": {
                String[] arguments = Arrays.copyOfRange(step, 2, step.length);
                Object output = server.invoke(new ObjectName(COMMANDS), step[1], new Object[] {arguments},
                        new String[] {String[].class.getName()});
                String text = String.valueOf(output);
                return "output=" + text.substring(0, Math.min(80, text.length())).replace('\n', ' ');
            }
            case "dump-heap":
                hotspot.dumpHeap(step[1], true);
                return "dumped";
            case "dump-heap-mbean":
                server.invoke(new ObjectName(HOTSPOT), "dumpHeap", new Object[] {step[1], true},
                        new String[] {String.class.getName(), boolean.class.getName()});
                return "dumped";
            case "set-option":
                try {
                    hotspot.setVMOption(step[1], step[2]);
                    return "set value=" + hotspot.getVMOption(step[1]).getValue();
                } catch (RuntimeException refused) {
                    throw new IllegalStateException("value=" + hotspot.getVMOption(step[1]).getValue(), refused);
                }
            case "attach-self":
                return attachSelf(step[1]);
            case "attach-other":
                return attachOther(step);
            case "idle":
                System.out.println("READY pid=" + ProcessHandle.current().pid());
                System.out.flush();
                System.in.transferTo(java.io.OutputStream.nullOutputStream());
                return "released";
            case "unix-loop":
                return unixLoop(Path.of(step[1]));
            case "move-listener":
                Files.move(listener(), Path.of(step[1]));
                return "moved";
            case "link-listener":
                Files.createLink(Path.of(step[1]), listener());
                return "linked";
            case "relink":
                Files.deleteIfExists(Path.of(step[1]));
                Files.createSymbolicLink(Path.of(step[1]), Path.of(step[2]));
                return "relinked";
            case "attach-client":
                return attachClient();
            default:
                throw new IllegalArgumentException("unknown step " + step[0]);
        }
    }

    /**
     * Speaks the attach protocol (version 1: the version, the command and three arguments, each ending in a NUL) to this
     * JVM's own listener. Starts it first if needed: a {@code .attach_pid<pid>} file in {@code /tmp} and a {@code SIGQUIT}
     * ({@code kill}), which is what the JDK's attach client does from outside; waits for the JVM to create the socket.
     */
    private static String attachSelf(String command) throws Exception {
        long pid = ProcessHandle.current().pid();
        Path socket = Path.of("/tmp", ".java_pid" + pid);
        if (!Files.exists(socket)) {
            Path trigger = Path.of("/tmp", ".attach_pid" + pid);
            try (WatchService watcher = FileSystems.getDefault().newWatchService()) {
                Path.of("/tmp").register(watcher, StandardWatchEventKinds.ENTRY_CREATE);
                Files.deleteIfExists(trigger);
                Files.createFile(trigger);
                // The signal Java cannot raise itself (the JVM keeps SIGQUIT); once anything has attached (jcmd, Warden's
                // control CLI), the listener stays up and no signal is needed.
                if (new ProcessBuilder("kill", "-QUIT", Long.toString(pid)).inheritIO().start().waitFor() != 0) {
                    throw new IllegalStateException("kill -QUIT failed");
                }
                while (!Files.exists(socket)) {
                    WatchKey key = watcher.poll(30, TimeUnit.SECONDS);
                    if (key == null) {
                        throw new IllegalStateException("the JVM did not start its attach listener");
                    }
                    key.pollEvents();
                    key.reset();
                }
            } finally {
                Files.deleteIfExists(trigger);
            }
        }
        try (SocketChannel channel = SocketChannel.open(UnixDomainSocketAddress.of(socket))) {
            channel.write(ByteBuffer.wrap(("1\0" + command + "\0\0\0\0").getBytes(StandardCharsets.UTF_8)));
            String answer = new String(Channels.newInputStream(channel).readAllBytes(), StandardCharsets.UTF_8);
            return "status=" + answer.lines().findFirst().orElse("none") + " control-key=" + answer.contains("dev.warden.control.key");
        }
    }

    /** Speaks the attach protocol (version 1: the version, the command and three arguments, each ending in a NUL). */
    private static String attachOther(String[] step) throws Exception {
        StringBuilder request = new StringBuilder("1\0").append(step[2]).append('\0');
        for (int i = 3; i < 6; i++) {
            request.append(i < step.length ? step[i] : "").append('\0');
        }
        try (SocketChannel channel = SocketChannel.open(UnixDomainSocketAddress.of(Path.of("/tmp", ".java_pid" + step[1])))) {
            channel.write(ByteBuffer.wrap(request.toString().getBytes(StandardCharsets.UTF_8)));
            String answer = new String(Channels.newInputStream(channel).readAllBytes(), StandardCharsets.UTF_8);
            return "status=" + answer.lines().findFirst().orElse("none");
        }
    }

    private static Path listener() {
        return Path.of("/tmp", ".java_pid" + ProcessHandle.current().pid());
    }

    private static String attachClient() throws Exception {
        long pid = ProcessHandle.current().pid();
        String thread;
        try (var tasks = Files.list(Path.of("/proc/self/task"))) {
            thread = tasks.map(task -> task.getFileName().toString()).filter(id -> !id.equals(Long.toString(pid))).findFirst().orElseThrow();
        }
        Path alias = Path.of("/tmp", ".java_pid" + thread);
        String link;
        try {
            Files.deleteIfExists(alias);
            Files.createSymbolicLink(alias, listener());
            link = "made";
        } catch (Exception refused) {
            link = "refused(" + refused.getClass().getSimpleName() + ")";
        }
        try {
            com.sun.tools.attach.VirtualMachine vm = com.sun.tools.attach.VirtualMachine.attach(thread);
            try {
                return "link=" + link + " control-key=" + vm.getAgentProperties().containsKey("dev.warden.control.key");
            } finally {
                vm.detach();
            }
        } catch (Exception failure) {
            throw new IllegalStateException("link=" + link, failure);
        } finally {
            Files.deleteIfExists(alias);
        }
    }

    private static String unixLoop(Path path) throws Exception {
        Files.deleteIfExists(path);
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(path));
            try (SocketChannel client = SocketChannel.open(UnixDomainSocketAddress.of(path)); SocketChannel accepted = server.accept()) {
                return "connected=" + (client.isConnected() && accepted != null);
            }
        } finally {
            Files.deleteIfExists(path);
        }
    }
}
