package dev.warden.e2e;

import dev.warden.e2e.host.AssistantHost;
import dev.warden.e2e.host.ParameterNotesHost;
import dev.warden.receipts.Receipt;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/**
 * Scenario S2 on real LangChain4j AI services with real {@code @Tool} methods, in a host JVM started
 * with only {@code -javaagent}: the assistant acts for a rep, then for a manager, under the security
 * team's YAML role policy and a DRL rule that labels mail external or internal. Also: the streaming
 * AI service is gated the same way, a tool executor called directly is gated, bad tool input gets a
 * decision and a receipt without crashing, tool results are masked, and model calls record their
 * token usage.
 */
@SameOnEveryJdk
class Lc4jRoleScopedToolsEndToEndTest {

    @TempDir
    static Path workspace;

    private static HostJvm.Result host;
    private static List<Receipt> receipts;
    private static Receipts.Verification verification;

    private static final List<String> RUNS = List.of(
            /* 0 */ "sync:rita:s2",
            /* 1 */ "sync:max:s2",
            /* 2 */ "stream:rita:s2",
            /* 3 */ "sync:rita:bad",
            /* 4 */ "executor:rita:s2",
            /* 5 */ "baggage:max:s2",
            /* 6 */ "sync:hank:s2",
            /* 7 */ "alias:rita:s2",
            /* 8 */ "decorated:rita:s2");

    @BeforeAll
    static void runHost() throws Exception {
        Receipts store = Receipts.in(workspace);
        // actor=rita: the directly called executor (run 4) has no AI service to say who is asking.
        host = HostJvm.withAgent(store.agentArguments()).withRules("lc4j").with("actor=rita")
                .run(AssistantHost.class, RUNS);
        receipts = store.all();
        verification = store.verify();
    }

    @Test
    void theHostRunsEveryConversationToItsEnd() {
        assertThat(host.exitCode()).as(host.toString()).isZero();
        assertThat(host.lines()).as(host.toString())
                .anyMatch(line -> line.startsWith("ANSWER run=0 "))
                .anyMatch(line -> line.startsWith("ANSWER run=1 "))
                .anyMatch(line -> line.startsWith("ANSWER run=2 "))
                .anyMatch(line -> line.startsWith("ANSWER run=3 "))
                .anyMatch(line -> line.startsWith("ANSWER run=4 "))
                .anyMatch(line -> line.startsWith("ANSWER run=5 "))
                .anyMatch(line -> line.startsWith("ANSWER run=6 "))
                .anyMatch(line -> line.startsWith("ANSWER run=8 "))
                .noneMatch(line -> line.startsWith("ERROR"))
                .contains("DONE");
    }

    @Test
    void theRepReadsTheCrmAndDraftsButIsRefusedTheExternalSend() {
        assertThat(toolOutcomes("rita-0")).containsExactly(
                tuple("crm_read", "PERMIT"), tuple("email_draft", "PERMIT"), tuple("email_send", "DENY"),
                tuple("crm_write", "DENY"), tuple("hr_lookup", "SILENCE"));
        assertThat(bodies(0)).containsExactly("crm_read", "email_draft");
    }

    @Test
    void theModelReadsTheRefusalAsAnErrorResultNamingTheRuleAndTheReceipt() {
        String send = seen(0, "email_send");
        assertThat(send).startsWith("error=true result=warden: denied by role rep denies tool:email:send:external: "
                + "role rep may not tool:email:send:external (sales-assistant acting for rita) (receipt ");
        Receipt refusal = tool("rita-0", "email_send");
        assertThat(send).endsWith("(receipt " + refusal.id() + ")");
        assertThat(refusal.rules()).containsExactly("role rep denies tool:email:send:external");
        assertThat(refusal.summary()).containsEntry("labels", "external").containsEntry("tool.callId", "call-2");
        assertThat(refusal.actor()).isEqualTo("sales-assistant");
        assertThat(refusal.onBehalfOf()).isEqualTo("rita");
        assertThat(host.lines()).anyMatch(line -> line.startsWith("ANSWER run=0 ")
                && line.contains("email_send -> warden: denied by role rep denies tool:email:send:external"));
    }

    @Test
    void theManagerSendsItAndWhatNoRoleListsIsRefused() {
        assertThat(toolOutcomes("max-1")).containsExactly(
                tuple("crm_read", "PERMIT"), tuple("email_draft", "SILENCE"), tuple("email_send", "PERMIT"),
                tuple("crm_write", "PERMIT"), tuple("hr_lookup", "SILENCE"));
        assertThat(bodies(1)).containsExactly("crm_read", "email_send", "crm_write");
        assertThat(seen(1, "email_send")).isEqualTo("error=false result=sent to vp@partner.example");
        assertThat(seen(1, "hr_lookup")).contains("error=true", "denied by default-deny: no rule permits tool hr_lookup");
    }

    /**
     * Found by a fifth review (2026-12-06): the pack masked CRM results with a permit, which granted crm_read to
     * anyone; hank holds no role, and the assistant acting for him read the CRM. The masking is an obligation now.
     */
    @Test
    void forAUserHoldingNoRoleTheMaskingRuleGrantsNothing() {
        assertThat(toolOutcomes("hank-6")).containsExactly(
                tuple("crm_read", "SILENCE"), tuple("email_draft", "SILENCE"), tuple("email_send", "SILENCE"),
                tuple("crm_write", "SILENCE"), tuple("hr_lookup", "SILENCE"));
        assertThat(bodies(6)).isEmpty();
        Receipt read = tool("hank-6", "crm_read");
        assertThat(read.rules()).isEmpty();
        assertThat(read.reason()).contains("hank, for whom it acts, holds no role");
        assertThat(read.obligations()).isEmpty();
    }

    @Test
    void aStreamingAiServiceIsGatedTheSameWay() {
        assertThat(toolOutcomes("rita-2")).containsExactlyElementsOf(toolOutcomes("rita-0"));
        assertThat(bodies(2)).containsExactly("crm_read", "email_draft");
        assertThat(seen(2, "email_send")).contains("error=true", "denied by role rep denies tool:email:send:external");
        // Every streaming turn was a decided model call, including those made from the handler's callback,
        // each attributed to the conversation like its tool calls.
        assertThat(receipts.stream().filter(r -> r.surface().equals("model") && r.operation().equals("chat")
                && "true".equals(r.summary().get("model.streaming"))))
                .hasSize(6)
                .allSatisfy(chat -> {
                    assertThat(chat.session()).isEqualTo("rita-2");
                    assertThat(chat.onBehalfOf()).isEqualTo("rita");
                });
    }

    @Test
    void aToolExecutorCalledOutsideAnyAiServiceIsGatedAndAnswersWithTheRefusal() {
        assertThat(host.lines()).anyMatch(line -> line.startsWith(
                "ANSWER run=4 text=warden: denied by role rep denies tool:email:send:external"));
        assertThat(bodies(4)).isEmpty();
        Receipt direct = receipts.stream().filter(r -> "direct-1".equals(r.summary().get("tool.callId"))).findFirst().orElseThrow();
        assertThat(direct.session()).isEqualTo("rita-4");
        assertThat(direct.outcome()).isEqualTo("DENY");
    }

    /**
     * Found by a tenth review (2026-12-07): the application's own dispatch handed the mail tool's executor a request
     * named {@code crm_read}, which the rep may call: it was decided as {@code crm_read}, permitted, and the mail went to
     * the partner's VP. And LangChain4j's {@code DefaultToolExecutor(object, request)}, finding the method by its Java
     * name, ran {@code emailSend} as {@code emailSend}, a name no rule of the mail tool's matches. Now a
     * {@code DefaultToolExecutor}'s call is decided as the tool its method is, the request's name kept as
     * {@code tool.calledAs}: both are the rep's external mail, refused.
     */
    @Test
    void aToolExecutorIsDecidedAsTheToolItRunsWhateverTheRequestIsNamed() {
        assertThat(bodies(7)).as("mail the executor sent").isEmpty();
        assertThat(host.lines()).anyMatch(line -> line.startsWith(
                "ANSWER run=7 text=warden: denied by role rep denies tool:email:send:external"));
        assertThat(tools("rita-7")).extracting(Receipt::operation, Receipt::outcome, r -> r.summary().get("tool.calledAs"))
                .containsExactly(tuple("email_send", "DENY", "crm_read"), tuple("email_send", "DENY", "emailSend"));
    }

    /**
     * Found by a thirteenth review (2026-12-08): the alias of run 7 with the mail tool's executor behind a decorator of
     * the application's (it logs, and hands the same request on). The decorator is decided as the request names the
     * tool, {@code crm_read}, which rita may; LangChain4j's executor it hands the request to then inherited that permit,
     * being given the same request object, and sent the mail. It runs another tool, so it is decided as that tool now.
     */
    @Test
    void aToolExecutorBehindADecoratorIsDecidedAsTheToolItRuns() {
        assertThat(bodies(8)).as("mail the decorated executor sent").isEmpty();
        assertThat(host.lines()).anyMatch(line -> line.startsWith(
                "ANSWER run=8 text=warden: denied by role rep denies tool:email:send:external"));
        assertThat(tools("rita-8")).extracting(Receipt::operation, Receipt::outcome, r -> r.summary().get("tool.calledAs"))
                .containsExactly(tuple("crm_read", "PERMIT", null), tuple("email_send", "DENY", "crm_read"),
                        tuple("crm_read", "PERMIT", null), tuple("email_send", "DENY", "crm_read"));
    }

    @Test
    void withoutInvocationParametersOpenTelemetryBaggageSaysWhoIsAsking() {
        Receipt send = receipts.stream().filter(r -> "baggage-1".equals(r.summary().get("tool.callId"))).findFirst().orElseThrow();
        assertThat(send.actor()).isEqualTo("max");
        assertThat(send.session()).isEqualTo("otel-5");
        assertThat(send.outcome()).isEqualTo("PERMIT");
        assertThat(bodies(5)).containsExactly("email_send");
    }

    @Test
    void argumentsThatAreNotJsonOrHugeAndUnknownToolsGetADecisionAndAReceipt() {
        assertThat(toolOutcomes("rita-3")).containsExactly(
                tuple("email_draft", "DENY"), tuple("email_draft", "DENY"), tuple("teleport", "SILENCE"));
        assertThat(bodies(3)).isEmpty();
        List<Receipt> bad = tools("rita-3");
        assertThat(bad.get(0).summary().get("tool.arguments.error")).startsWith("arguments are not valid JSON");
        assertThat(bad.get(1).summary().get("tool.arguments.error")).startsWith("arguments too large to read");
        assertThat(bad.get(1).summary().get("tool.arguments.size")).isEqualTo("1048613");
        assertThat(bad.get(2).summary()).containsEntry("tool.known", "false");
        assertThat(seen(3, "teleport")).contains("error=true", "denied by default-deny");
    }

    @Test
    void permittedToolResultsReachTheModelWithPersonalDataMasked() {
        assertThat(seen(0, "crm_read"))
                .contains("\"contact\":\"[EMAIL]\"", "\"phone\":\"[PHONE]\"", "\"card\":\"[CARD]\"", "\"ssn\":\"[REDACTED]\"")
                .contains("\"order\":1234567890", "\"value\":120000")
                .doesNotContain("jane.doe", "4111", "123-45-6789", "555");
        Receipt read = tool("rita-0", "crm_read");
        assertThat(read.obligations()).containsEntry("maskPii", "true").containsEntry("redact", "ssn");
        // The roles granted it; the masking rule bound the grant.
        assertThat(read.rules()).containsExactly("role assistant allows", "CRM results reach the model masked");
    }

    @Test
    void everyToolCallIsDecidedExactlyOnce() {
        assertThat(receipts.stream().filter(r -> r.surface().equals("tool"))).hasSize(5 + 5 + 5 + 3 + 1 + 1 + 5 + 2 + 4);
    }

    @Test
    void modelCallsAreDecidedBeforeAndTheirTokenUsageIsRecordedAfter() {
        Receipt chat = receipts.stream().filter(r -> r.surface().equals("model") && r.operation().equals("chat")
                && "rita-0".equals(r.session())).findFirst().orElseThrow();
        assertThat(chat.outcome()).isEqualTo("PERMIT");
        assertThat(Long.parseLong(chat.summary().get("model.input.estimate"))).isPositive();
        Receipt usage = receipts.stream().filter(r -> r.operation().equals("usage") && r.target().equals(chat.id()))
                .findFirst().orElseThrow();
        assertThat(receipts.indexOf(usage)).isGreaterThan(receipts.indexOf(chat));
        assertThat(usage.rules()).containsExactly("warden.observation");
        assertThat(usage.summary()).containsEntry("usage.output", "12").containsKey("usage.input").containsKey("usage.session.total");
        assertThat(usage.session()).isEqualTo("rita-0");
        assertThat(usage.actor()).isEqualTo("sales-assistant");
    }

    @Test
    void theAuditorsVerifierAcceptsTheReceipts() {
        assertThat(verification.exitCode()).as(verification.output()).isZero();
    }

    /**
     * Found by a seventh review (2026-12-07): who the assistant acts for was read from the invocation parameters as they
     * were at each step, and LangChain4j's parameters are a map its tools may write ("from one tool to another"). A
     * tool that notes down a key and value the model chose put {@code warden.onBehalfOf=max} in them, and the next tool
     * call acted for the manager: rita's assistant updated a deal only a manager may. With only tools gated, in every
     * kind of service; with models gated too, in a streaming service whose provider answers on its own thread (the
     * next turn enters the invocation again there). The identity is now the one the parameters named when the
     * invocation was first seen. Found by an eighth review (2026-12-07): LangChain4j hands each invocation the
     * parameters object itself, and an application that keeps one for its user's requests ({@code reused}) began the
     * next request with what the last one's tool wrote: the update ran for max, with every surface gated. A tool's write
     * to the identity entries is now undone when the tool returns.
     */
    @ParameterizedTest(name = "surfaces={0}")
    @ValueSource(strings = {"tool", "tool,model"})
    void aToolThatWritesTheInvocationParametersCannotChangeWhoTheAssistantActsFor(String surfaces) throws Exception {
        Path ledger = Files.createTempDirectory("lc4j-notes-ledger").resolve("ledger.txt");
        Receipts store = Receipts.in(Files.createTempDirectory("lc4j-notes"));
        HostJvm.Result notes = HostJvm.withAgent(store.agentArguments()).withRules("lc4j-notes").with("surfaces=" + surfaces)
                .run(ParameterNotesHost.class, List.of(ledger.toString(), "sync", "stream", "stream-provider", "reused"));

        assertThat(notes.exitCode()).as(notes.toString()).isZero();
        assertThat(notes.lines()).as(notes.toString()).contains("DONE").noneMatch(line -> line.startsWith("ERROR"));
        for (String mode : List.of("sync", "stream", "stream-provider", "reused")) {
            assertThat(notes.lines()).as(notes.toString()).anyMatch(line -> line.startsWith("TOOL mode=" + mode
                    + " tool=crm_write result=warden: denied by role rep denies tool:crm:write"));
        }
        assertThat(Files.exists(ledger) ? Files.readAllLines(ledger) : List.<String>of()).as("deal updates that ran").isEmpty();
        List<Receipt> writes = store.all().stream().filter(r -> r.operation().equals("crm_write")).toList();
        assertThat(writes).hasSize(4).allSatisfy(write -> {
            assertThat(write.outcome()).isEqualTo("DENY");
            assertThat(write.onBehalfOf()).isEqualTo("rita");
        });
        Receipts.Verification notesVerification = store.verify();
        assertThat(notesVerification.exitCode()).as(notesVerification.output()).isZero();
    }

    /**
     * The same with only models gated (found by an eighth review, 2026-12-07): the next request given the parameters
     * object a tool wrote {@code warden.onBehalfOf=max} into made its model calls for max (his budgets, his rules).
     * Now they are rita's, as the application named her; the tools themselves are not gated here, so the update runs.
     */
    @Test
    void withOnlyModelsGatedTheNextRequestsModelCallsAreStillForWhoTheApplicationNamed() throws Exception {
        Path ledger = Files.createTempDirectory("lc4j-notes-ledger").resolve("ledger.txt");
        Receipts store = Receipts.in(Files.createTempDirectory("lc4j-notes-model"));
        HostJvm.Result notes = HostJvm.withAgent(store.agentArguments()).withRules("lc4j-notes").with("surfaces=model")
                .run(ParameterNotesHost.class, List.of(ledger.toString(), "reused"));

        assertThat(notes.exitCode()).as(notes.toString()).isZero();
        assertThat(notes.lines()).as(notes.toString()).contains("DONE").noneMatch(line -> line.startsWith("ERROR"))
                .anyMatch(line -> line.startsWith("TOOL mode=reused tool=crm_write result=acme-renewal is now won"));
        List<Receipt> chats = store.all().stream().filter(r -> r.surface().equals("model") && r.operation().equals("chat")).toList();
        assertThat(chats).as("two turns of each request").hasSize(4)
                .allSatisfy(chat -> assertThat(chat.onBehalfOf()).isEqualTo("rita"));
        Receipts.Verification verification = store.verify();
        assertThat(verification.exitCode()).as(verification.output()).isZero();
    }

    private static List<Receipt> tools(String session) {
        return receipts.stream().filter(r -> r.surface().equals("tool") && session.equals(r.session())).toList();
    }

    private static Receipt tool(String session, String name) {
        return tools(session).stream().filter(r -> r.operation().equals(name)).findFirst().orElseThrow();
    }

    private static List<org.assertj.core.groups.Tuple> toolOutcomes(String session) {
        return tools(session).stream().map(r -> tuple(r.operation(), r.outcome())).toList();
    }

    private static List<String> bodies(int run) {
        return host.lines().stream().filter(line -> line.startsWith("BODY run=" + run + " "))
                .map(line -> line.substring(line.indexOf("tool=") + 5)).toList();
    }

    /** What the model read back from {@code tool} in {@code run}: {@code error=B result=TEXT}. */
    private static String seen(int run, String tool) {
        String prefix = "TOOL run=" + run + " tool=" + tool + " ";
        return host.lines().stream().filter(line -> line.startsWith(prefix)).map(line -> line.substring(prefix.length()))
                .findFirst().orElseThrow(() -> new AssertionError("the model never read " + tool + " in run " + run + ":\n" + host));
    }
}
