package dev.warden.agent.cli;

import dev.warden.agent.control.ControlBeans;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;
import java.util.concurrent.Callable;

/**
 * {@code control PID status|mode shadow|enforce [--surface S]|kill [--surface S] --reason R|revive [--surface S]|reload|rollback VERSION}:
 * the JMX controls of a running JVM, reached through the Attach API (the JVM's own local management
 * agent, so only its OS user can). Each switch is recorded in that JVM's receipts with this process's
 * user and pid. Exit 0 done (a reload or rollback switched, or nothing to switch), 1 the agent rejected
 * the policy version (the running one stays in force), 2 usage or no Warden JVM.
 */
@Command(name = "control", mixinStandardHelpOptions = true, description = {"Switch a running Warden JVM by pid: status, mode shadow|enforce, kill, revive, reload,",
        "rollback VERSION. Exit 0 done, 1 a reload or rollback rejected (the running policy stays), 2 usage."})
final class ControlCommand implements Callable<Integer> {
    /** The agent registers its MBeans on a thread of its own just after start: a JVM that just started may need a moment. */
    private static final long REGISTRATION_WAIT_MILLIS = 3000;

    @Parameters(index = "0", paramLabel = "PID", description = "the process id of the JVM running Warden")
    String pid;

    @Parameters(index = "1", paramLabel = "COMMAND", description = "status | mode | kill | revive | reload | rollback")
    String command;

    @Parameters(index = "2", arity = "0..1", paramLabel = "ARGUMENT",
            description = "with mode: enforce or shadow; with rollback: the policy version (a unique prefix is enough)")
    String argument;

    @Option(names = "--surface", description = "one gated surface (jdbc, http, ...); default: the whole agent")
    String surface;

    @Option(names = "--reason", description = "with kill: why (recorded in the receipt and in every refusal)")
    String reason;

    @Override
    public Integer call() {
        String usage = check();
        if (usage != null) {
            return fail(usage);
        }
        Attached attached;
        try {
            attached = attach(pid);
        } catch (Exception e) {
            return fail("cannot attach to pid " + pid + ": " + message(e));
        }
        try (JMXConnector connector = attached.connector()) {
            MBeanServerConnection server = connector.getMBeanServerConnection();
            ObjectName agent = new ObjectName(ControlBeans.AGENT);
            if (!await(server, agent, attached.withAgent() ? REGISTRATION_WAIT_MILLIS : 0)) {
                return fail("pid " + pid + " is not a Warden JVM (no " + ControlBeans.AGENT + " MBean)");
            }
            String operator = System.getProperty("user.name") + " pid " + ProcessHandle.current().pid() + " (warden control)";
            switch (command) {
                case "status" -> System.out.print(server.invoke(agent, "status", new Object[0], new String[0]));
                case "mode" -> server.invoke(agent, "mode", new Object[] {argument, surface, operator}, strings(3));
                case "kill" -> server.invoke(agent, "kill", new Object[] {surface, reason, operator}, strings(3));
                case "reload" -> {
                    return changed((String) server.invoke(agent, "reload", new Object[] {operator}, strings(1)));
                }
                case "rollback" -> {
                    return changed((String) server.invoke(agent, "rollback", new Object[] {argument, operator}, strings(2)));
                }
                default -> server.invoke(agent, "revive", new Object[] {surface, operator}, strings(2));
            }
            if (!command.equals("status")) {
                System.out.println("pid " + pid + ": " + done());
            }
            return 0;
        } catch (javax.management.MBeanException | javax.management.RuntimeMBeanException e) {
            return fail("pid " + pid + " refused: " + message(e));
        } catch (Exception e) {
            return fail("pid " + pid + ": " + message(e));
        }
    }

    private String check() {
        if (!pid.chars().allMatch(Character::isDigit) || pid.isEmpty() || pid.length() > 10) {
            return "PID must be a process id, not '" + pid + "'";
        }
        switch (command) {
            case "status", "revive", "reload" -> {
                return argument != null ? "'" + command + "' takes no argument"
                        : command.equals("reload") && surface != null ? "reload takes no --surface: the policy is the whole agent's" : null;
            }
            case "mode" -> {
                return "enforce".equals(argument) || "shadow".equals(argument) ? null : "mode takes enforce or shadow";
            }
            case "kill" -> {
                return argument != null ? "kill takes --reason, not an argument"
                        : reason == null || reason.isBlank() ? "kill needs --reason" : null;
            }
            case "rollback" -> {
                return argument == null || argument.isBlank() ? "rollback needs the policy VERSION"
                        : surface != null ? "rollback takes no --surface: the policy is the whole agent's" : null;
            }
            default -> {
                return "unknown command '" + command + "': status, mode, kill, revive, reload or rollback";
            }
        }
    }

    private String done() {
        String where = surface == null ? "the agent" : "surface " + surface;
        return switch (command) {
            case "mode" -> where + " now in " + argument + " mode";
            case "kill" -> where + " killed: " + reason;
            default -> where + " revived";
        };
    }

    /** Prints a reload's or rollback's answer: exit 0 switched or unchanged, 1 rejected (the running version stays). */
    private int changed(String line) {
        boolean done = line.startsWith("switched") || line.startsWith("unchanged");
        (done ? System.out : System.err).println("pid " + pid + ": " + line);
        return done ? 0 : 1;
    }

    /** @param withAgent the JVM was started with a {@code -javaagent}: its MBeans may be on their way */
    private record Attached(JMXConnector connector, boolean withAgent) {
    }

    private static Attached attach(String pid) throws Exception {
        com.sun.tools.attach.VirtualMachine vm = com.sun.tools.attach.VirtualMachine.attach(pid);
        try {
            boolean withAgent = String.valueOf(vm.getAgentProperties().getProperty("sun.jvm.args")).contains("-javaagent:");
            return new Attached(JMXConnectorFactory.connect(new JMXServiceURL(vm.startLocalManagementAgent())), withAgent);
        } finally {
            vm.detach();
        }
    }

    private static boolean await(MBeanServerConnection server, ObjectName agent, long waitMillis) throws Exception {
        long deadline = System.nanoTime() + waitMillis * 1_000_000;
        while (!server.isRegistered(agent)) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(100);
        }
        return true;
    }

    private static String[] strings(int count) {
        String[] types = new String[count];
        java.util.Arrays.fill(types, String.class.getName());
        return types;
    }

    private static String message(Throwable e) {
        Throwable cause = e;
        while (cause.getCause() != null && (cause.getMessage() == null || cause instanceof javax.management.JMException
                || cause instanceof javax.management.JMRuntimeException || cause instanceof java.lang.reflect.UndeclaredThrowableException)) {
            cause = cause.getCause();
        }
        String text = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
        return text.lines().findFirst().orElse(text);
    }

    private static int fail(String why) {
        System.err.println("warden control: " + why);
        return 2;
    }
}
