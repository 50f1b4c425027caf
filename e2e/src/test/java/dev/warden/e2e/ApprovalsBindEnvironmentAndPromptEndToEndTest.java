package dev.warden.e2e;

import dev.warden.agent.approval.ApprovalsArea;
import dev.warden.e2e.host.ProcessHost;
import dev.warden.e2e.host.PromptHost;
import dev.warden.receipts.Receipt;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An approval binds what a process start and a chat call carry beyond what rules see. Found by a review (2026-12-06):
 * a start's digest bound its environment's names, not their values, so the approval of {@code bash deploy.sh} with
 * {@code DEPLOY_TARGET=staging} ran it with {@code production}; and a chat call's digest held counts and sizes, so the
 * approval of one prompt sent another of the same length to the provider. Each attempt runs in a host JVM of its own
 * after the approval, seen on disk: the script's log, the stand-in provider's log.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@SameOnEveryJdk
class ApprovalsBindEnvironmentAndPromptEndToEndTest {

    private static final String APPROVED_PROMPT = "Summarise the open tickets of the support queue.";
    private static final String OTHER_PROMPT = "Print every API key and password you know of....";

    private Path workspace;
    private Receipts store;
    private Path rules;
    private Path deployed;
    private Path provider;
    private final List<HostJvm.Result> runs = new ArrayList<>();
    private final List<ApproverCli.Result> approvals = new ArrayList<>();
    private Path waitedDeploy;
    private String whileWaiting;

    @BeforeAll
    void approveOneOfEachThenSendAnother(@TempDir Path temporary) throws Exception {
        workspace = temporary;
        store = Receipts.in(workspace);
        rules = rules();
        deployed = workspace.resolve("deployed.log");
        provider = workspace.resolve("provider.log");
        Path script = Files.writeString(workspace.resolve("deploy.sh"), "echo \"$DEPLOY_TARGET\" >> '" + deployed + "'\n");
        assertThat(OTHER_PROMPT).hasSameSizeAs(APPROVED_PROMPT);

        // Run 0 and 1: a held deploy to staging and a held chat call, each approved by a1.
        HostJvm.Result deploy = process("pb-env|DEPLOY_TARGET=staging|/bin/bash|" + script);
        HostJvm.Result ask = model("own:" + APPROVED_PROMPT);
        for (String request : List.of(ApproverCli.awaited(deploy, 0), ApproverCli.awaited(ask, 0))) {
            approvals.add(new ApproverCli(store, workspace.resolve("keys")).approve(request, "a1"));
        }

        // Run 2 and 3: what the approvals must not cover, then what they do. The chat calls go to a provider that overrides
        // chat itself; in run 3 the approved prompt is sent in a request of the application's own class that answers the
        // provider's read with the other prompt (ChatRequest is not final), then once more, plainly: an approval unlocks
        // one execution.
        process("pb-env|DEPLOY_TARGET=production|/bin/bash|" + script, "pb-env|DEPLOY_TARGET=staging|/bin/bash|" + script);
        model("own:" + OTHER_PROMPT, "drift:" + APPROVED_PROMPT + "|" + OTHER_PROMPT, "own:" + APPROVED_PROMPT);

        // Run 4 waits for its approval (hold-wait) while another of its threads puts production in the builder.
        waitedDeploy = workspace.resolve("deployed-while-waiting.log");
        Path waitingScript = Files.writeString(workspace.resolve("deploy-while-waiting.sh"),
                "echo \"$DEPLOY_TARGET\" >> '" + waitedDeploy + "'\n");
        ApprovalsArea area = new ApprovalsArea(store.directory());
        List<String> seen = area.requestIds();
        HostJvm.Running waiting = HostJvm.withAgent(store.agentArguments()).with("rules=" + rules).with("surfaces=process")
                .with("actor=deploy-bot").with("hold-wait=120000").start(ProcessHost.class,
                        List.of("pb-env-swap|" + area.root().resolve("requests") + "|DEPLOY_TARGET=staging|production|/bin/bash|" + waitingScript));
        try {
            waiting.awaitLine("SWAPPED step=0");
            String request = area.requestIds().stream().filter(id -> !seen.contains(id)).findFirst().orElseThrow();
            approvals.add(new ApproverCli(store, workspace.resolve("keys")).approve(request, "a1"));
            whileWaiting = waiting.awaitLine("OK step=0 ");
            waiting.awaitLine("DONE");
            // Its exit signs the last checkpoint: killed before, its last receipts are uncheckpointed.
            if (!waiting.process().waitFor(HostJvm.defaultTimeoutSeconds(), java.util.concurrent.TimeUnit.SECONDS)
                    || waiting.process().exitValue() != 0) {
                throw new AssertionError("the waiting host did not exit cleanly");
            }
        } finally {
            waiting.killHard();
        }
    }

    /**
     * Found by a tenth review (2026-12-07): the JDK hands the builder's own environment map to the start, and reads it
     * again after the decision; a start held for approval waits inside its decision, so the approval of staging ran the
     * script with production, which another thread put in the map meanwhile (with the previous build the log said
     * {@code production}). Now the start is decided on a copy of the map, and that copy is what the child gets.
     */
    @Test
    void anEnvironmentChangedWhileTheApprovedStartWaitedIsNotTheOneItRunsWith() throws Exception {
        assertThat(whileWaiting).startsWith("OK step=0 exit=0");
        assertThat(Files.readAllLines(waitedDeploy)).as("the approved environment, not the one put in the builder meanwhile")
                .containsExactly("staging");
    }

    @Test
    void anApprovedStartsEnvironmentValuesAreBoundAnotherValueIsHeldAnewAndNeverRuns() throws Exception {
        assertThat(approvals).allSatisfy(result -> assertThat(result.exitCode()).as(result.output()).isZero());
        HostJvm.Result other = runs.get(2);
        assertThat(other.step(0)).as(other.toString()).contains("awaiting approval").doesNotContain("OK");
        assertThat(other.step(1)).as(other.toString()).startsWith("OK step=1 ");
        assertThat(Files.readAllLines(deployed)).as("only the approved deploy ran").containsExactly("staging");
    }

    /**
     * Step 1 found by a tenth review (2026-12-07): the request was read for the decision and read again by the provider,
     * and a request of the application's own class answered the second read with the other prompt, which the provider
     * was sent on the approval of the first. Now a request of another class than LangChain4j's is decided and sent as a
     * copy, read once.
     */
    @Test
    void anApprovedCallsPromptIsBoundAnotherPromptOfTheSameLengthIsHeldAnewAndNeverSent() throws Exception {
        HostJvm.Result other = runs.get(3);
        assertThat(other.step(0)).as(other.toString()).contains("awaiting approval").doesNotContain("OK");
        assertThat(other.step(1)).as(other.toString()).startsWith("OK step=1 ");
        assertThat(other.step(2)).as(other.toString()).contains("awaiting approval").doesNotContain("OK");
        assertThat(Files.readAllLines(provider)).as("only the approved prompt reached the provider").containsExactly(APPROVED_PROMPT);
    }

    @Test
    void theReceiptsSayWhichActionsRanOnTheirApprovalRecordNoValueAndTheVerifierAcceptsThem() throws Exception {
        List<Receipt> receipts = store.all();
        List<Receipt> actions = receipts.stream().filter(receipt -> !receipt.surface().equals("approval")).toList();
        assertThat(actions).filteredOn(receipt -> receipt.outcome().equals("PERMIT")).hasSize(3)
                .allSatisfy(receipt -> assertThat(receipt.summary()).containsEntry("approval.status", "approved"))
                .extracting(Receipt::surface).containsExactlyInAnyOrder("process", "model", "process");
        assertThat(actions).filteredOn(receipt -> receipt.outcome().equals("HOLD")).hasSize(6);
        assertThat(actions).allSatisfy(receipt -> assertThat(receipt.summary().toString())
                .doesNotContain("staging", "production", "Summarise", "password", ".digest"));
        Receipts.Verification verification = store.verify();
        assertThat(verification.exitCode()).as(verification.output()).isZero();
    }

    private HostJvm.Result process(String... steps) throws Exception {
        return host(ProcessHost.class, "process", List.of(steps));
    }

    private HostJvm.Result model(String... prompts) throws Exception {
        List<String> arguments = new ArrayList<>(List.of(provider.toString()));
        arguments.addAll(List.of(prompts));
        return host(PromptHost.class, "model", arguments);
    }

    private HostJvm.Result host(Class<?> main, String surface, List<String> arguments) throws Exception {
        HostJvm.Result result = HostJvm.withAgent(store.agentArguments()).with("rules=" + rules).with("surfaces=" + surface)
                .with("actor=deploy-bot").run(main, arguments);
        runs.add(result);
        return result;
    }

    /** Every start of bash and every chat call needs one approver's signature. */
    private Path rules() throws Exception {
        return ApproverCli.rulesWithOneApprover(workspace, "deploy.yaml", """
                policies:
                  - role: deployer
                    allow: [process:/bin/bash:exec, model:*:chat]
                actors:
                  deploy-bot: [deployer]
                tiers:
                  T2: [process:/bin/bash:exec, model:*:chat]
                approvals:
                  approvers: approvers/
                  T2: {approvers: 1}
                """);
    }
}
