package dev.warden.agent.cli;

import dev.warden.agent.control.ControlBeans;
import dev.warden.agent.control.SwitchKey;
import dev.warden.agent.control.SwitchProof;

import com.sun.tools.attach.VirtualMachine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import javax.management.JMException;
import javax.management.JMRuntimeException;
import javax.management.MBeanException;
import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.RuntimeMBeanException;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;

import java.io.IOException;
import java.lang.reflect.UndeclaredThrowableException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code control PID status|mode shadow|enforce [--surface S]|kill [--surface S] --reason R|revive [--surface S]|reload|rollback VERSION}:
 * the JMX controls of a running JVM, reached through the Attach API (the JVM's own local management
 * agent, so only its OS user can). With the control key the agent published in its agent properties, read there, the
 * CLI checks the MBean is Warden's and signs each switch that loosens over the agent's nonce; the key never crosses
 * JMX. Each switch is recorded in that JVM's receipts with this process's
 * user and pid. Exit 0 done (a reload or rollback switched, or nothing to switch), 1 the agent rejected
 * the policy version (the running one stays in force), 2 usage, no Warden JVM, refused, or a switch the agent does not
 * attest as made (its status read back under the control key does not show it).
 */
@Command(name = "control", mixinStandardHelpOptions = true, description = {"Switch a running Warden JVM by pid: status, mode shadow|enforce, kill, revive, reload,",
        "rollback VERSION. Exit 0 done, 1 a reload or rollback rejected (the running policy stays), 2 usage, refused,",
        "or not verified (the agent's attested status does not show the switch)."})
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
        if (surface != null) {
            // As the agent reads a surface's name: the status read back names it so.
            surface = surface.strip().toLowerCase(java.util.Locale.ROOT);
            surface = surface.isEmpty() || surface.equals("all") ? null : surface;
        }
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
        try (attached) {
            MBeanServerConnection server = attached.connector().getMBeanServerConnection();
            ObjectName agent = new ObjectName(ControlBeans.AGENT);
            if (!await(server, agent, attached.withAgent() ? REGISTRATION_WAIT_MILLIS : 0)) {
                return fail("pid " + pid + " is not a Warden JVM (no " + ControlBeans.AGENT + " MBean)");
            }
            String operator = System.getProperty("user.name") + " pid " + ProcessHandle.current().pid() + " (warden control)";
            Challenge challenge = challenge(server, agent, attached.key());
            if (challenge.refusal() != null) {
                return fail("pid " + pid + ": " + challenge.refusal());
            }
            // Read before the switch too: an agent older than attest is told apart before anything is sent.
            String before = attested(server, agent, challenge.key());
            if (before == null) {
                if (attached.attests()) {
                    return fail("pid " + pid + ": " + ControlBeans.AGENT + " did not answer attest, which this JVM's agent"
                            + " says it does: something between the CLI and Warden's MBean answers for it; nothing was asked of it");
                }
                System.err.println("warden control: pid " + pid + "'s agent has no attest operation (an older Warden):"
                        + " what it answers cannot be checked to be its own");
            }
            switch (command) {
                case "status" -> System.out.print(before != null ? before : server.invoke(agent, "status", new Object[0], new String[0]));
                case "mode" -> server.invoke(agent, "mode", new Object[] {argument, surface, operator,
                        argument.equals("enforce") ? null : challenge.sign("mode", argument, surface, operator)}, strings(4));
                case "kill" -> server.invoke(agent, "kill", new Object[] {surface, reason, operator}, strings(3));
                case "reload" -> {
                    return changed((String) server.invoke(agent, "reload", new Object[] {operator, challenge.sign("reload", operator)}, strings(2)),
                            before, before == null ? null : attested(server, agent, challenge.key()));
                }
                case "rollback" -> {
                    return changed((String) server.invoke(agent, "rollback",
                            new Object[] {argument, operator, challenge.sign("rollback", argument, operator)}, strings(3)),
                            before, before == null ? null : attested(server, agent, challenge.key()));
                }
                default -> server.invoke(agent, "revive", new Object[] {surface, operator, challenge.sign("revive", surface, operator)}, strings(3));
            }
            if (!command.equals("status")) {
                String missing = before == null ? null : notTaken(attested(server, agent, challenge.key()));
                if (missing != null) {
                    return fail("pid " + pid + ": " + missing);
                }
                System.out.println("pid " + pid + ": " + done());
            }
            return 0;
        } catch (NotAttested e) {
            return fail("pid " + pid + ": " + e.getMessage());
        } catch (MBeanException | RuntimeMBeanException e) {
            return fail("pid " + pid + " refused: " + message(e));
        } catch (Exception e) {
            return fail("pid " + pid + ": " + message(e));
        }
    }

    /**
     * The agent's nonce, once the MBean proved it holds the control key the JVM published (an MBean the host
     * registered under Warden's name cannot); a JVM that published none can still be told status and tightening.
     *
     * @param refusal why nothing may be asked of this MBean, or null
     */
    private record Challenge(byte[] key, String nonce, String refusal) {
        String sign(String operation, String... arguments) {
            return key == null ? null : SwitchProof.sign(key, nonce, operation, arguments);
        }
    }

    private Challenge challenge(MBeanServerConnection server, ObjectName agent, String publishedKey) throws Exception {
        String callerNonce = nonce();
        String[] answer = String.valueOf(server.invoke(agent, "challenge", new Object[] {callerNonce}, strings(1))).split(" ", 2);
        if (publishedKey == null) {
            boolean loosens = command.equals("revive") || command.equals("reload") || command.equals("rollback")
                    || command.equals("mode") && "shadow".equals(argument);
            if (!loosens) {
                System.err.println("warden control: pid " + pid + " published no control key (its agent said why): "
                        + ControlBeans.AGENT + " cannot be checked to be Warden's own");
            }
            return new Challenge(null, answer[0], loosens
                    ? "the JVM published no control key (its agent said why): switches that loosen are closed there" : null);
        }
        byte[] key = HexFormat.of().parseHex(publishedKey);
        boolean proven = answer.length == 2 && MessageDigest.isEqual(
                SwitchProof.answer(key, callerNonce, answer[0]).getBytes(StandardCharsets.US_ASCII), answer[1].getBytes(StandardCharsets.UTF_8));
        return new Challenge(key, answer[0], proven ? null
                : ControlBeans.AGENT + " did not prove it holds this JVM's control key: it is not Warden's own MBean; nothing was asked of it");
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

    /**
     * The agent's status as it attests it under the control key, over a nonce of ours ({@code AgentMXBean.attest}): what
     * is read after a switch is the agent's word, not that of code relaying the calls (which could pass the challenge on
     * and keep the switch back). Without a published key it is read as told.
     */
    private static String attested(MBeanServerConnection server, ObjectName agent, byte[] key) throws Exception {
        String callerNonce = nonce();
        String answer;
        try {
            answer = String.valueOf(server.invoke(agent, "attest", new Object[] {callerNonce}, strings(1)));
        } catch (javax.management.ReflectionException noSuchOperation) {
            return null; // an agent older than attest
        }
        int split = answer.indexOf('\n');
        String mac = split < 0 ? answer : answer.substring(0, split);
        String status = split < 0 ? "" : answer.substring(split + 1);
        if (key != null && !MessageDigest.isEqual(SwitchProof.attestation(key, callerNonce, status).getBytes(StandardCharsets.US_ASCII),
                mac.getBytes(StandardCharsets.UTF_8))) {
            throw new NotAttested("the status read back was not attested under this JVM's control key: something between the CLI"
                    + " and Warden's MBean answers for it; the switch may not have been made");
        }
        return status;
    }

    /**
     * Why the attested status does not show the switch just made, or null when it does. A switch of the whole agent
     * shows on every line it changes: a mode or a revive of the agent applies to each surface too.
     */
    private String notTaken(String status) {
        List<String> lines = status.lines().toList();
        List<String> changed = surface == null
                ? lines.stream().filter(l -> l.startsWith("mode ") || command.equals("mode") && l.startsWith("surface ")
                        || command.equals("revive") && l.startsWith("surface ")).toList()
                : lines.stream().filter(l -> l.startsWith("surface " + surface + ": mode ")).toList();
        if (changed.isEmpty()) {
            return "the agent's status names no " + (surface == null ? "mode" : "surface " + surface);
        }
        if (command.equals("revive") && surface != null && lines.stream().anyMatch(l -> l.startsWith("mode ") && l.contains(", KILLED: "))) {
            // The surface's own kill is released; the whole agent's, which its line shows, stays until a revive without --surface.
            System.err.println("warden control: pid " + pid + ": the whole agent is still killed (revive without --surface to release it)");
            return null;
        }
        for (String line : changed) {
            String mode = line.substring(line.indexOf("mode ") + "mode ".length());
            boolean taken = switch (command) {
                case "mode" -> mode.equals(argument) || mode.startsWith(argument + ",");
                case "kill" -> line.contains(", KILLED: ");
                default -> !line.contains(", KILLED: ");
            };
            if (!taken) {
                return "the switch did not take: the agent's attested status says \"" + line + "\"";
            }
        }
        return null;
    }

    private static String nonce() {
        byte[] mine = new byte[16];
        new SecureRandom().nextBytes(mine);
        return HexFormat.of().formatHex(mine);
    }

    /** A status that is not the agent's word. */
    private static final class NotAttested extends Exception {
        NotAttested(String message) {
            super(message);
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
    private int changed(String line, String before, String after) {
        boolean switched = line.startsWith("switched");
        boolean done = switched || line.startsWith("unchanged");
        if (after != null) {
            String was = policyOf(before);
            String now = policyOf(after);
            String to = switched && line.contains(" -> ") ? line.substring(line.indexOf(" -> ") + 4).split(" ", 2)[0] : "";
            String from = switched && line.contains(" -> ") ? line.substring("switched ".length(), line.indexOf(" -> ")) : "";
            boolean taken;
            if (!done) {
                taken = now.equals(was); // rejected: the running version stays
            } else if (command.equals("rollback")) {
                taken = now.startsWith(argument.strip().toLowerCase(java.util.Locale.ROOT));
            } else if (switched) {
                // A -> A: a failed policy compiled again from the same files
                taken = !to.isEmpty() && now.startsWith(to) && (from.equals(to) || !now.equals(was));
            } else {
                taken = now.equals(was);
            }
            if (!taken) {
                return fail("pid " + pid + ": the switch did not take as answered (\"" + line + "\"): the agent's attested status runs "
                        + (now.isEmpty() ? "no policy" : now) + " (or the rules directory was reloaded meanwhile: run status)");
            }
        }
        (done ? System.out : System.err).println("pid " + pid + ": " + line);
        return done ? 0 : 1;
    }

    private static String policyOf(String status) {
        return status.lines().filter(l -> l.startsWith("policy ")).map(l -> l.substring("policy ".length())).findFirst().orElse("");
    }

    /**
     * The JVM attached to and its local management agent connected to, both let go at close.
     *
     * @param withAgent the JVM was started with a {@code -javaagent}: its MBeans may be on their way
     */
    private record Attached(VirtualMachine vm, JMXConnector connector, boolean withAgent) implements AutoCloseable {
        /** The control key the agent published in its agent properties, or null. */
        String key() throws IOException {
            return vm.getAgentProperties().getProperty(SwitchKey.PROPERTY);
        }

        /** Whether the agent published that it attests its switches (every agent since attest does, with its key). */
        boolean attests() throws IOException {
            return Boolean.parseBoolean(vm.getAgentProperties().getProperty(SwitchKey.ATTESTS));
        }

        @Override
        public void close() throws IOException {
            try {
                connector.close();
            } finally {
                vm.detach();
            }
        }
    }

    private static Attached attach(String pid) throws Exception {
        VirtualMachine vm = VirtualMachine.attach(pid);
        try {
            boolean withAgent = String.valueOf(vm.getAgentProperties().getProperty("sun.jvm.args")).contains("-javaagent:");
            return new Attached(vm, JMXConnectorFactory.connect(new JMXServiceURL(vm.startLocalManagementAgent())), withAgent);
        } catch (Exception | Error e) {
            try {
                vm.detach();
            } catch (IOException detach) {
                e.addSuppressed(detach);
            }
            throw e;
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
        Arrays.fill(types, String.class.getName());
        return types;
    }

    private static String message(Throwable e) {
        Throwable cause = e;
        while (cause.getCause() != null && (cause.getMessage() == null || cause instanceof JMException
                || cause instanceof JMRuntimeException || cause instanceof UndeclaredThrowableException)) {
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
