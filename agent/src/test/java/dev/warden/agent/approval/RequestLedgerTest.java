package dev.warden.agent.approval;

import dev.warden.receipts.ApprovalRequest;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The approval stage's memory of requests as a state snapshot keeps it: written, read back, and forgotten only when it may be. */
class RequestLedgerTest {

    private static final Instant NOW = Instant.parse("2026-12-01T10:00:00Z");

    @Test
    void aLedgerReadBackHoldsTheSameRequestsOpenTheSameClosedAndEachActionUnderTheRequestItWasLastHeldUnder() throws Exception {
        RequestLedger ledger = new RequestLedger();
        ApprovalRequest first = request("01940000-0000-7000-8000-00000000000b", "cd", Duration.ofHours(1));
        ApprovalRequest again = request("01940000-0000-7000-8000-00000000000a", "cd", Duration.ofHours(2)); // the same action, held anew
        ApprovalRequest used = request("01940000-0000-7000-8000-00000000000c", "ef", Duration.ofHours(1));
        ledger.open(first);
        ledger.open(again);
        ledger.open(used);
        assertThat(ledger.close(used)).isTrue();

        RequestLedger read = roundTrip(ledger, NOW.toEpochMilli());
        assertThat(read.pending(ApprovalStage.key(again), NOW)).as("the request the action was held under last, though its id sorts first")
                .isEqualTo(again);
        assertThat(read.pending(ApprovalStage.key(used), NOW)).isNull();
        assertThat(read.close(used)).as("its approvals were used: not again").isFalse();
        assertThat(read.openCount(NOW)).isEqualTo(ledger.openCount(NOW)).isEqualTo(2);
        assertThat(read.close(again)).isTrue();
    }

    @Test
    void aClosedRequestIsKeptUntilFourteenDaysAfterItExpiredAndAnExpiredOpenOneIsNotKept() throws Exception {
        RequestLedger ledger = new RequestLedger();
        ApprovalRequest used = request("01940000-0000-7000-8000-00000000000c", "ef", Duration.ofHours(1));
        ApprovalRequest waiting = request("01940000-0000-7000-8000-00000000000d", "ab", Duration.ofHours(1));
        ledger.open(used);
        ledger.open(waiting);
        ledger.close(used);
        long forgotten = used.expires().plus(ApprovalStore.CLOSED_KEPT).toEpochMilli();

        RequestLedger justBefore = roundTrip(ledger, forgotten - 1);
        assertThat(justBefore.close(used)).as("still remembered as closed").isFalse();
        assertThat(justBefore.pending(ApprovalStage.key(waiting), waiting.time())).as("expired when written: not kept").isNull();
        assertThat(roundTrip(ledger, forgotten).close(used)).as("forgotten, long after any approval of it expired").isTrue();
    }

    @Test
    void aLedgerCutShortOrWithAnActionUnderARequestThatIsNotOpenIsNotReadBack() throws Exception {
        RequestLedger ledger = new RequestLedger();
        ledger.open(request("01940000-0000-7000-8000-00000000000b", "cd", Duration.ofHours(1)));
        ApprovalRequest used = request("01940000-0000-7000-8000-00000000000c", "ef", Duration.ofHours(1));
        ledger.open(used);
        ledger.close(used);
        byte[] written = written(ledger, NOW.toEpochMilli());
        for (int length = 0; length < written.length; length++) {
            byte[] cut = Arrays.copyOf(written, length);
            assertThatThrownBy(() -> new RequestLedger().restore(in(cut), NOW.toEpochMilli())).as("cut at " + length)
                    .isInstanceOf(IOException.class);
        }

        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(0); // no open request
            out.writeInt(1); // and an action held under one
            out.writeInt(2);
            out.write(new byte[] {'c', 'd'});
            out.writeInt(3);
            out.write(new byte[] {'r', '-', '1'});
            out.writeInt(0);
        }
        assertThatThrownBy(() -> new RequestLedger().restore(in(bytes.toByteArray()), NOW.toEpochMilli()))
                .isInstanceOf(IOException.class).hasMessageContaining("not open");
    }

    private static RequestLedger roundTrip(RequestLedger ledger, long nowMillis) throws IOException {
        RequestLedger read = new RequestLedger();
        DataInputStream in = in(written(ledger, nowMillis));
        read.restore(in, nowMillis);
        assertThat(in.read()).as("read to its end").isEqualTo(-1);
        return read;
    }

    private static byte[] written(RequestLedger ledger, long nowMillis) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            ledger.writeTo(out, nowMillis);
        }
        return bytes.toByteArray();
    }

    private static DataInputStream in(byte[] bytes) {
        return new DataInputStream(new ByteArrayInputStream(bytes));
    }

    private static ApprovalRequest request(String id, String digestByte, Duration within) {
        return new ApprovalRequest(id, NOW, NOW.plus(within), digestByte.repeat(32), 2, 1, new TreeMap<>(), null, "agent", null,
                "s4", "tool", "invoice_delete", "invoice_delete", new TreeMap<>(), "tier T2 needs 1 approver");
    }
}
