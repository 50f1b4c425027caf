package dev.warden.e2e.host;

import com.sun.management.HotSpotDiagnosticMXBean;

import javax.management.MBeanServer;
import javax.management.ObjectName;
import java.lang.management.ManagementFactory;
import java.util.Arrays;

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
 *   "%0A" in a step is a line break.
 *   out: OK step=N ...  |  DENIED step=N thrown=T message=M  |  ERROR step=N thrown=T message=M
 * </pre>
 * A step is DENIED when a Warden message is anywhere in what it threw.
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
            String verdict = warden(failure) ? "DENIED" : "ERROR";
            return verdict + " step=" + step + " thrown=" + failure.getClass().getName() + " message=" + chain(failure);
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
            default:
                throw new IllegalArgumentException("unknown step " + step[0]);
        }
    }

    private static boolean warden(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (String.valueOf(cause.getMessage()).contains("warden: ")) {
                return true;
            }
        }
        return false;
    }

    private static String chain(Throwable failure) {
        StringBuilder out = new StringBuilder(String.valueOf(failure.getMessage()));
        for (Throwable cause = failure.getCause(); cause != null; cause = cause.getCause()) {
            out.append(" <- ").append(cause.getClass().getSimpleName()).append(": ").append(cause.getMessage());
        }
        return out.toString().replace('\n', ' ');
    }
}
