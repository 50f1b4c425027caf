package dev.warden.e2e;

import dev.warden.agent.approval.RedisApprovalStore;
import dev.warden.agent.config.StateLocation;
import dev.warden.agent.context.RedisStateStore;
import dev.warden.e2e.host.InvoiceHost;
import dev.warden.receipts.ApprovalRequest;
import dev.warden.receipts.Receipt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Isolated;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * S4 with {@code hold-wait} and {@code state=redis://}: the held T2 call itself waits in the host
 * while the approver, on the command line, finds the request in Redis and approves it there; the call
 * then proceeds, and its receipts cite the approval.
 */
@SameOnEveryJdk
@Isolated // the shared Redis, with a short state timeout
class HeldCallWaitsThroughRedisEndToEndTest {

    private static final String REDIS = "redis://127.0.0.1:6379";

    @TempDir
    Path workspace;

    @Test
    void theHeldCallProceedsWhenItsApproverApprovesThroughRedis() throws Exception {
        Receipts store = Receipts.in(workspace);
        Path keys = workspace.resolve("keys");
        Path rules = ApproverCli.rulesWithApprovers(workspace, keys);
        String session = "wait-" + UUID.randomUUID(); // a session of this run's own in a Redis others share
        HostJvm.Running host = HostJvm.withAgent(store.agentArguments()).with("rules=" + rules)
                .with("surfaces=tool,model,jdbc").with("actor=invoice-assistant").with("state=" + REDIS)
                .with("hold-wait=120000").errorsTo(workspace.resolve("host.err"))
                .start(InvoiceHost.class, List.of(workspace.resolve("db/invoices").toString(), "seed",
                        "ask:" + session + ":invoice_delete:{\"id\":9}", "invoices"));
        try {
            host.awaitLine("SEEDED step=0");
            ApprovalRequest request = awaitRequest(session);
            assertThat(request.tierName()).isEqualTo("T2");
            ApproverCli.Result listed = ApproverCli.cli("approvals", "list", "--state", REDIS,
                    "--public-key", store.publicKey().toString());
            assertThat(listed.output()).contains(request.id() + "  T2  pending  0/1 approvals");
            ApproverCli.Result approved = ApproverCli.cli("approve", request.id(), "--key", keys.resolve("a2.pem").toString(),
                    "--state", REDIS, "--public-key", store.publicKey().toString());
            assertThat(approved.exitCode()).as(approved.output()).isZero();
            assertThat(host.awaitLine("TOOL step=1 ")).contains("error=false", "deleted 1 invoice(s)");
            assertThat(host.awaitLine("INVOICES step=2 ")).doesNotContain(",9,");
            host.awaitLine("DONE");
            assertThat(host.process().waitFor(60, TimeUnit.SECONDS)).isTrue();
            List<Receipt> deletes = store.all().stream().filter(r -> r.operation().equals("invoice_delete")).toList();
            assertThat(deletes).extracting(Receipt::outcome).containsExactly("HOLD", "PERMIT");
            assertThat(deletes.get(1).approvals()).singleElement().satisfies(cited -> {
                assertThat(cited.approver()).isEqualTo("a2");
                assertThat(cited.request()).isEqualTo(request.id());
            });
            Receipts.Verification verification = store.verify();
            assertThat(verification.exitCode()).as(verification.output()).isZero();
        } finally {
            host.killHard();
        }
    }

    /** The request the host published in Redis for this session, once it is there. */
    private static ApprovalRequest awaitRequest(String session) throws InterruptedException {
        try (RedisApprovalStore redis = new RedisApprovalStore(new RedisStateStore(StateLocation.parse(REDIS), Duration.ofSeconds(2),
                RedisStateStore.PREFIX, System::currentTimeMillis), Clock.systemUTC(), dev.warden.receipts.RequestSigner.UNSIGNED)) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (System.nanoTime() < deadline) {
                for (String id : redis.requestIds()) {
                    ApprovalRequest request = redis.request(id);
                    if (request != null && session.equals(request.session())) {
                        return request;
                    }
                }
                Thread.onSpinWait();
            }
        }
        throw new AssertionError("the host published no request for " + session);
    }
}
