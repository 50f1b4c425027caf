package dev.warden.bootstrap.jvm;

import dev.warden.bootstrap.ActionDeniedException;
import dev.warden.bootstrap.ActionRequest;
import dev.warden.bootstrap.Decision;
import dev.warden.bootstrap.Gate;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code jvm} surface: what the JVM itself does, natively, when Java code asks through its management API. No
 * other gate sees it, and every call is plain data, which any code, or anyone who reaches the platform MBean server
 * (a remote JMX connector, an HTTP bridge such as Jolokia), can send:
 * <ul>
 *   <li>{@code COMMAND}: a diagnostic command, through the {@code com.sun.management:type=DiagnosticCommand} MBean,
 *       the in-process twin of {@code jcmd}. {@code JVMTI.agent_load} maps a native library or starts a Java agent
 *       with an {@code Instrumentation}; {@code GC.heap_dump}, {@code VM.log}, {@code JFR.*} write files; others
 *       change flags or start a JMX connector.</li>
 *   <li>{@code HEAP_DUMP}: {@code HotSpotDiagnosticMXBean.dumpHeap}, the whole heap (every secret in it) written by
 *       the JVM to a path the caller names.</li>
 *   <li>{@code SET_OPTION}: {@code HotSpotDiagnosticMXBean.setVMOption}, a manageable flag (such as
 *       {@code HeapDumpPath} with {@code HeapDumpOnOutOfMemoryError}, a heap dump written later).</li>
 *   <li>{@code ATTACH}: a connect to the JVM's own attach listener from inside ({@link AttachListener}), which
 *       serves its agent properties and loads agents.</li>
 * </ul>
 * Each method returns the {@link SecurityException} the call fails with (what these APIs throw to a caller that
 * may not), or null when it may proceed. Exempt: a thread at Warden's work ({@link Gate#isInternal()}). The JVM's
 * own attach listener ({@code jcmd} from outside, as the JVM's OS user) never passes here.
 */
public final class JvmActions {

    public static final String SURFACE = "jvm";

    /**
     * A number per call for the actions whose description depends on the disk at the moment (where a heap dump's
     * directory leads, which file a socket name reaches, which process an id is): no two such requests are equal, so
     * the engine describes each afresh rather than reusing an earlier identical request's description and ruling
     * (a link retargeted between two identical dumps would otherwise be ruled on where it led before). The enricher
     * drops it; rules never see it.
     */
    public static final String CALL = "jvm.call";
    private static final java.util.concurrent.atomic.AtomicLong CALLS = new java.util.concurrent.atomic.AtomicLong();

    private JvmActions() {
    }

    /**
     * A diagnostic command about to run: {@code command} followed by {@code arguments}, each after a space, is the
     * line the JVM parses. A line break separates commands in the JVM's parser (what {@code jcmd -f} reads); the JDK 17
     * and 25 refuse one in a line from the MBean ("Invalid syntax"), but Warden does not rest a decision on the rules
     * seeing one command where the parser might see two: such a line is refused without asking the rules, as is a
     * NUL, where native code may end the string it reads.
     *
     * @param command   the command's name as the JVM lists it (e.g. {@code Thread.print})
     * @param arguments the arguments as given (null: none); the caller passes a copy the command then runs with
     */
    public static SecurityException refusalForCommand(String command, String[] arguments) {
        try {
            if (Gate.isInternal()) {
                return null;
            }
            List<String> given = arguments == null ? List.of() : Arrays.asList(arguments);
            StringBuilder line = new StringBuilder(command);
            for (String argument : given) {
                if (argument == null) {
                    return null; // the JDK refuses a null argument itself, before anything runs
                }
                line.append(' ').append(argument);
            }
            if (line.indexOf("\n") >= 0) {
                return refusal(Gate.refuseUnreadable(SURFACE, Decision.failClosed(
                        "a diagnostic command's arguments hold a line break, which the JVM's parser reads as the start of another command", null)));
            }
            if (line.indexOf("\0") >= 0) {
                return refusal(Gate.refuseUnreadable(SURFACE, Decision.failClosed(
                        "a diagnostic command's arguments hold a NUL, where the JVM may end the line it runs", null)));
            }
            if (command.equals("VM.set_flag") && HeapDumpOptions.named(line.substring(command.length()))) {
                return refusal(Gate.refuseUnreadable(SURFACE, Decision.failClosed(HeapDumpOptions.REASON, null)));
            }
            Map<String, Object> attributes = new HashMap<>(4);
            attributes.put("jvm.command", command);
            attributes.put("jvm.arguments", List.copyOf(given));
            attributes.put("jvm.line", line.toString());
            return refusal(Gate.decide(new ActionRequest(SURFACE, "COMMAND", command, attributes)));
        } catch (Throwable failure) {
            return refusal(Gate.refuseUnreadable(SURFACE, Decision.unreadable("could not describe the diagnostic command", failure)));
        }
    }

    /**
     * A heap dump about to be written to {@code outputFile} (as given: the JVM opens it from its working directory). Asked
     * before the JDK's own checks (the {@code .hprof} suffix), so a call the JDK then rejects has its receipt too. A NUL
     * in the name is refused without asking the rules: the JVM opens the name as a C string, which ends there.
     */
    public static SecurityException refusalForHeapDump(String outputFile, boolean live) {
        try {
            if (Gate.isInternal() || outputFile == null) {
                return null; // null: the JDK throws before anything is written
            }
            if (outputFile.indexOf('\0') >= 0) {
                // The JVM opens the name as a C string: it would write the file named before the NUL, not the one decided.
                return refusal(Gate.refuseUnreadable(SURFACE, Decision.failClosed(
                        "a heap dump's file name holds a NUL, where the JVM would end the name it opens", null)));
            }
            try {
                java.nio.file.Path.of(outputFile);
            } catch (java.nio.file.InvalidPathException unencodable) {
                // The JVM would open it anyway, its unmappable characters made '?': a file nobody decided on.
                return refusal(Gate.refuseUnreadable(SURFACE, Decision.failClosed(
                        "a heap dump's file name is not a path of this file system: " + unencodable.getReason(), null)));
            }
            Map<String, Object> attributes = new HashMap<>(8);
            attributes.put("jvm.file", outputFile);
            attributes.put("jvm.live", live);
            attributes.put(CALL, CALLS.incrementAndGet());
            return refusal(Gate.decide(new ActionRequest(SURFACE, "HEAP_DUMP", outputFile, attributes)));
        } catch (Throwable failure) {
            return refusal(Gate.refuseUnreadable(SURFACE, Decision.unreadable("could not describe the heap dump", failure)));
        }
    }

    /**
     * A manageable VM option about to be set to {@code value}. The heap dump options are refused without asking the
     * rules ({@link HeapDumpOptions}), as {@code VM.set_flag} naming one is.
     */
    public static SecurityException refusalForOption(String name, String value) {
        try {
            if (Gate.isInternal() || name == null || value == null) {
                return null; // null: the JDK throws before anything is set
            }
            if (HeapDumpOptions.named(name)) {
                return refusal(Gate.refuseUnreadable(SURFACE, Decision.failClosed(HeapDumpOptions.REASON, null)));
            }
            Map<String, Object> attributes = new HashMap<>(4);
            attributes.put("jvm.option", name);
            attributes.put("jvm.value", value);
            return refusal(Gate.decide(new ActionRequest(SURFACE, "SET_OPTION", name, attributes)));
        } catch (Throwable failure) {
            return refusal(Gate.refuseUnreadable(SURFACE, Decision.unreadable("could not describe the VM option", failure)));
        }
    }

    /**
     * A connect to this JVM's own attach listener ({@link AttachListener}), by code of the JVM's own; the caller turns
     * the decision into the refusal its connect path throws.
     *
     * @param socket the socket file as the application named it
     * @param via    how the connect is made, e.g. {@code unix}, {@code netty-native}
     */
    public static Decision decideAttach(java.nio.file.Path socket, String via) {
        return decideAttach(socket, via, null);
    }

    /**
     * {@link #decideAttach(java.nio.file.Path, String)} to the listener of the JVM {@code pid} names (another JVM's, as
     * its socket's name says), which the rules see as {@code jvm.pid} and {@code jvm.self}, as for the attach client.
     */
    public static Decision decideAttach(java.nio.file.Path socket, String via, String pid) {
        try {
            Map<String, Object> attributes = new HashMap<>(4);
            attributes.put("jvm.socket", socket.toString());
            attributes.put("jvm.via", via);
            if (pid != null) {
                attributes.put("jvm.pid", pid);
            }
            attributes.put(CALL, CALLS.incrementAndGet());
            String target;
            try {
                target = socket.toRealPath().toString();
            } catch (java.io.IOException notYet) {
                target = socket.toAbsolutePath().normalize().toString(); // the listener's name, before it listens
            }
            return Gate.decide(new ActionRequest(SURFACE, "ATTACH", target, attributes));
        } catch (Throwable failure) {
            return Gate.refuseUnreadable(SURFACE, Decision.unreadable("could not describe the attach listener connect", failure));
        }
    }

    /**
     * The JDK's attach client, from inside this JVM, about to attach to the JVM {@code id} names
     * ({@code AttachProvider.attachVirtualMachine}). It connects in native code that no socket advice sees, and the JDK's
     * own check against attaching to itself compares the id with the process id only: a thread id of this JVM, with a
     * link to its listener's socket, passes it. So every attach from inside is decided, to whichever JVM.
     *
     * @return the {@code IOException} the attach fails with, or null when it may proceed
     */
    public static java.io.IOException refusalForAttachClient(String id) {
        try {
            if (Gate.isInternal() || id == null) {
                return null; // null: the JDK throws before anything is attached
            }
            Map<String, Object> attributes = new HashMap<>(4);
            attributes.put("jvm.pid", id);
            attributes.put("jvm.via", "attach-api");
            attributes.put(CALL, CALLS.incrementAndGet());
            Decision decision = Gate.decide(new ActionRequest(SURFACE, "ATTACH", id, attributes));
            return decision.blocks() ? new java.io.IOException(decision.denialMessage(), new ActionDeniedException(decision)) : null;
        } catch (Throwable failure) {
            Decision refused = Gate.refuseUnreadable(SURFACE, Decision.unreadable("could not describe the attach", failure));
            return new java.io.IOException(refused.denialMessage(), new ActionDeniedException(refused));
        }
    }

    /**
     * As {@link #refusalForAttachClient(String)}, for the provider's method that takes a descriptor. Only the JDK's own
     * descriptor (exactly the HotSpot provider's class, in {@code jdk.attach}, which host code cannot subclass, and whose
     * id nothing changes after it is made) is read, once; any other is passed on by the method to its attach by id,
     * which is decided there.
     */
    public static java.io.IOException refusalForAttachDescriptor(Object descriptor) {
        if (Gate.isInternal() || descriptor == null) {
            return null;
        }
        Class<?> type = descriptor.getClass();
        if (!type.getName().equals("sun.tools.attach.HotSpotAttachProvider$HotSpotVirtualMachineDescriptor")
                || !"jdk.attach".equals(type.getModule().getName())) {
            return null;
        }
        String id;
        try {
            // jdk.attach is the application loader's: this boot class reaches the descriptor's type by reflection only.
            id = (String) Class.forName("com.sun.tools.attach.VirtualMachineDescriptor", false, type.getClassLoader())
                    .getMethod("id").invoke(descriptor);
        } catch (Throwable failure) {
            Decision refused = Gate.refuseUnreadable(SURFACE, Decision.unreadable("could not read the attach's descriptor", failure));
            return new java.io.IOException(refused.denialMessage(), new ActionDeniedException(refused));
        }
        return refusalForAttachClient(id);
    }

    private static SecurityException refusal(Decision decision) {
        return decision.blocks() ? new SecurityException(decision.denialMessage(), new ActionDeniedException(decision)) : null;
    }
}
