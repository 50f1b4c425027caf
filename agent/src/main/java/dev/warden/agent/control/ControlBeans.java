package dev.warden.agent.control;

import dev.warden.agent.logging.WardenLog;
import dev.warden.bootstrap.Gate;
import dev.warden.bootstrap.jvm.WardenBeans;

import javax.management.MBeanServer;
import javax.management.ObjectName;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadFactory;
import java.util.function.Function;

/**
 * Registers {@code dev.warden:type=Agent} and {@code dev.warden:type=Surface,name=...} on the platform
 * MBean server, on a Warden thread: creating the platform server loads the JDK's management classes
 * and initialises java.util.logging, which must neither lengthen the host's start nor run before the
 * host's {@code main} could choose its own log manager. The control key is made and published there too, before
 * the MBeans it opens exist.
 */
public final class ControlBeans {
    public static final String AGENT = "dev.warden:type=Agent";
    public static final String SURFACE = "dev.warden:type=Surface,name=";

    private ControlBeans() {
    }

    /**
     * @param warden the gate's capability, which only the agent holds: host code reaches this public class through
     *               Warden's loader, and must not publish a key of its own nor register a control of its making
     * @param agent  the agent's MBean, given the key its loosening switches take
     */
    public static void registerLater(Gate.Capability warden, Function<SwitchKey, AgentControl> agent, ThreadFactory threads) {
        registerLater(warden, agent, threads, null);
    }

    /**
     * @param closed why no control key may be made in this JVM (it would be the application's to read), or null: the
     *               loosening switches are then closed, as when the key cannot be published, and the log says why
     */
    public static void registerLater(Gate.Capability warden, Function<SwitchKey, AgentControl> agent, ThreadFactory threads,
                                     String closed) {
        java.util.Objects.requireNonNull(warden, "the gate's capability");
        threads.newThread(() -> {
            try {
                SwitchKey key = closed == null ? SwitchKey.publish() : SwitchKey.closed(closed);
                if (closed != null) {
                    WardenLog.warn("switches that loosen are closed in this JVM (shadow, revive, reload and rollback over JMX;"
                            + " restart with another mode instead): " + closed);
                }
                AgentControl control = agent.apply(key);
                Map<String, SurfaceMXBean> surfaces = control.surfaces();
                surfaces.values().forEach(surface -> WardenBeans.own(warden, surface));
                WardenBeans.own(warden, control);
                registerApart(control, surfaces).forEach(WardenLog::warn);
            } catch (RuntimeException | LinkageError e) {
                WardenLog.warn("JMX controls unavailable: " + e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }).start();
    }

    /**
     * Registers on a thread of no standing, whose actions are the application's: registering runs the MBean server's
     * listeners on the registering thread, and making the platform server runs the application's logging
     * configuration and MBean server builder there, all of it the application's code, which must not run where actions
     * pass ungated. Warden's objects are named as its own ({@link WardenBeans#own}) before, which is what lets them
     * into Warden's domain. Waits for it, and returns what went wrong for Warden's thread to log.
     */
    private static List<String> registerApart(AgentControl agent, Map<String, SurfaceMXBean> surfaces) throws InterruptedException {
        List<String> warnings = new java.util.concurrent.CopyOnWriteArrayList<>();
        Thread registering = new Thread(() -> warnings.addAll(register(agent, surfaces)), "warden-jmx-registration");
        registering.setDaemon(true);
        registering.setContextClassLoader(ClassLoader.getSystemClassLoader()); // where an application's MBean server builder is found
        registering.start();
        registering.join();
        return warnings;
    }

    static List<String> register(AgentControl agent, Map<String, SurfaceMXBean> surfaces) {
        List<String> warnings = new ArrayList<>(1);
        try {
            MBeanServer server = ManagementFactory.getPlatformMBeanServer();
            if (!isTheJdks(server)) {
                // javax.management.builder.initial: every call to Warden's MBeans passes through the host's code, which
                // sees no key (proofs are single-use and bound to their switch) but could answer a tightening itself.
                warnings.add("the platform MBean server is the application's own (" + server.getClass().getName()
                        + "): calls to Warden's JMX controls pass through its code; prefer a restart to a switch");
            }
            for (Map.Entry<String, SurfaceMXBean> surface : surfaces.entrySet()) {
                server.registerMBean(surface.getValue(), new ObjectName(SURFACE + surface.getKey()));
            }
            server.registerMBean(agent, new ObjectName(AGENT));
        } catch (Throwable e) { // nobody else to tell on this thread
            warnings.add("JMX controls unavailable: " + e);
        }
        return warnings;
    }

    private static boolean isTheJdks(MBeanServer server) {
        return server.getClass().getClassLoader() == null && server.getClass().getName().equals("com.sun.jmx.mbeanserver.JmxMBeanServer");
    }
}
