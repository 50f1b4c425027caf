package dev.warden.agent.siem;

import dev.warden.agent.install.WardenThreads;
import dev.warden.receipts.Receipt;
import dev.warden.receipts.ReceiptDraft;
import dev.warden.receipts.siem.SiemFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

import static org.assertj.core.api.Assertions.assertThat;

class SiemStreamTest {
    @TempDir
    Path directory;

    private static Receipt receipt(int n) {
        return Receipt.seal("c", n, Receipt.GENESIS_PREVIOUS, new ReceiptDraft("id-" + n, Instant.EPOCH, "agent", null, null,
                "http", "GET", "api", null, Map.of(), "PERMIT", true, List.of("r"), "ok", Map.of(), null));
    }

    @Test
    void aFileRotatesBeforeItWouldPassItsLimitAndKeepsTheConfiguredNumber() throws Exception {
        Path file = directory.resolve("siem.jsonl");
        RotatingFile rotating = new RotatingFile(file, 25, 3);
        for (int i = 0; i < 7; i++) {
            rotating.write(new SiemEvent(Instant.EPOCH, "decision", Severity.INFORMATIONAL, "line-" + i + "-xxxxxxx")); // 16 bytes with its line break: one per file
        }
        rotating.close();
        assertThat(Files.readAllLines(file)).containsExactly("line-6-xxxxxxx");
        assertThat(Files.readAllLines(rotating.rotated(1))).containsExactly("line-5-xxxxxxx");
        assertThat(Files.readAllLines(rotating.rotated(2))).containsExactly("line-4-xxxxxxx");
        assertThat(rotating.rotated(3)).doesNotExist();
    }

    @Test
    void aFullQueueDropsAndCountsNeverBlocksAndTheRestIsWrittenInOrder() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        List<String> written = new ArrayList<>();
        SiemOutput slow = new SiemOutput() {
            @Override
            public void write(SiemEvent event) throws java.io.IOException {
                try {
                    release.await();
                } catch (InterruptedException e) {
                    throw new java.io.InterruptedIOException();
                }
                written.add(event.json());
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        SiemStream stream = new SiemStream(slow, SiemFormat.ECS, 4, Clock.systemUTC(), new WardenThreads(null));
        for (int i = 0; i < 10; i++) {
            stream.accept(receipt(i)); // the writer thread is not started: nothing leaves the queue
        }
        assertThat(stream.dropped()).isEqualTo(6);
        stream.start();
        release.countDown();
        stream.close(Duration.ofSeconds(10));
        assertThat(written).hasSize(4).allSatisfy(line -> assertThat(line).contains("\"dataset\":\"warden.decisions\""));
        assertThat(written.get(0)).contains("\"id\":\"id-0\"");
        assertThat(stream.written()).isEqualTo(4);
    }

    @Test
    void anEventTheOutputCannotTakeIsCountedAsDroppedAndTheNextIsWritten() {
        List<SiemEvent> written = new ArrayList<>();
        SiemOutput failingOnce = new SiemOutput() {
            @Override
            public void write(SiemEvent event) throws java.io.IOException {
                if (event.json().contains("\"id\":\"id-1\"")) {
                    throw new java.io.IOException("receiver gone");
                }
                written.add(event);
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        SiemStream stream = new SiemStream(failingOnce, SiemFormat.ECS, 4, Clock.systemUTC(), new WardenThreads(null));
        stream.start();
        for (int i = 0; i < 3; i++) {
            stream.accept(receipt(i));
        }
        stream.close(Duration.ofSeconds(10));

        assertThat(written).extracting(SiemEvent::type).containsExactly("decision", "decision");
        assertThat(written.get(1).json()).contains("\"id\":\"id-2\"");
        assertThat(written.get(1).severity()).isEqualTo(Severity.INFORMATIONAL);
        assertThat(written.get(1).time()).isEqualTo(Instant.EPOCH);
        assertThat(stream.written()).isEqualTo(2);
        assertThat(stream.dropped()).isEqualTo(1);
    }
}
