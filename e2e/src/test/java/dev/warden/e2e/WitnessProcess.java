package dev.warden.e2e;

import dev.warden.receipts.Checkpoint;
import dev.warden.receipts.Ed25519Keys;
import dev.warden.receipts.SignedNote;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.LongPredicate;

/**
 * A witness run as operators run it, {@code java -jar warden-agent.jar witness ...}, in its own JVM,
 * with a key written as {@code openssl genpkey -algorithm ed25519} writes one.
 */
final class WitnessProcess implements AutoCloseable {
    private final Path home;
    private final String name;
    private final String origin;
    private final Path logPublicKey;
    private Process process;
    private int port;
    private String vkey;

    private WitnessProcess(Path home, String name, String origin, Path logPublicKey) {
        this.home = home;
        this.name = name;
        this.origin = origin;
        this.logPublicKey = logPublicKey;
    }

    static WitnessProcess start(Path home, String name, String origin, Path logPublicKey) throws Exception {
        Files.createDirectories(home);
        Ed25519Keys.generate(home.resolve("witness.pem"), home.resolve("witness.pub.pem"));
        WitnessProcess witness = new WitnessProcess(home, name, origin, logPublicKey);
        witness.launch(0);
        return witness;
    }

    /** Started again on the same port, with the same key and state. */
    void restart() throws Exception {
        launch(port);
    }

    private void launch(int onPort) throws Exception {
        process = new ProcessBuilder(HostJvm.agentCli("witness",
                "--key", home.resolve("witness.pem").toString(), "--name", name, "--port", String.valueOf(onPort),
                "--state", home.resolve("state").toString(), "--log", origin + "=" + logPublicKey))
                .redirectError(home.resolve("stderr.txt").toFile()).start();
        String line = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8)).readLine();
        if (line == null || !line.startsWith("witness listening on ")) {
            throw new AssertionError("the witness did not start: " + line + "\n" + Files.readString(home.resolve("stderr.txt")));
        }
        String[] words = line.split(" ");
        port = Integer.parseInt(words[3].substring(words[3].lastIndexOf(':') + 1));
        vkey = words[5];
    }

    /** SIGSTOP: the kernel still accepts connections, the witness answers none. */
    void freeze() throws Exception {
        new ProcessBuilder("kill", "-STOP", String.valueOf(process.pid())).start().waitFor();
    }

    void kill() throws Exception {
        process.destroyForcibly();
        process.waitFor(60, TimeUnit.SECONDS);
    }

    String url() {
        return "http://127.0.0.1:" + port;
    }

    /** The line for the agent's {@code witnesses=} file. */
    String witnessesLine() {
        return url() + " " + vkey;
    }

    /** The verifier key, in a file for the verifier's {@code --witness-key}. */
    Path vkeyFile() {
        return home.resolve("state/witness.vkey");
    }

    /** The latest checkpoint it cosigned for the origin (the auditor's reference), or null. */
    String latest() throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url()
                + "/checkpoint?origin=" + URLEncoder.encode(origin, StandardCharsets.UTF_8))).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
        return response.statusCode() == 200 ? response.body() : null;
    }

    long cosignedSize() throws Exception {
        String note = latest();
        return note == null ? 0 : Checkpoint.parse(SignedNote.parse(note).text()).size();
    }

    /** Waits (polling its GET endpoint, never a fixed sleep) until its cosigned size satisfies {@code condition}. */
    void awaitSize(LongPredicate condition, String what) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        long size = -1;
        while (System.nanoTime() < deadline) {
            size = cosignedSize();
            if (condition.test(size)) {
                return;
            }
            TimeUnit.MILLISECONDS.sleep(50); // polling interval of the await, not a synchronisation
        }
        throw new AssertionError("witness " + name + " never " + what + " (its size: " + size + ")");
    }

    @Override
    public void close() throws Exception {
        if (process != null && process.isAlive()) {
            kill();
        }
    }

    static List<String> lines(WitnessProcess... witnesses) {
        return java.util.Arrays.stream(witnesses).map(WitnessProcess::witnessesLine).toList();
    }
}
