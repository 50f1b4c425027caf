package dev.warden.receipts;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * C2SP tlog-cosignature/v1 vectors: the witness test key (written by {@code openssl genpkey -algorithm
 * ed25519}) cosigning the frozen checkpoint of docs/RECEIPTS.md at a fixed time. The expected values
 * were computed outside Java (Python's hashlib and the cryptography package's Ed25519) from the
 * specification's text, and docs/RECEIPTS.md prints them.
 */
class CosignatureVectorsTest {
    private static final Path VECTORS = Path.of("src/test/resources/vectors");
    private static final String WITNESS = "witness.example/w1";
    private static final long TIME = 1764000000L;

    @Test
    void theCodeProducesTheFrozenCosignature() throws Exception {
        Cosigner cosigner = new Cosigner(WITNESS, Ed25519Keys.readPrivate(VECTORS.resolve("witness-key.pem")));
        SignedNote checkpoint = SignedNote.parse(checkpoint());
        NoteSignature line = cosigner.cosign(checkpoint.text(), TIME);
        SignedNote cosigned = withSignature(checkpoint, line);

        assertThat(cosigner.witnessKey().vkey()).isEqualTo(frozen().get("witness-vkey"));
        assertThat(new String(Cosigner.message(TIME, checkpoint.text()), StandardCharsets.UTF_8))
                .isEqualTo(frozen().get("cosigned-message") + "\n");
        assertThat(cosigned.format()).endsWith(frozen().get("cosignature-line") + "\n");
    }

    @Test
    void theFrozenCosignatureVerifiesUnderTheVerifierKeyAndTheOpenSslPublicKey() throws Exception {
        SignedNote cosigned = SignedNote.parse(checkpoint() + frozen().get("cosignature-line") + "\n");
        WitnessKey key = WitnessKey.parse(frozen().get("witness-vkey"));
        assertThat(key.key()).isEqualTo(Ed25519Keys.readPublic(VECTORS.resolve("witness-key.pub.pem")));
        assertThat(key.cosigned(cosigned)).hasValue(TIME);
        assertThat(cosigned.verifiedBy(TestVectors.ORIGIN, Ed25519Keys.readPublic(TestVectors.PUBLIC_KEY)))
                .as("the log's own signature still verifies beside the cosignature").isTrue();
    }

    @Test
    void aCosignatureHoldsOnlyForItsTextItsTimeAndItsWitness() throws Exception {
        WitnessKey key = WitnessKey.parse(frozen().get("witness-vkey"));
        String line = frozen().get("cosignature-line");
        String checkpoint = checkpoint();
        assertThat(key.cosigned(SignedNote.parse(checkpoint.replace("\n3\n", "\n4\n") + line + "\n")))
                .as("another size").isEmpty();
        byte[] blob = java.util.Base64.getDecoder().decode(line.substring(line.lastIndexOf(' ') + 1));
        blob[11] ^= 1; // the timestamp's last byte
        String retimed = line.substring(0, line.lastIndexOf(' ') + 1) + java.util.Base64.getEncoder().encodeToString(blob);
        assertThat(key.cosigned(SignedNote.parse(checkpoint + retimed + "\n"))).as("another time").isEmpty();
        WitnessKey sameKeyOtherName = new WitnessKey("witness.example/w2", key.key());
        assertThat(sameKeyOtherName.cosigned(SignedNote.parse(checkpoint + line + "\n"))).as("another name").isEmpty();
        SignedNote logOnly = SignedNote.parse(checkpoint);
        assertThat(key.cosigned(logOnly)).as("the log's own signature is no cosignature").isEmpty();
    }

    @Test
    void theDocsPublishTheVectors() throws Exception {
        String docs = Files.readString(Path.of("../docs/RECEIPTS.md"), StandardCharsets.UTF_8);
        frozen().forEach((name, value) -> assertThat(docs).as(name).contains(value.strip()));
        assertThat(docs).contains(Files.readString(VECTORS.resolve("witness-key.pem")).strip());
    }

    private static SignedNote withSignature(SignedNote note, NoteSignature extra) {
        List<NoteSignature> all = new ArrayList<>(note.signatures());
        all.add(extra);
        return new SignedNote(note.text(), all);
    }

    private static String checkpoint() throws Exception {
        String text = Files.readString(VECTORS.resolve("expected.txt"), StandardCharsets.UTF_8);
        String from = text.substring(text.indexOf("=== checkpoint\n") + "=== checkpoint\n".length());
        int next = from.indexOf("\n=== ");
        return (next < 0 ? from : from.substring(0, next)).strip() + "\n";
    }

    private static Map<String, String> frozen() throws Exception {
        String text = Files.readString(VECTORS.resolve("cosignature.txt"), StandardCharsets.UTF_8);
        Matcher m = Pattern.compile("=== (\\S+)\\n(.*?)(?=\\n=== |\\n\\z)", Pattern.DOTALL).matcher(text);
        Map<String, String> values = new LinkedHashMap<>();
        while (m.find()) {
            values.put(m.group(1), m.group(2));
        }
        return values;
    }
}
