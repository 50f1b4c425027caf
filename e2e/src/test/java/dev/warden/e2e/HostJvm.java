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

    private static final long TIMEOUT_SECONDS = 120;

    private final List<String> agentArguments = new ArrayList<>();
    private final Map<String, String> environment = new java.util.HashMap<>();
    private boolean withAgent = true;

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

    HostJvm env(String name, String value) {
        environment.put(name, value);
        return this;
    }

    /** Runs {@code main} with {@code arguments} and waits for it to exit. */
    Result run(Class<?> main, List<String> arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(System.getProperty("warden.host.java"));
        if (withAgent) {
            command.add("-javaagent:" + agentJar() + (agentArguments.isEmpty() ? "" : "=" + String.join(",", agentArguments)));
        }
        command.add("-cp");
        command.add(hostClassPath());
        command.add(main.getName());
        command.addAll(arguments);
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().keySet().removeIf(name -> name.startsWith("WARDEN_"));
        builder.environment().putAll(environment);
        Process process = builder.start();
        CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> read(process.getInputStream()));
        CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(process.getErrorStream()));
        if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("host did not exit within " + TIMEOUT_SECONDS + " s: " + command);
        }
        return new Result(process.exitValue(), out.join(), err.join());
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

    private static String hostClassPath() throws IOException {
        return System.getProperty("warden.host.classpath") + java.io.File.pathSeparator
                + Files.readString(Path.of(System.getProperty("warden.host.classpath.file"))).trim();
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
