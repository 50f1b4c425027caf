package dev.warden.e2e;

import dev.warden.e2e.host.JdbcHost;
import dev.warden.verifier.Tamper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code java -jar warden-agent.jar ...}: the operator's tools, and the key the agent makes itself. */
@SameOnEveryJdk
class OperatorCliEndToEndTest {

    @TempDir
    Path workspace;

    @Test
    void keygenWritesAnOwnerOnlyKeyPairThatSignsAndVerifiesReceipts() throws Exception {
        Path keys = workspace.resolve("keys");

        Cli keygen = cli("keygen", "--out", keys.toString());

        assertThat(keygen.exitCode()).as(keygen.output()).isZero();
        Path privateKey = keys.resolve("warden-signing.pem");
        Path publicKey = keys.resolve("warden-signing.pub.pem");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(privateKey))).isEqualTo("rw-------");
        assertThat(Files.readString(privateKey)).startsWith("-----BEGIN PRIVATE KEY-----");
        assertThat(Files.readString(publicKey)).startsWith("-----BEGIN PUBLIC KEY-----");
        assertThat(cli("keygen", "--out", keys.toString()).exitCode()).as("never overwrites a key").isEqualTo(1);

        String url = "jdbc:h2:file:" + workspace.resolve("shop");
        Fixtures.createShop(url, "sa", "");
        Path receipts = workspace.resolve("receipts");
        HostJvm.withAgent("receipts=" + receipts, "key=" + privateKey).withRules("jdbc")
                .run(JdbcHost.class, List.of(url, "sa", "", "prepared:SELECT * FROM orders WHERE id = ?|1"));

        assertThat(verify(receipts, publicKey).exitCode()).isZero();
        // The auditor's jar, as it is run, on both JDKs (the other tests check receipts with its command in their JVM).
        Tamper.editBytes(receipts, "orders", "ordert");
        Cli changed = verify(receipts, publicKey);
        assertThat(changed.exitCode()).as(changed.output()).isEqualTo(1);
        assertThat(changed.output()).contains("INVALID: receipt ");
    }

    @Test
    void withoutAKeyTheAgentGeneratesOneAndSaysWhereItsPublicHalfIs() throws Exception {
        String url = "jdbc:h2:file:" + workspace.resolve("shop");
        Fixtures.createShop(url, "sa", "");
        Path receipts = workspace.resolve("receipts");

        HostJvm.Result host = HostJvm.withAgent("receipts=" + receipts).withRules("jdbc")
                .run(JdbcHost.class, List.of(url, "sa", "", "prepared:SELECT * FROM orders WHERE id = ?|1"));

        Path publicKey = receipts.resolve("public-key.pem");
        assertThat(host.stderr()).contains("public half is " + publicKey.toAbsolutePath());
        assertThat(verify(receipts, publicKey).exitCode()).isZero();
    }

    @Test
    void checkRulesCompilesARulesDirectoryAsTheAgentWould() throws Exception {
        Cli good = cli("check-rules", Receipts.rules("jdbc").toString());
        Cli broken = cli("check-rules", Receipts.rules("broken").toString());

        assertThat(good.exitCode()).as(good.output()).isZero();
        assertThat(good.output()).contains("ok: 6 files, policy version ").doesNotContain("error:");
        assertThat(broken.exitCode()).isEqualTo(1);
        assertThat(broken.output()).contains("error: does not compile: broken.drl:8");
    }

    private record Cli(int exitCode, String output) {
    }

    private static Cli cli(String... arguments) throws Exception {
        return exec(HostJvm.agentCli(arguments));
    }

    private static Cli verify(Path receipts, Path publicKey) throws Exception {
        return exec(HostJvm.verifierCli("verify",
                receipts.toString(), "--public-key", publicKey.toString()));
    }

    private static Cli exec(List<String> command) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("did not finish: " + command);
        }
        return new Cli(process.exitValue(), output);
    }
}
