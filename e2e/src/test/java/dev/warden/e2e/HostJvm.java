package dev.warden.e2e;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Starts a host application in its own JVM, the way operators run it: the host's class path, and
 * {@code -javaagent:warden-agent.jar=...} as the only Warden-related flag.
 */
final class HostJvm {

    /** 120 s; {@code -Dwarden.host.timeout=SECONDS} on a machine shared with other builds. */
    private static final long TIMEOUT_SECONDS = Long.getLong("warden.host.timeout", 120);

    /**
     * Hosts live seconds, hundreds of them on two cores: without C2 and with one GC thread a host's start
     * costs about half the CPU. Neither changes what Warden does; the JIT and the collector are the JVM's.
     */
    private static final List<String> SHORT_LIVED_JVM = List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC");
    private static final Path SHARED_POLICY_CACHE = Path.of("target", "policy-cache").toAbsolutePath();
    /** For a failure in a test's setup, which reads receipts before any assertion shows the host's output. */
    private static final ThreadLocal<Result> LAST_RUN = new ThreadLocal<>();

    private final List<String> agentArguments = new ArrayList<>();
    private final Map<String, String> environment = new java.util.HashMap<>();
    private final List<String> jvmOptions = new ArrayList<>();
    private boolean withAgent = true;
    private long timeoutSeconds = TIMEOUT_SECONDS;
    private String classPath;
    private Path errors;
    private Path workingDirectory;

    static HostJvm withAgent(String... keyValues) {
        HostJvm host = new HostJvm();
        host.agentArguments.addAll(List.of(keyValues));
        return host;
    }

    static HostJvm withoutAgent() {
        HostJvm host = new HostJvm();
        host.withAgent = false;
        return host;
    }

    /** Adds {@code rules=} for a rule pack under {@code src/test/resources/rules}. */
    HostJvm withRules(String pack) {
        agentArguments.add("rules=" + Receipts.rules(pack));
        return this;
    }

    HostJvm with(String keyValue) {
        agentArguments.add(keyValue);
        return this;
    }

    /**
     * Runs the host on another class path than e2e's own: {@code classpaths/target/classpath-NAME.txt}, written
     * by a module of {@code e2e/classpaths} (another LangChain4j version, say). e2e's classes stay first.
     */
    HostJvm onClassPath(String name) {
        classPath = name;
        return this;
    }

    /** The bound on a host's run and on each line awaited from it, unless {@link #within} says otherwise. */
    static long defaultTimeoutSeconds() {
        return TIMEOUT_SECONDS;
    }

    /** Waits this long for {@link #run} and {@link #start}ed hosts' lines (a host that starts a JVM of its own, or two agents, starts slower). */
    HostJvm within(long seconds) {
        timeoutSeconds = seconds;
        return this;
    }

    /** Keeps what a {@link #start}ed host prints on stderr in {@code file} (it is discarded otherwise). */
    HostJvm errorsTo(Path file) {
        errors = file;
        return this;
    }

    /** A JVM option before the class path ({@code -javaagent:} of another agent, {@code -Dkey=value}). */
    HostJvm jvm(String option) {
        jvmOptions.add(option);
        return this;
    }

    HostJvm env(String name, String value) {
        environment.put(name, value);
        return this;
    }

    /** Runs the host in {@code directory} (the test's by default). */
    HostJvm in(Path directory) {
        workingDirectory = directory;
        return this;
    }

    /** Runs {@code main} with {@code arguments} and waits for it to exit. */
    Result run(Class<?> main, List<String> arguments) throws IOException, InterruptedException {
        LAST_RUN.remove(); // a host that times out leaves none: not another test class's, run on this thread before
        Process process = command(main, arguments).start();
        CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> read(process.getInputStream()));
        CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(process.getErrorStream()));
        if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("host did not exit within " + timeoutSeconds + " s");
        }
        Result result = new Result(process.exitValue(), out.join(), err.join());
        LAST_RUN.set(result);
        return result;
    }

    /** What the last host {@link #run} on this thread printed, and its exit. */
    static java.util.Optional<Result> lastRunOnThisThread() {
        return java.util.Optional.ofNullable(LAST_RUN.get());
    }

    /** Starts {@code main} and returns at once, for tests that act on a host while it runs. */
    Running start(Class<?> main, List<String> arguments) throws IOException {
        LAST_RUN.remove();
        Process process = command(main, arguments).redirectError(errors == null ? ProcessBuilder.Redirect.DISCARD
                : ProcessBuilder.Redirect.to(errors.toFile())).start();
        java.util.concurrent.BlockingQueue<String> lines = new java.util.concurrent.LinkedBlockingQueue<>();
        Thread reader = new Thread(() -> new java.io.BufferedReader(new java.io.InputStreamReader(
                process.getInputStream(), StandardCharsets.UTF_8)).lines().forEach(lines::add), "host-stdout");
        reader.setDaemon(true);
        reader.start();
        return new Running(process, lines, timeoutSeconds);
    }

    /** A host that is still running. */
    record Running(Process process, java.util.concurrent.BlockingQueue<String> lines, long timeoutSeconds) {

        /** Blocks until the host prints a line starting with {@code prefix}, failing after the host timeout. */
        String awaitLine(String prefix) throws InterruptedException {
            List<String> printed = awaitLines(prefix);
            return printed.get(printed.size() - 1);
        }

        /** {@link #awaitLine}, returning every line the host printed since the last await, that one last. */
        List<String> awaitLines(String prefix) throws InterruptedException {
            List<String> printed = new ArrayList<>();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
            while (System.nanoTime() < deadline) {
                String line = lines.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
                if (line != null) {
                    printed.add(line);
                    if (line.startsWith(prefix)) {
                        return printed;
                    }
                }
            }
            throw new AssertionError("the host never printed " + prefix + " (it printed " + printed + ")");
        }

        /** Closes the host's standard input and waits for it to exit; returns its exit code. */
        int release() throws IOException, InterruptedException {
            process.getOutputStream().close();
            if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                throw new AssertionError("host did not exit within " + timeoutSeconds + " s");
            }
            return process.exitValue();
        }

        /** SIGKILL: no shutdown hook runs, nothing is flushed or signed. */
        void killHard() throws InterruptedException {
            process.destroyForcibly();
            process.waitFor(timeoutSeconds, TimeUnit.SECONDS);
        }
    }

    private ProcessBuilder command(Class<?> main, List<String> arguments) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(System.getProperty("warden.host.java"));
        command.addAll(SHORT_LIVED_JVM);
        if (withAgent) {
            List<String> options = new ArrayList<>(agentArguments);
            if (options.stream().noneMatch(argument -> argument.startsWith("cache="))) {
                // Hosts share compiled policies (keyed by rules, build and JDK), so each pack compiles once per run.
                options.add("cache=" + SHARED_POLICY_CACHE);
            }
            command.add("-javaagent:" + agentJar() + "=" + String.join(",", options));
        }
        command.addAll(jvmOptions);
        command.add("-cp");
        command.add(hostClassPath(classPath));
        command.add(main.getName());
        command.addAll(arguments);
        ProcessBuilder builder = new ProcessBuilder(command);
        if (workingDirectory != null) {
            builder.directory(workingDirectory.toFile());
        }
        builder.environment().keySet().removeIf(name -> name.startsWith("WARDEN_"));
        builder.environment().putAll(environment);
        return builder;
    }

    static Path agentJar() {
        Path jar = Path.of(System.getProperty("warden.agent.jar"));
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("build the agent first (mvn package): " + jar);
        }
        return jar;
    }

    static String java() {
        return System.getProperty("warden.host.java");
    }

    /**
     * {@code java -jar warden-agent.jar ARGUMENTS}: Warden's command line, as an operator runs it, with the hosts' JIT
     * and collector flags (a tool that compiles rules spends a third less CPU without C2).
     */
    static List<String> agentCli(String... arguments) {
        return javaJar(agentJar().toString(), arguments);
    }

    /** {@code java -jar warden-verify.jar ARGUMENTS}, as an auditor runs it, with the hosts' JIT and collector flags. */
    static List<String> verifierCli(String... arguments) {
        return javaJar(System.getProperty("warden.verify.jar"), arguments);
    }

    private static List<String> javaJar(String jar, String... arguments) {
        List<String> command = new ArrayList<>();
        command.add(java());
        command.addAll(SHORT_LIVED_JVM);
        command.add("-jar");
        command.add(jar);
        command.addAll(List.of(arguments));
        return command;
    }

    private static String hostClassPath(String name) throws IOException {
        return System.getProperty("warden.host.classpath") + java.io.File.pathSeparator + libraries(name);
    }

    /** The libraries of e2e's own host class path (null), or of {@code classpaths/target/classpath-NAME.txt}. */
    static String libraries(String name) throws IOException {
        Path file = name == null ? Path.of(System.getProperty("warden.host.classpath.file"))
                : Path.of("classpaths", "target", "classpath-" + name + ".txt").toAbsolutePath();
        if (!Files.isRegularFile(file)) {
            throw new IllegalStateException("no class path " + file + ": build e2e/classpaths first (mvn install)");
        }
        return Files.readString(file).trim();
    }

    private static String read(java.io.InputStream stream) {
        try {
            return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "<unreadable: " + e + ">";
        }
    }

    /** What the host printed and how it ended. */
    record Result(int exitCode, String stdout, String stderr) {

        List<String> lines() {
            return stdout.lines().toList();
        }

        /** The host's line for step {@code n}. */
        String step(int n) {
            return lines().stream().filter(line -> line.contains(" step=" + n + " ") || line.endsWith(" step=" + n))
                    .findFirst().orElseThrow(() -> new AssertionError("no output for step " + n + " in:\n" + this));
        }

        @Override
        public String toString() {
            return "exit " + exitCode + "\n--- stdout\n" + stdout + "--- stderr\n" + stderr;
        }
    }
}
