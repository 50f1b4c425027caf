package dev.warden.agent.cli;

import dev.warden.agent.witness.server.WitnessServer;
import dev.warden.agent.witness.server.WitnessState;
import dev.warden.receipts.Cosigner;
import dev.warden.receipts.Ed25519Keys;
import dev.warden.receipts.VerificationKey;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/**
 * {@code java -jar warden-agent.jar witness ...}: a C2SP tlog-witness for Warden logs (or any log
 * that signs checkpoints with Ed25519). Prints one line when it listens, with its port and verifier
 * key, and writes the verifier key to {@code <state>/witness.vkey}.
 */
@Command(name = "witness", mixinStandardHelpOptions = true, description = "Run a witness that cosigns checkpoints of the given logs (C2SP tlog-witness).")
final class WitnessCommand implements Callable<Integer> {
    @Option(names = "--key", required = true, paramLabel = "PEM", description = "the witness's Ed25519 private key (openssl genpkey -algorithm ed25519)")
    Path key;

    @Option(names = "--name", paramLabel = "NAME", description = "the witness's key name, e.g. witness.example.com/w1 (default: warden-witness/<host name>)")
    String name;

    @Option(names = "--port", defaultValue = "0", paramLabel = "N", description = "port to listen on; 0 picks a free one (default)")
    int port;

    @Option(names = "--bind", defaultValue = "127.0.0.1", paramLabel = "ADDRESS", description = "address to listen on (default 127.0.0.1)")
    String bind;

    @Option(names = "--state", required = true, paramLabel = "DIR", description = "directory of the latest cosigned checkpoint of each log")
    Path state;

    @Option(names = "--log", required = true, paramLabel = "ORIGIN=PEM", description = "a log it witnesses: its origin and public key (repeatable)")
    List<String> logs;

    @Override
    public Integer call() throws Exception {
        Map<String, VerificationKey> keys = new LinkedHashMap<>();
        for (String log : logs) {
            int equals = log.lastIndexOf('=');
            if (equals <= 0) {
                System.err.println("--log takes ORIGIN=PUBLIC-KEY-PEM, not " + log);
                return 2;
            }
            keys.put(log.substring(0, equals), Ed25519Keys.readPublic(Path.of(log.substring(equals + 1))));
        }
        Cosigner cosigner = new Cosigner(name != null ? name : "warden-witness/" + InetAddress.getLocalHost().getHostName(),
                Ed25519Keys.readPrivate(key));
        WitnessState witnessState = new WitnessState(state, cosigner, keys, Clock.systemUTC());
        String vkey = cosigner.witnessKey().vkey();
        Files.writeString(state.resolve("witness.vkey"), vkey + "\n", StandardCharsets.UTF_8);
        CountDownLatch stopped = new CountDownLatch(1);
        try (WitnessServer server = WitnessServer.start(new InetSocketAddress(bind, port), witnessState)) {
            Runtime.getRuntime().addShutdownHook(new Thread(stopped::countDown));
            System.out.println("witness listening on " + bind + ":" + server.port() + " vkey " + vkey);
            System.out.flush();
            stopped.await();
        }
        return 0;
    }
}
