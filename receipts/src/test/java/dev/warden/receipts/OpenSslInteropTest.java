package dev.warden.receipts;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Keys and signatures interoperate with OpenSSL, which is what operators will use to make and inspect keys. */
class OpenSslInteropTest {
    @TempDir
    Path tmp;

    @Test
    void aKeyFromOpensslGenpkeySignsWhatOpensslVerifies() throws Exception {
        Path key = tmp.resolve("key.pem");
        Path pub = tmp.resolve("pub.pem");
        openssl("genpkey", "-algorithm", "ed25519", "-out", key.toString());
        openssl("pkey", "-in", key.toString(), "-pubout", "-out", pub.toString());

        SigningKey signingKey = Ed25519Keys.readPrivate(key);
        assertThat(signingKey.publicKey()).isEqualTo(Ed25519Keys.readPublic(pub));

        SignedNote note = SignedNote.sign(new Checkpoint("warden/x", 1, "ab".repeat(32)).body(), "warden/x", signingKey);
        Path body = Files.writeString(tmp.resolve("body"), note.text());
        Path sig = Files.write(tmp.resolve("sig"), note.signatures().get(0).signature());
        assertThat(openssl("pkeyutl", "-verify", "-pubin", "-inkey", pub.toString(), "-rawin", "-in", body.toString(),
                "-sigfile", sig.toString())).contains("Signature Verified Successfully");
    }

    @Test
    void aSignatureMadeByOpensslVerifiesHere() throws Exception {
        Path key = tmp.resolve("key.pem");
        openssl("genpkey", "-algorithm", "ed25519", "-out", key.toString());
        Path body = Files.writeString(tmp.resolve("body"), "warden/x\n1\nq83vEjRWeJA=\n");
        Path sig = tmp.resolve("sig");
        openssl("pkeyutl", "-sign", "-inkey", key.toString(), "-rawin", "-in", body.toString(), "-out", sig.toString());

        assertThat(Ed25519Keys.readPrivate(key).publicKey().verify(Files.readAllBytes(body), Files.readAllBytes(sig))).isTrue();
    }

    @Test
    void generatedKeysAreWhatOpensslWouldHaveWritten() throws Exception {
        Path key = tmp.resolve("generated.pem");
        Path pub = tmp.resolve("generated.pub.pem");
        Ed25519Keys.generate(key, pub);

        assertThat(openssl("pkey", "-in", key.toString(), "-pubout")).isEqualTo(Files.readString(pub));
        assertThat(openssl("pkey", "-in", key.toString())).isEqualTo(Files.readString(key));
    }

    @Test
    void anRsaKeyIsRefusedWithAMessageSayingSo() throws Exception {
        Path rsa = tmp.resolve("rsa.pem");
        openssl("genpkey", "-algorithm", "rsa", "-pkeyopt", "rsa_keygen_bits:1024", "-out", rsa.toString());

        assertThatThrownBy(() -> Ed25519Keys.readPrivate(rsa))
                .isInstanceOf(KeyFormatException.class).hasMessageContaining("is not Ed25519");
    }

    @Test
    void generateNeverOverwritesAPrivateKey() throws Exception {
        Path key = tmp.resolve("k.pem");
        Ed25519Keys.generate(key, tmp.resolve("k.pub.pem"));
        String before = Files.readString(key);

        assertThatThrownBy(() -> Ed25519Keys.generate(key, tmp.resolve("k2.pub.pem"))).isInstanceOf(IOException.class);
        assertThat(Files.readString(key)).isEqualTo(before);
    }

    private static String openssl(String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of("openssl"));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(output).isZero();
        return output;
    }
}
