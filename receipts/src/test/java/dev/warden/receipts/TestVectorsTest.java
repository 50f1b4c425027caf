package dev.warden.receipts;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The published vectors are what this code produces, and what docs/RECEIPTS.md prints. They were
 * cross-checked outside Java when frozen: Python's json/hashlib for the encoding, leaf hashes and
 * root, {@code openssl pkeyutl -verify -rawin} for the checkpoint signature.
 */
class TestVectorsTest {
    private static final Path EXPECTED = Path.of("src/test/resources/vectors/expected.txt");
    private static final Path DOCS = Path.of("../docs/RECEIPTS.md");

    @Test
    void theCodeProducesTheFrozenVectors() throws Exception {
        assertThat(TestVectors.values()).containsExactlyEntriesOf(frozen());
    }

    @Test
    void theDocsPublishEveryVector() throws Exception {
        String docs = Files.readString(DOCS, StandardCharsets.UTF_8);
        frozen().forEach((name, value) -> assertThat(docs).as(name).contains(value.strip()));
    }

    @Test
    void theFrozenReceiptsParseBackToThemselves() throws Exception {
        for (Receipt r : TestVectors.receipts()) {
            assertThat(Receipt.parse(r.canonicalBytes())).isEqualTo(r);
        }
    }

    @Test
    void theFrozenCheckpointVerifiesUnderTheOpenSslWrittenPublicKey() throws Exception {
        SignedNote note = SignedNote.parse(frozen().get("checkpoint"));
        assertThat(note.verifiedBy(TestVectors.ORIGIN, Ed25519Keys.readPublic(TestVectors.PUBLIC_KEY))).isTrue();
    }

    @Test
    void theFrozenApprovalVerifiesUnderTheOpenSslWrittenPublicKeyAndItsReceiptParsesBack() throws Exception {
        Receipt approved = TestVectors.approvedReceipt();
        assertThat(Receipt.parse(approved.canonicalBytes())).isEqualTo(approved);
        ApprovalCitation cited = approved.approvals().get(0);
        VerificationKey key = Ed25519Keys.readPublic(TestVectors.PUBLIC_KEY);
        assertThat(cited.statement(approved.actionDigest()).verifiedBy(key, cited.signature())).isTrue();
        assertThat(cited.statement("0".repeat(64)).verifiedBy(key, cited.signature())).as("not over another digest").isFalse();
    }

    private static Map<String, String> frozen() throws Exception {
        String text = Files.readString(EXPECTED, StandardCharsets.UTF_8);
        Matcher m = Pattern.compile("=== (\\S+)\\n(.*?)(?=\\n=== |\\n\\z)", Pattern.DOTALL).matcher(text);
        Map<String, String> values = new LinkedHashMap<>();
        while (m.find()) {
            values.put(m.group(1), m.group(2));
        }
        return values;
    }
}
