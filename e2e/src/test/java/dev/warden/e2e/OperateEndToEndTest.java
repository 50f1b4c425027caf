package dev.warden.e2e;

import com.sun.net.httpserver.HttpServer;
import com.sun.tools.attach.VirtualMachine;
import dev.warden.agent.control.SwitchKey;
import dev.warden.agent.control.SwitchProof;
import dev.warden.e2e.host.OperatedHost;
import dev.warden.receipts.Receipt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * S12 and S16 on a running host: the operator CLI attaches by pid and flips the agent to shadow (a
 * refused DELETE then runs, recorded with enforced=false) and back, kills the jdbc surface (the next
 * statement is refused with the reason while HTTP still works) and revives it; every switch is a
 * receipt (a revive without a proof of the control key is refused, and recorded); the policy is reloaded over JMX and
 * rolled back with {@code control PID rollback}, each a policy-switched receipt; the host can neither unregister
 * Warden's MBean nor register one in its domain, and the kill switch still works after it tried (each attempt a
 * refusal with its receipt); the log verifies, and the SIEM file holds one ECS line per receipt and the checkpoints.
 */
class OperateEndToEndTest {
    private static final String[] STRINGS2 = {"java.lang.String", "java.lang.String"};
    private static final String[] STRINGS3 = {"java.lang.String", "java.lang.String", "java.lang.String"};
    private static final String[] STRINGS4 = {"java.lang.String", "java.lang.String", "java.lang.String", "java.lang.String"};
    private static final ObjectName AGENT = agent();

    @TempDir
    Path workspace;

    @Test
    void operatorSwitchesARunningHostAndEveryDecisionReachesTheSiemFile() throws Exception {
        String url = "jdbc:h2:file:" + workspace.resolve("shop");
        Fixtures.createShop(url, "sa", "");
        HttpServer api = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        api.createContext("/ping", exchange -> {
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        api.start();
        Path siem = workspace.resolve("siem").resolve("decisions.jsonl");
        Receipts store = Receipts.in(workspace);
        Path rules = Files.createDirectories(workspace.resolve("rules"));
        Files.copy(Receipts.rules("operated").resolve("operated.drl"), rules.resolve("operated.drl"));
        HostJvm.Running host = HostJvm.withAgent(store.agentArguments()).with("rules=" + rules)
                .with("surfaces=jdbc,http").with("siem=file:" + siem).with("checkpoint-every=4")
                .with("rules-watch=false") // the operator's reload is the only one: no watcher racing it to the new file
                .start(OperatedHost.class, List.of(url));
        String pid = String.valueOf(host.process().pid());
        String ping = "http http://127.0.0.1:" + api.getAddress().getPort() + "/ping";
        try (PrintWriter in = new PrintWriter(host.process().getOutputStream(), true, StandardCharsets.UTF_8)) {
            host.awaitLine("READY");
            Jmx operator = jmx(pid);
            MBeanServerConnection jmx = operator.server();
            assertThat(act(host, in, "sql DELETE FROM orders WHERE id = 1")).startsWith("REFUSED ");

            assertThat(control(pid, "mode", "shadow").exitCode()).isZero();
            assertThat(act(host, in, "sql DELETE FROM orders WHERE id = 1")).isEqualTo("OK");
            assertThat(act(host, in, "sql SELECT COUNT(*) FROM orders")).as("the refused DELETE ran in shadow").isEqualTo("OK value=9");
            // The same MBean from a JMX client of the operator's own (a CLI process costs seconds on a busy machine).
            jmx.invoke(AGENT, "mode", new Object[] {"enforce", "all", "test", null}, STRINGS4); // tightening takes no key

            assertThat(control(pid, "kill", "--surface", "jdbc", "--reason", "incident 42").exitCode()).isZero();
            assertThat(act(host, in, "sql SELECT COUNT(*) FROM orders")).startsWith("REFUSED ")
                    .contains("warden.kill-switch").contains("incident 42");
            assertThat(act(host, in, ping)).isEqualTo("OK status=204");
            ApproverCli.Result status = control(pid, "status");
            assertThat(status.output()).contains("mode enforce").contains("surface jdbc: mode enforce, KILLED: incident 42")
                    .contains("surface http: mode enforce, 1 decisions (1 permit");
            assertThat(jmx.getAttribute(new ObjectName("dev.warden:type=Surface,name=jdbc"), "Killed")).isEqualTo("incident 42");
            assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> jmx.invoke(AGENT, "revive",
                    new Object[] {"jdbc", "test", null}, STRINGS3))).hasStackTraceContaining("needs the control key");
            assertThat(act(host, in, "sql SELECT COUNT(*) FROM orders")).as("still killed").contains("incident 42");
            jmx.invoke(AGENT, "revive", new Object[] {"jdbc", null, operator.sign("revive", "jdbc", null)}, STRINGS3);
            assertThat(act(host, in, "sql SELECT COUNT(*) FROM orders")).isEqualTo("OK value=9");
            assertThat(jmx.getAttribute(AGENT, "Decisions")).isEqualTo(12L);

            // Reload over JMX after the rules directory gained a rule, then roll back with the CLI by a prefix.
            String v1 = (String) jmx.getAttribute(AGENT, "PolicyVersion");
            Files.writeString(rules.resolve("more.drl"), "package rules.more;\nimport dev.warden.rules.Action;\n"
                    + "global dev.warden.rules.Verdict verdict;\nrule \"orders may be updated\"\nwhen\n"
                    + "    Action(surface == \"jdbc\", operation == \"UPDATE\", targetsWithin(\"orders\"))\n"
                    + "then\n    verdict.permit(\"updates\");\nend\n");
            String reloaded = (String) jmx.invoke(AGENT, "reload", new Object[] {"test", operator.sign("reload", "test")}, STRINGS2);
            String v2 = (String) jmx.getAttribute(AGENT, "PolicyVersion");
            assertThat(reloaded).isEqualTo("switched " + v1.substring(0, 12) + " -> " + v2.substring(0, 12) + " (reload by test via jmx)");
            assertThat(act(host, in, "sql UPDATE orders SET id = id WHERE id = 2")).isEqualTo("OK");
            ApproverCli.Result rollback = control(pid, "rollback", v1.substring(0, 10));
            assertThat(rollback.exitCode()).as(rollback.output()).isZero();
            assertThat(rollback.output()).contains("pid " + pid + ": switched " + v2.substring(0, 12) + " -> " + v1.substring(0, 12)
                    + " (rollback by ");
            assertThat(jmx.getAttribute(AGENT, "PolicyVersion")).isEqualTo(v1);
            assertThat(act(host, in, "sql UPDATE orders SET id = id WHERE id = 2")).startsWith("REFUSED ");
            assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> jmx.invoke(AGENT, "kill",
                    new Object[] {"smtp", "x", "test"}, STRINGS3))).hasStackTraceContaining("no gated surface 'smtp'");
            // The application can neither take Warden's switches away nor put an MBean of its own in Warden's domain.
            assertThat(act(host, in, "impersonate")).startsWith("REFUSED ")
                    .contains("dev.warden:type=Agent is in Warden's own MBean domain: only Warden may unregister it");
            assertThat(act(host, in, "squat")).startsWith("REFUSED ")
                    .contains("dev.warden:name=shadow,type=Agent is in Warden's own MBean domain: only Warden may register it");
            ApproverCli.Result killed = control(pid, "kill", "--reason", "incident 43");
            assertThat(killed.exitCode()).as(killed.output()).isZero();
            assertThat(act(host, in, "sql SELECT COUNT(*) FROM orders")).startsWith("REFUSED ").contains("incident 43");
            in.println("exit");
            host.awaitLine("BYE");
        } finally {
            host.process().waitFor();
            api.stop(0);
        }
        ApproverCli.Result stranger = control(String.valueOf(ProcessHandle.current().pid()), "status");
        assertThat(stranger.exitCode()).isEqualTo(2);
        assertThat(stranger.output().trim()).doesNotContain("\n").contains("not a Warden JVM");

        List<Receipt> receipts = store.all();
        List<Receipt> jdbc = receipts.stream().filter(r -> r.surface().equals("jdbc")).toList();
        assertThat(jdbc).extracting(Receipt::outcome, Receipt::enforced).containsExactly(
                org.assertj.core.groups.Tuple.tuple("SILENCE", true), org.assertj.core.groups.Tuple.tuple("SILENCE", false),
                org.assertj.core.groups.Tuple.tuple("PERMIT", false), org.assertj.core.groups.Tuple.tuple("DENY", true),
                org.assertj.core.groups.Tuple.tuple("DENY", true),
                org.assertj.core.groups.Tuple.tuple("PERMIT", true), org.assertj.core.groups.Tuple.tuple("PERMIT", true),
                org.assertj.core.groups.Tuple.tuple("SILENCE", true), org.assertj.core.groups.Tuple.tuple("DENY", true));
        assertThat(jdbc.get(6).rules()).containsExactly("orders may be updated");
        assertThat(jdbc.get(7).policyVersion()).isEqualTo(jdbc.get(0).policyVersion()).isNotEqualTo(jdbc.get(6).policyVersion());
        List<Receipt> policySwitches = receipts.stream().filter(r -> r.operation().equals("policy-switched")).toList();
        assertThat(policySwitches).extracting(r -> r.summary().get("policy.trigger")).satisfiesExactly(
                trigger -> assertThat(trigger).isEqualTo("reload by test via jmx"),
                trigger -> assertThat(trigger).startsWith("rollback by " + System.getProperty("user.name") + " pid ")
                        .endsWith("(warden control) via jmx"));
        assertThat(jdbc.get(3).rules()).containsExactly("warden.kill-switch");
        assertThat(jdbc.get(3).reason()).isEqualTo("kill switch: incident 42");
        assertThat(jdbc.get(8).reason()).isEqualTo("kill switch: incident 43");
        // The two attempts on Warden's MBeans, refused by Warden itself whatever the policy, with their receipts.
        assertThat(receipts.stream().filter(r -> r.surface().equals("jvm")).toList())
                .extracting(r -> r.outcome() + " " + r.rules() + " " + r.reason()).containsExactly(
                        "DENY [warden.fail-closed] dev.warden:type=Agent is in Warden's own MBean domain: only Warden may unregister it"
                                + " (the operator's switches)",
                        "DENY [warden.fail-closed] dev.warden:name=shadow,type=Agent is in Warden's own MBean domain: only Warden may"
                                + " register it (the operator's switches)");
        List<Receipt> switches = receipts.stream().filter(r -> r.operation().equals("switch")).toList();
        assertThat(switches).extracting(r -> r.outcome() + " " + r.summary().get("switch") + " " + r.target() + " " + r.rules())
                .containsExactly("PERMIT mode all [warden.switch]", "PERMIT mode all [warden.switch]", "PERMIT kill jdbc [warden.switch]",
                        "DENY revive jdbc [warden.switch-key]", "PERMIT revive jdbc [warden.switch]", "PERMIT kill all [warden.switch]");
        assertThat(switches).allSatisfy(r -> assertThat(r.summary()).containsEntry("channel", "jmx"));
        assertThat(switches).extracting(Receipt::actor).allSatisfy(actor -> assertThat(actor)
                .matches("test|unknown|" + java.util.regex.Pattern.quote(System.getProperty("user.name")) + " pid [0-9]+ \\(warden control\\)"));
        assertThat(switches.get(0).actor()).endsWith("(warden control)");
        assertThat(switches.get(3).actor()).isEqualTo("test");
        assertThat(switches.get(4).actor()).isEqualTo("unknown");
        assertThat(switches.get(0).summary()).containsEntry("mode", "shadow");
        assertThat(switches.get(2).summary()).containsEntry("reason", "incident 42");
        assertThat(store.verify().exitCode()).isZero();

        // One ECS line per receipt, in the log's order, and the signed checkpoints.
        List<String> lines = Files.readAllLines(siem);
        List<String> decisions = lines.stream().filter(line -> line.contains("\"dataset\":\"warden.decisions\"")).toList();
        assertThat(decisions).hasSize(receipts.size());
        for (int i = 0; i < receipts.size(); i++) {
            assertThat(decisions.get(i)).contains("\"id\":\"" + receipts.get(i).id() + "\"");
        }
        assertThat(decisions.get(0)).contains("\"action\":\"jdbc-delete\"", "\"outcome\":\"failure\"", "\"type\":[\"denied\"]",
                "\"enforced\":true", "\"outcome\":\"SILENCE\"");
        // The refusal in shadow ran (the count above): allowed, a rule's alert, the would-be denial in warden.*.
        assertThat(decisions.get(receipts.indexOf(jdbc.get(1)))).contains("\"kind\":\"alert\"", "\"action\":\"jdbc-delete\"",
                "\"type\":[\"allowed\"]", "\"outcome\":\"success\"", "\"enforced\":false", "\"outcome\":\"SILENCE\"");
        assertThat(lines).anySatisfy(line -> assertThat(line).contains("\"action\":\"checkpoint-signed\"")
                .contains("\"size\":" + receipts.size()));
        // The verifier maps a log the same way.
        ApproverCli.Result export = ApproverCli.exec(HostJvm.verifierCli(
                "export", store.directory().toString(), "--format", "ecs"));
        assertThat(export.exitCode()).isZero();
        assertThat(export.output().lines().filter(line -> line.contains("warden.decisions")).toList()).isEqualTo(decisions);
    }

    /**
     * Found by an eighth review (2026-12-07): with {@code surfaces=} not naming {@code jvm} (here {@code jdbc,http,process}),
     * the JVM's management API was no action at all. Host code dumped its heap through
     * {@code HotSpotDiagnosticMXBean} (public JDK API; HotSpot writes the file natively, past the file gate), found the
     * control key's hex in it, checked each candidate against Warden's answer to a challenge, and signed a switch of the
     * whole agent to shadow: the DELETE the policy refuses ran. And once the operator's first {@code control} had started
     * the JVM's attach listener (it stays up), host code connected to its socket with a {@code SocketChannel} (the
     * {@code net} surface, which decided that connect as {@code jvm ATTACH}, not gated) and read the key from the agent
     * properties it serves. The {@code jvm} surface, and with it the JDK's unix-socket connect to the attach listener,
     * is now gated whatever {@code surfaces=} names: both are refused under a policy that permits none, each with its
     * receipt, and the DELETE stays refused. The orders are counted in the database file once the host is gone.
     */
    @Test
    void hostCodeFindsNoControlKeyInAHeapDumpWhateverSurfacesNames() throws Exception {
        String url = "jdbc:h2:file:" + workspace.resolve("shop");
        Fixtures.createShop(url, "sa", "");
        Receipts store = Receipts.in(workspace);
        Path dump = workspace.resolve("heap.hprof");
        // process gated: no child may attach and read the key (THREATS.md), so only in-process routes are left.
        HostJvm.Running host = HostJvm.withAgent(store.agentArguments()).withRules("operated").with("surfaces=jdbc,http,process")
                .start(OperatedHost.class, List.of(url));
        try (PrintWriter in = new PrintWriter(host.process().getOutputStream(), true, StandardCharsets.UTF_8)) {
            host.awaitLine("READY");
            assertThat(act(host, in, "unlock " + dump)).startsWith("REFUSED ").contains("warden");
            // The operator's first control starts the JVM's attach listener, which stays up: it serves the agent
            // properties, the control key among them, to whoever connects to its socket as the JVM's user.
            ApproverCli.Result status = control(String.valueOf(host.process().pid()), "status");
            assertThat(status.exitCode()).as(status.output()).isZero();
            assertThat(act(host, in, "attach-unlock")).startsWith("REFUSED ").contains("warden");
            assertThat(act(host, in, "sql DELETE FROM orders WHERE id = 1")).startsWith("REFUSED ");
            in.println("exit");
            host.awaitLine("BYE");
        } finally {
            host.process().waitFor();
        }
        assertThat(dump).doesNotExist();
        assertThat(Fixtures.count(url, "sa", "", "SELECT COUNT(*) FROM orders")).isEqualTo(10);
        List<Receipt> receipts = store.all();
        assertThat(receipts).filteredOn(r -> r.surface().equals("jvm")).extracting(r -> r.operation() + " " + r.outcome()
                + " " + r.enforced() + " " + r.target()).containsExactly("HEAP_DUMP SILENCE true " + workspace.toRealPath().resolve("heap.hprof"),
                "ATTACH SILENCE true /tmp/.java_pid" + host.process().pid());
        assertThat(receipts).noneMatch(r -> r.operation().equals("switch"));
        assertThat(receipts).filteredOn(r -> r.surface().equals("jdbc")).extracting(Receipt::outcome, Receipt::enforced)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("SILENCE", true));
        assertThat(store.verify().exitCode()).isZero();
    }

    /**
     * Found by an eighth review (2026-12-07): run as production hosts are, with {@code -XX:+HeapDumpOnOutOfMemoryError}
     * and {@code surfaces=} not gating {@code file}, host code asked for an array larger than its heap, read the dump
     * HotSpot wrote on its own (no gate sees either), found the control key in it and signed a switch to shadow: the
     * DELETE the policy refuses ran. Only the file surface keeps a host from the dump, so without it no control key is
     * made: the loosening switches are closed, as the start's log says, and the heap holds no key to find.
     */
    @Test
    void aHeapDumpHotSpotWritesWhereNoGateGuardsItHoldsNoControlKey() throws Exception {
        String url = "jdbc:h2:file:" + workspace.resolve("shop");
        Fixtures.createShop(url, "sa", "");
        Receipts store = Receipts.in(workspace);
        Path dump = workspace.resolve("oom.hprof");
        Path errors = workspace.resolve("stderr.txt");
        HostJvm.Running host = HostJvm.withAgent(store.agentArguments()).withRules("operated").with("surfaces=jdbc,http,process")
                .jvm("-XX:+HeapDumpOnOutOfMemoryError").jvm("-XX:HeapDumpPath=" + dump).errorsTo(errors)
                .start(OperatedHost.class, List.of(url));
        try (PrintWriter in = new PrintWriter(host.process().getOutputStream(), true, StandardCharsets.UTF_8)) {
            host.awaitLine("READY");
            assertThat(act(host, in, "oom-unlock " + dump)).isEqualTo("OK no key");
            assertThat(act(host, in, "sql DELETE FROM orders WHERE id = 1")).startsWith("REFUSED ");
            in.println("exit");
            host.awaitLine("BYE");
        } finally {
            host.process().waitFor();
        }
        assertThat(dump).as("HotSpot wrote it, as the operator asked").exists();
        assertThat(Fixtures.count(url, "sa", "", "SELECT COUNT(*) FROM orders")).isEqualTo(10);
        assertThat(Files.readString(errors)).contains("switches that loosen are closed in this JVM")
                .contains("surfaces= does not gate file");
        List<Receipt> receipts = store.all();
        assertThat(receipts).noneMatch(r -> r.operation().equals("switch"));
        assertThat(receipts).filteredOn(r -> r.surface().equals("jdbc")).extracting(Receipt::outcome, Receipt::enforced)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("SILENCE", true));
        assertThat(store.verify().exitCode()).isZero();
    }

    /**
     * Found by a ninth review (2026-12-07): with {@code file} gated (so a control key is made) and reads not decided
     * ({@code file-reads=false}, the default), host code opened {@code /proc/self/mem} for reading, read its own
     * writable memory at the addresses {@code /proc/self/maps} lists, found the control key in the heap as in a heap
     * dump, and signed a switch to shadow: the DELETE the policy refuses ran. The JVM's memory, by any name of it, is
     * now as secret as the keys in it, whatever the policy says; and so are its other tasks' and its pid's names.
     */
    @Test
    void hostCodeFindsNoControlKeyInTheProcesssOwnMemory() throws Exception {
        String url = "jdbc:h2:file:" + workspace.resolve("shop");
        Fixtures.createShop(url, "sa", "");
        Receipts store = Receipts.in(workspace);
        Path rules = Files.createDirectories(workspace.resolve("rules"));
        Files.copy(Receipts.rules("operated").resolve("operated.drl"), rules.resolve("operated.drl"));
        Files.writeString(rules.resolve("careless.drl"), """
                package rules.careless;
                import dev.warden.rules.Action;
                global dev.warden.rules.Verdict verdict;
                rule "the agent may do anything with files"
                when
                    Action(surface == "file")
                then
                    verdict.permit("files are the agent's business");
                end
                """);
        HostJvm.Running host = HostJvm.withAgent(store.agentArguments()).with("rules=" + rules)
                .with("surfaces=jdbc,http,process,file").start(OperatedHost.class, List.of(url));
        String pid = String.valueOf(host.process().pid());
        try (PrintWriter in = new PrintWriter(host.process().getOutputStream(), true, StandardCharsets.UTF_8)) {
            host.awaitLine("READY");
            for (String memory : List.of("/proc/self/mem", "/proc/" + pid + "/mem", "/proc/thread-self/mem",
                    "/dev/fd/../../self/task/" + pid + "/mem")) {
                assertThat(act(host, in, "memory-unlock " + memory)).as(memory).startsWith("REFUSED ").contains("warden.own-files");
            }
            assertThat(act(host, in, "sql DELETE FROM orders WHERE id = 1")).startsWith("REFUSED ");
            in.println("exit");
            host.awaitLine("BYE");
        } finally {
            host.process().waitFor();
        }
        assertThat(Fixtures.count(url, "sa", "", "SELECT COUNT(*) FROM orders")).isEqualTo(10);
        List<Receipt> receipts = store.all();
        assertThat(receipts).noneMatch(r -> r.operation().equals("switch"));
        assertThat(receipts).filteredOn(r -> r.rules().contains("warden.own-files")).extracting(Receipt::operation)
                .containsExactly("READ", "READ", "READ", "READ");
        assertThat(receipts).filteredOn(r -> r.surface().equals("jdbc") && r.operation().equals("DELETE"))
                .extracting(Receipt::outcome, Receipt::enforced).containsExactly(org.assertj.core.groups.Tuple.tuple("SILENCE", true));
        assertThat(store.verify().exitCode()).isZero();
    }

    @Test
    void aHeapDumpOptionSetAfterTheStartCannotTakeTheControlKeyWhereTheHostReads() throws Exception {
        // The operator's policy lets the host tune manageable options. The previous build decided HeapDumpPath and
        // HeapDumpOnOutOfMemoryError by that rule: the host turned the dump on, pointed it at its own file, ran out of
        // memory, found the control key in the dump and switched Warden to shadow (OK shadow; the DELETE ran).
        String url = "jdbc:h2:file:" + workspace.resolve("shop");
        Fixtures.createShop(url, "sa", "");
        Receipts store = Receipts.in(workspace);
        Path dump = workspace.resolve("later.hprof");
        HostJvm.Running host = HostJvm.withAgent(store.agentArguments()).withRules("operated-options").with("surfaces=jdbc,http,process")
                .start(OperatedHost.class, List.of(url));
        List<String> answers = new java.util.ArrayList<>();
        try (PrintWriter in = new PrintWriter(host.process().getOutputStream(), true, StandardCharsets.UTF_8)) {
            host.awaitLine("READY");
            for (String step : List.of("set-option HeapDumpOnOutOfMemoryError true", "set-option HeapDumpPath " + dump,
                    "set-option PrintConcurrentLocks true", "oom-unlock " + dump, "sql DELETE FROM orders WHERE id = 1")) {
                answers.add(act(host, in, step));
            }
            in.println("exit");
            host.awaitLine("BYE");
        } finally {
            host.process().waitFor();
        }
        assertThat(answers.get(0)).as(answers.toString()).startsWith("REFUSED ").contains("a heap dump option set after the start");
        assertThat(answers.get(1)).as(answers.toString()).startsWith("REFUSED ");
        assertThat(answers.get(2)).as("other options, as the policy says").isEqualTo("OK set");
        assertThat(answers.get(3)).as("no dump to read").startsWith("REFUSED ");
        assertThat(answers.get(4)).startsWith("REFUSED ");
        assertThat(dump).doesNotExist();
        assertThat(Fixtures.count(url, "sa", "", "SELECT COUNT(*) FROM orders")).isEqualTo(10);
        List<Receipt> receipts = store.all();
        assertThat(receipts).noneMatch(r -> r.operation().equals("switch"));
        assertThat(receipts).filteredOn(r -> r.surface().equals("jvm")).extracting(r -> r.outcome() + " " + r.rules())
                .containsExactly("DENY [warden.fail-closed]", "DENY [warden.fail-closed]", "PERMIT [the JVM's manageable options]");
        assertThat(store.verify().exitCode()).isZero();
    }

    @Test
    void anMBeanServerOfTheApplicationsOwnCannotKeepASwitchBackUnseen() throws Exception {
        String url = "jdbc:h2:file:" + workspace.resolve("shop");
        Fixtures.createShop(url, "sa", "");
        Receipts store = Receipts.in(workspace);
        HostJvm.Running host = HostJvm.withAgent(store.agentArguments()).withRules("operated").with("surfaces=jdbc")
                .jvm("-Djavax.management.builder.initial=" + dev.warden.e2e.host.ImpostorServerBuilder.class.getName())
                .start(OperatedHost.class, List.of(url));
        String pid = String.valueOf(host.process().pid());
        try (PrintWriter in = new PrintWriter(host.process().getOutputStream(), true, StandardCharsets.UTF_8)) {
            host.awaitLine("READY");
            assertThat(act(host, in, "sql SELECT COUNT(*) FROM orders")).isEqualTo("OK value=10");
            // The server's default domain is Warden's: a name without a domain is judged as the server resolves it.
            assertThat(act(host, in, "unregister-default")).startsWith("REFUSED ")
                    .contains("dev.warden:type=Agent is in Warden's own MBean domain: only Warden may unregister it");
            // The application's server passes the challenge on to Warden, and keeps the kill back: the CLI reads the
            // switches back as Warden attests them, and says the kill did not take.
            ApproverCli.Result keptBack = control(pid, "kill", "--reason", "incident 44");
            assertThat(keptBack.exitCode()).as(keptBack.output()).isEqualTo(2);
            assertThat(keptBack.output()).contains("the switch did not take").doesNotContain("killed:");
            assertThat(act(host, in, "sql SELECT COUNT(*) FROM orders")).as("nothing was killed").isEqualTo("OK value=10");
            // A mode of the whole agent applies to each surface: kept back, it shows on the surface left in shadow.
            ApproverCli.Result shadowed = control(pid, "mode", "shadow", "--surface", "JDBC");
            assertThat(shadowed.exitCode()).as(shadowed.output()).isZero();
            ApproverCli.Result enforced = control(pid, "mode", "enforce");
            assertThat(enforced.exitCode()).as(enforced.output()).isEqualTo(2);
            assertThat(enforced.output()).contains("the switch did not take").contains("surface jdbc: mode shadow");
            // Then it rewrites what Warden attests: the CLI finds the attestation does not match.
            assertThat(act(host, in, "forge")).isEqualTo("OK");
            ApproverCli.Result forged = control(pid, "status");
            assertThat(forged.exitCode()).as(forged.output()).isEqualTo(2);
            assertThat(forged.output()).contains("was not attested under this JVM's control key").doesNotContain("KILLED");
            // Then it passes Warden off as an agent older than attest: the agent properties say otherwise.
            assertThat(act(host, in, "hide-attest")).isEqualTo("OK");
            ApproverCli.Result downgraded = control(pid, "kill", "--reason", "incident 45");
            assertThat(downgraded.exitCode()).as(downgraded.output()).isEqualTo(2);
            assertThat(downgraded.output()).contains("did not answer attest, which this JVM's agent says it does").doesNotContain("killed:");
            in.println("exit");
            host.awaitLine("BYE");
        } finally {
            host.process().waitFor();
        }
        assertThat(store.verify().exitCode()).isZero();
    }

    /**
     * Found by a sixth review (2026-12-07): a DELETE waiting in the host for its approval ({@code hold-wait}) ran when
     * approved after the operator's kill switch, and a reload during the wait did not apply to it. The kill now ends the
     * wait: the host is refused with the kill's reason before anyone approves, and the approval that comes after deletes
     * nothing; a reload ends the next wait, and that DELETE, approved, is decided under the new policy, which refuses it.
     * The orders are counted by the test in the database file once the host is gone.
     */
    @Test
    void aKillOrAReloadEndsTheWaitOfACallHeldForApproval() throws Exception {
        String url = "jdbc:h2:file:" + workspace.resolve("shop");
        Fixtures.createShop(url, "sa", "");
        Receipts store = Receipts.in(workspace);
        Path rules = ApproverCli.rulesWithOneApprover(workspace, "orders.yaml", ORDERS.formatted("jdbc:orders:select, jdbc:orders:delete", 1));
        dev.warden.receipts.Ed25519Keys.generate(workspace.resolve("keys/a2.pem"), rules.resolve("approvers/a2.pem"));
        ApproverCli approver = new ApproverCli(store, workspace.resolve("keys"));
        HostJvm.Running host = HostJvm.withAgent(store.agentArguments()).with("rules=" + rules).with("surfaces=jdbc")
                .with("actor=orders-bot").with("hold-wait=600000").with("rules-watch=false")
                .start(OperatedHost.class, List.of(url));
        String pid = String.valueOf(host.process().pid());
        Path requests = Files.createDirectories(store.directory().resolve("approvals/requests"));
        String killedWait;
        String afterKill;
        String reloadedWait;
        String afterReload;
        String retried;
        String first;
        String second;
        String third;
        String raisedWait;
        String raisedRetried;
        try (PrintWriter in = new PrintWriter(host.process().getOutputStream(), true, StandardCharsets.UTF_8);
             WatchService published = requests.getFileSystem().newWatchService()) {
            host.awaitLine("READY");
            requests.register(published, StandardWatchEventKinds.ENTRY_CREATE);
            in.println("sql DELETE FROM orders WHERE id = 1");
            first = awaitRequest(published, requests, Set.of());
            ApproverCli.Result killed = control(pid, "kill", "--surface", "jdbc", "--reason", "incident 46");
            assertThat(killed.exitCode()).as(killed.output()).isZero();
            // The host's answer, before anyone approves: the wait itself would last ten minutes.
            killedWait = host.lines().poll(60, TimeUnit.SECONDS);
            ApproverCli.Result approved = approver.approve(first, "a1"); // by an approver who did not hear of the kill
            assertThat(approved.exitCode()).as(approved.output()).isZero();
            afterKill = killedWait != null ? killedWait : answer(host); // a wait the kill did not end: what the approval did

            ApproverCli.Result revived = control(pid, "revive", "--surface", "jdbc");
            assertThat(revived.exitCode()).as(revived.output()).isZero();
            in.println("sql DELETE FROM orders WHERE id = 2");
            second = awaitRequest(published, requests, Set.of(first));
            Files.writeString(rules.resolve("orders.yaml"), ORDERS.formatted("jdbc:orders:select", 1)); // deletes no longer
            ApproverCli.Result reloaded = control(pid, "reload");
            assertThat(reloaded.exitCode()).as(reloaded.output()).isZero();
            reloadedWait = host.lines().poll(60, TimeUnit.SECONDS);
            approved = approver.approve(second, "a1");
            assertThat(approved.exitCode()).as(approved.output()).isZero();
            afterReload = reloadedWait != null ? reloadedWait : answer(host);
            retried = act(host, in, "sql DELETE FROM orders WHERE id = 2"); // approved, under a policy that refuses it

            // Found by an eleventh review (2026-12-07): a request opened when one approver sufficed, retried with a wait
            // after the policy in force asked for two, ran on the one approval the request had: the wait counted the
            // approvers the request named, not the policy's.
            Files.writeString(rules.resolve("orders.yaml"), ORDERS.formatted("jdbc:orders:select, jdbc:orders:delete", 1));
            assertThat(control(pid, "reload").exitCode()).isZero();
            in.println("sql DELETE FROM orders WHERE id = 3");
            third = awaitRequest(published, requests, Set.of(first, second));
            Files.writeString(rules.resolve("orders.yaml"), ORDERS.formatted("jdbc:orders:select, jdbc:orders:delete", 2));
            assertThat(control(pid, "reload").exitCode()).isZero();
            raisedWait = answer(host); // the reload ends the wait: the call is retried under the new policy
            approved = approver.approve(third, "a1");
            assertThat(approved.exitCode()).as(approved.output()).isZero();
            in.println("sql DELETE FROM orders WHERE id = 3"); // waits for a second approver: a2 rejects
            approver.reject(third, "a2", "one approval is not two");
            raisedRetried = answer(host);
            in.println("exit");
            host.awaitLine("BYE");
        } finally {
            host.process().waitFor();
        }
        try (java.sql.Connection db = java.sql.DriverManager.getConnection(url, "sa", "")) {
            assertThat(DirectSql.count(db, "SELECT COUNT(*) FROM orders WHERE id IN (1, 2)")).as("orders 1 and 2 in the database")
                    .isEqualTo(2);
            assertThat(DirectSql.count(db, "SELECT COUNT(*) FROM orders WHERE id = 3"))
                    .as("order 3, approved by one approver where the policy in force asks for two, in the database").isEqualTo(1);
        }
        assertThat(afterKill).startsWith("REFUSED ").contains("warden.kill-switch")
                .contains("kill switch: incident 46 (while the call waited for approval " + first + ")");
        assertThat(killedWait).as("the kill ended the wait, before any approval").isNotNull();
        assertThat(afterReload).startsWith("REFUSED ").contains("while the call waited for approval " + second);
        assertThat(reloadedWait).as("the reload ended the wait, before any approval").isNotNull();
        assertThat(retried).startsWith("REFUSED ");

        List<Receipt> receipts = store.all();
        List<Receipt> jdbc = receipts.stream().filter(r -> r.surface().equals("jdbc")).toList();
        assertThat(jdbc).extracting(r -> r.outcome() + " " + r.rules()).startsWith("HOLD [approval:T2]",
                "DENY [warden.kill-switch]", "HOLD [approval:T2]", "HOLD [approval:T2]").hasSize(9);
        assertThat(jdbc.get(1).reason()).isEqualTo("kill switch: incident 46 (while the call waited for approval " + first + ")");
        assertThat(jdbc.get(1).summary()).containsEntry("approval.request", first).containsEntry("approval.status", "pending");
        assertThat(jdbc.get(3).reason()).startsWith("policy " + jdbc.get(2).policyVersion() + " was switched to "
                + jdbc.get(3).policyVersion() + " while the call waited for approval " + second);
        assertThat(jdbc.get(3).policyVersion()).isNotEqualTo(jdbc.get(2).policyVersion());
        assertThat(jdbc.get(4).outcome()).isNotEqualTo("PERMIT");
        assertThat(raisedWait).startsWith("REFUSED ").contains("while the call waited for approval " + third);
        assertThat(raisedRetried).as("the retry under a policy asking for two approvers").startsWith("REFUSED ")
                .contains("rejected by a2");
        assertThat(jdbc.get(7).summary()).containsEntry("approval.request", third).containsEntry("approval.needs", "2")
                .containsEntry("approval.have", "1");
        assertThat(jdbc.get(8).outcome()).isEqualTo("DENY");
        assertThat(receipts).as("no approval was used").noneMatch(r -> r.surface().equals("approval"));
        Receipts.Verification verification = store.verify();
        assertThat(verification.exitCode()).as(verification.output()).isZero();
    }

    /** Every order may be read, and what the first {@code %s} allows besides; each delete needs that many of a1 and a2. */
    private static final String ORDERS = """
            policies:
              - role: clerk
                allow: [%s]
            actors:
              orders-bot: [clerk]
            tiers:
              T2: [jdbc:orders:delete]
            approvals:
              approvers: approvers/
              T2: {approvers: %d}
            """;

    /** The id of a request published in {@code requests} that is none of {@code known}, once the file system tells of it. */
    private static String awaitRequest(WatchService published, Path requests, Set<String> known) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (true) {
            try (java.util.stream.Stream<Path> files = Files.list(requests)) {
                java.util.Optional<String> id = files.map(file -> file.getFileName().toString()).filter(name -> name.endsWith(".json"))
                        .map(name -> name.substring(0, name.length() - ".json".length())).filter(name -> !known.contains(name)).findFirst();
                if (id.isPresent()) {
                    return id.get();
                }
            }
            long left = deadline - System.nanoTime();
            WatchKey key = left > 0 ? published.poll(left, TimeUnit.NANOSECONDS) : null;
            if (key == null) {
                throw new AssertionError("no approval request was published in " + requests);
            }
            key.pollEvents();
            key.reset();
        }
    }

    private static ObjectName agent() {
        try {
            return new ObjectName("dev.warden:type=Agent");
        } catch (javax.management.MalformedObjectNameException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String act(HostJvm.Running host, PrintWriter in, String command) throws InterruptedException {
        in.println(command);
        return answer(host);
    }

    /** The host's answer to the command it runs: its next line saying OK or REFUSED. */
    private static String answer(HostJvm.Running host) throws InterruptedException {
        String line = host.awaitLine("");
        while (!line.startsWith("OK") && !line.startsWith("REFUSED")) {
            line = host.awaitLine("");
        }
        return line;
    }

    /** The operator's own JMX client, which signs a switch as the CLI does, with the key from the JVM's agent properties. */
    private record Jmx(MBeanServerConnection server, String pid) {
        /** Once the MBeans answer: the agent publishes the key before it registers them. */
        String sign(String operation, String... arguments) throws Exception {
            VirtualMachine vm = VirtualMachine.attach(pid);
            String key;
            try {
                key = vm.getAgentProperties().getProperty(SwitchKey.PROPERTY);
            } finally {
                vm.detach();
            }
            assertThat(key).matches("[0-9a-f]{64}");
            String nonce = ((String) server.invoke(AGENT, "challenge", new Object[] {"test"}, new String[] {"java.lang.String"})).split(" ")[0];
            return SwitchProof.sign(java.util.HexFormat.of().parseHex(key), nonce, operation, arguments);
        }
    }

    private static Jmx jmx(String pid) throws Exception {
        VirtualMachine vm = VirtualMachine.attach(pid);
        try {
            return new Jmx(JMXConnectorFactory.connect(new JMXServiceURL(vm.startLocalManagementAgent())).getMBeanServerConnection(), pid);
        } finally {
            vm.detach();
        }
    }

    private static ApproverCli.Result control(String pid, String... arguments) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of("control", pid));
        command.addAll(List.of(arguments));
        return ApproverCli.cli(command.toArray(String[]::new));
    }
}
