package dev.warden.verifier;

import dev.warden.receipts.Ed25519Keys;
import dev.warden.receipts.ReceiptLog;
import dev.warden.receipts.ReceiptLogOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@link MutationSuite} on a log written in-process by {@link ReceiptLog}, with a restart in the
 * middle: every mutation class, a few hundred mutations so the module's tests stay fast (the suite at
 * full size runs on a real host's receipts in e2e's TamperSuiteEndToEndTest).
 */
class MutationSuiteTest {
    private static final MutationSuite.Size SIZE = new MutationSuite.Size(40, 30, 60, 20);

    @TempDir
    Path tmp;

    @Test
    void everyMutationIsReportedWithItsLocationOrChangesNoEvidence() throws Exception {
        Path original = tmp.resolve("original");
        Path privateKey = tmp.resolve("key.pem");
        Ed25519Keys.generate(privateKey, tmp.resolve("key.pub.pem"));
        ReceiptLogOptions options = ReceiptLogOptions.defaults(original).withOrigin("warden/test").withPrivateKey(privateKey)
                .withCheckpoints(Integer.MAX_VALUE, Duration.ofDays(1));
        int n = 0;
        for (int run = 0; run < 2; run++) { // a restart in the middle
            try (ReceiptLog log = ReceiptLog.open(options)) {
                log.archivePolicy(SampleLog.POLICY_VERSION, SampleLog.POLICY);
                for (int i = 0; i < 150; i++, n++) {
                    log.append(SampleLog.draft(n));
                    if (n % 40 == 39) {
                        log.checkpoint();
                    }
                }
            }
        }
        MutationSuite suite = MutationSuite.of(original, Ed25519Keys.readPublic(tmp.resolve("key.pub.pem")),
                MutationSuite.foreignReceipt(tmp.resolve("foreign")), tmp.resolve("mutated"));
        assertThat(suite.receipts()).isEqualTo(300);

        MutationSuite.Result result = suite.run(SIZE);

        System.out.print(result.table());
        assertThat(result.failures()).isEmpty();
        assertThat(result.counts()).hasSize(23); // every class applied: 10 regions, 8 per document, swaps, hint, 3 of the file
        assertThat(result.total()).isGreaterThan(700);
    }
}
