package dev.warden.e2e;

import dev.warden.e2e.host.AssistantHost;
import dev.warden.receipts.Receipt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A tool's arguments are decided as the tool receives them. Found by a review (2026-12-06): LangChain4j reads arguments
 * that Jackson refuses a second time, with {@code \"} unescaped, and Warden's reader took a leading zero that Jackson
 * does not: the rep's mail, decided as internal (to the CEO), went to {@code attacker@evil.example}. Now such text is
 * unreadable, and the pack's rule refuses unreadable arguments; the same mail written plainly still goes.
 */
@SameOnEveryJdk
class Lc4jArgumentReadingEndToEndTest {

    @TempDir
    Path workspace;

    @Test
    void argumentsTheToolWouldReadAnotherWayAreRefusedAndThePlainMailStillGoes() throws Exception {
        Receipts store = Receipts.in(workspace);
        HostJvm.Result host = HostJvm.withAgent(store.agentArguments()).withRules("lc4j")
                .run(AssistantHost.class, List.of("sync:rita:smuggle"));

        assertThat(host.lines()).as(host.toString()).anyMatch(line -> line.startsWith("ANSWER run=0 ")).contains("DONE");
        List<Receipt> sends = store.all().stream()
                .filter(receipt -> receipt.surface().equals("tool") && receipt.operation().equals("email_send")).toList();
        assertThat(sends).hasSize(2);
        assertThat(sends.get(0).outcome()).isEqualTo("DENY");
        assertThat(sends.get(0).rules()).contains("unreadable tool arguments");
        assertThat(sends.get(0).summary().get("tool.arguments.error")).startsWith("arguments are not valid JSON");
        assertThat(sends.get(1).outcome()).isEqualTo("PERMIT");
        assertThat(sends.get(1).summary()).containsEntry("labels", "internal");
        assertThat(host.lines()).filteredOn(line -> line.startsWith("BODY run=0 ")).containsExactly("BODY run=0 tool=email_send");
        assertThat(store.verify().exitCode()).isZero();
    }
}
