package dev.warden.e2e;

import dev.warden.e2e.host.CompletionsHost;
import dev.warden.receipts.Receipt;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/**
 * The fourth review's "seen and left": LangChain4j's {@code LanguageModel} and {@code StreamingLanguageModel}
 * ({@code generate}) and 1.19's {@code BatchChatModel} ({@code submit}) sent prompts, and spent, with no decision, no
 * budget and no receipt. They are chat calls now ({@code model.api} says which), so a policy and a budget written for
 * chat models cover them. The stand-in providers append every prompt they are sent to a file the host cannot take back.
 */
class Lc4jCompletionsEndToEndTest {

    @Test
    void underAPolicyForANamedChatModelNoCompletionOrBatchReachesTheProvider() throws Exception {
        Path sent = Files.createTempDirectory("lc4j-completions").resolve("sent.txt");
        Receipts store = Receipts.in(Files.createTempDirectory("lc4j-completions-named"));
        HostJvm.Result host = HostJvm.withAgent(store.agentArguments()).withRules("lc4j-completions-named")
                .with("surfaces=model").with("actor=writer-app").run(CompletionsHost.class, List.of(sent.toString(), "batch"));

        assertThat(host.exitCode()).as(host.toString()).isZero();
        assertThat(host.lines()).as(host.toString()).contains("DONE").noneMatch(line -> line.startsWith("RAN "))
                .anyMatch(line -> line.startsWith("REFUSED language warden: "))
                .anyMatch(line -> line.startsWith("REFUSED streaming warden: "))
                .anyMatch(line -> line.startsWith("REFUSED batch warden: "))
                .noneMatch(line -> line.startsWith("HANDLER-ERROR"));
        assertThat(sent).as("the prompts the providers were sent").doesNotExist();

        assertThat(store.all().stream().filter(r -> r.surface().equals("model")))
                .extracting(Receipt::operation, Receipt::target, Receipt::outcome, r -> r.summary().get("model.api"),
                        r -> r.summary().get("model.streaming"))
                .containsExactly(tuple("chat", "", "SILENCE", "language", "false"), tuple("chat", "", "SILENCE", "language", "true"),
                        tuple("chat", "", "SILENCE", "batch", "false"), tuple("chat", "", "SILENCE", "language", "false"));
        Receipts.Verification verification = store.verify();
        assertThat(verification.exitCode()).as(verification.output()).isZero();
    }

    /**
     * Also (tenth review, 2026-12-07): the first completion's prompt, and the batch's first request, are of the
     * application's own classes, whose text changes after its first read, and their providers read them themselves
     * ({@code generate(Prompt)}, {@code submit}): each was sent the other text than was decided. Now the prompt, request
     * and batch decided and sent are copies, read once.
     */
    @Test
    void underAChatBudgetCompletionsAndBatchesRunAndCountAndTheCallBeyondItIsRefused() throws Exception {
        Path sent = Files.createTempDirectory("lc4j-completions").resolve("sent.txt");
        Receipts store = Receipts.in(Files.createTempDirectory("lc4j-completions-budget"));
        HostJvm.Result host = HostJvm.withAgent(store.agentArguments()).withRules("lc4j-completions")
                .with("surfaces=model").with("actor=writer-app").run(CompletionsHost.class, List.of(sent.toString(), "batch"));

        assertThat(host.exitCode()).as(host.toString()).isZero();
        // 1000 tokens a prompt against 4005: the completion, the streaming one and the batch's two spend 4000.
        assertThat(host.lines()).as(host.toString()).containsSubsequence("RAN language", "RAN streaming", "RAN batch", "DONE")
                .anyMatch(line -> line.startsWith("REFUSED language-again warden: denied by budget:session-tokens"));
        assertThat(Files.readAllLines(sent)).as("the prompts the providers were sent")
                .containsExactly("Write the release notes.", "Summarise the changelog.", "Classify ticket 1.", "Classify ticket 2.");

        List<Receipt> receipts = store.all();
        List<Receipt> calls = receipts.stream().filter(r -> r.surface().equals("model") && r.operation().equals("chat")).toList();
        assertThat(calls).extracting(Receipt::outcome, r -> r.summary().get("model.api"))
                .containsExactly(tuple("PERMIT", "language"), tuple("PERMIT", "language"), tuple("PERMIT", "batch"), tuple("DENY", "language"));
        assertThat(calls.get(2).summary()).containsEntry("model.batch.size", "2").containsEntry("model.maxOutput", "200");
        assertThat(calls.get(3).rules()).containsExactly("budget:session-tokens");
        assertThat(receipts.stream().filter(r -> r.operation().equals("usage")))
                .extracting(Receipt::target, r -> r.summary().get("usage.total"))
                .containsExactly(tuple(calls.get(0).id(), "1000"), tuple(calls.get(1).id(), "1000"), tuple(calls.get(2).id(), "2000"));
        Receipts.Verification verification = store.verify();
        assertThat(verification.exitCode()).as(verification.output()).isZero();
    }

    /** LangChain4j 1.0.0, the oldest claimed, has language models and no batch model: its completions are decided too. */
    @Test
    void onTheOldestVersionCompletionsAreDecidedToo() throws Exception {
        Path sent = Files.createTempDirectory("lc4j-completions").resolve("sent.txt");
        Receipts store = Receipts.in(Files.createTempDirectory("lc4j-completions-oldest"));
        HostJvm.Result host = HostJvm.withAgent(store.agentArguments()).withRules("lc4j-completions-named")
                .with("surfaces=model").with("actor=writer-app").onClassPath("lc4j-oldest").run(CompletionsHost.class, List.of(sent.toString()));

        assertThat(host.exitCode()).as(host.toString()).isZero();
        assertThat(host.lines()).as(host.toString()).contains("DONE").noneMatch(line -> line.startsWith("RAN "))
                .anyMatch(line -> line.startsWith("REFUSED streaming warden: "));
        assertThat(sent).doesNotExist();
        assertThat(store.all().stream().filter(r -> r.surface().equals("model"))).extracting(Receipt::outcome).containsExactly("SILENCE", "SILENCE", "SILENCE");
        Receipts.Verification verification = store.verify();
        assertThat(verification.exitCode()).as(verification.output()).isZero();
    }
}
