package dev.warden.e2e;

import dev.warden.e2e.host.NamelessClassHost;
import dev.warden.receipts.Receipt;
import dev.warden.receipts.Repeats;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A class defined without a name ({@code ClassLoader.defineClass(null, bytes, ...)}) reaches a transformer without
 * one, and ByteBuddy skips such a class: a statement class of the application's own, defined so, ran its SQL ungated
 * (found by the seventeenth session's second reading). Warden's transformer now hands it on under the name its class
 * file gives it. The statement's own code says when SQL reached it; any real effect it could have (a file, a socket,
 * another driver's statement) would be gated by another surface, so its words are the side channel here.
 *
 * <p>The eighth review of 2026-12-07 found two more ways the JVM defines a class that Warden's matchers never saw:
 * ByteBuddy's default name for an implementation of a {@code java.*} interface ({@code net.bytebuddy.renamed...}),
 * which Warden's installer ignored by name as its own ByteBuddy's (and so a class defined in the package of Warden's
 * launcher through a lookup of it, which the application's own classes may have); and a hidden class
 * ({@code Lookup.defineHiddenClass}), which the JVM hands no class-file hook. Both ran their SQL ungated.
 */
class NamelessClassEndToEndTest {

    @TempDir
    Path workspace;

    @Test
    void aStatementClassDefinedWithoutANameHiddenOrByByteBuddyIsGatedLikeOneDefinedWithIt() throws Exception {
        Receipts store = Receipts.in(workspace);
        HostJvm.Result host = HostJvm.withAgent(store.agentArguments()).withRules("jdbc")
                .run(NamelessClassHost.class, List.of("DELETE FROM orders"));

        assertThat(host.lines()).as(host.toString()).contains("DONE")
                .noneSatisfy(line -> assertThat(line).as("the statement's own code ran").startsWith("ARRIVED"))
                .anySatisfy(line -> assertThat(line).startsWith("nameless: DENIED").contains("no rule permits jdbc DELETE on orders"))
                .anySatisfy(line -> assertThat(line).startsWith("named: DENIED").contains("no rule permits jdbc DELETE on orders"))
                .anySatisfy(line -> assertThat(line).startsWith("bytebuddy class net.bytebuddy.renamed."))
                .anySatisfy(line -> assertThat(line).startsWith("bytebuddy: DENIED").contains("no rule permits jdbc DELETE on orders"))
                .anySatisfy(line -> assertThat(line).startsWith("hidden: DENIED").contains("no rule permits jdbc DELETE on orders"))
                .anySatisfy(line -> assertThat(line).startsWith("launcher: DENIED").contains("no rule permits jdbc DELETE on orders"));
        List<Receipt> refusals = store.all().stream().filter(receipt -> receipt.surface().equals("jdbc")).toList();
        assertThat(refusals).allSatisfy(receipt -> assertThat(receipt.outcome()).isNotEqualTo("PERMIT"));
        // The same statement refused again within a moment is counted in its burst's receipt (RECEIPTS.md, "Refusal
        // bursts"), as the later of these five usually are: five decisions, each refusal citing a receipt of the log.
        assertThat(refusals.stream().mapToLong(receipt -> Repeats.decisions(receipt.draft())).sum()).isEqualTo(5);
        List<String> ids = refusals.stream().map(Receipt::id).toList();
        assertThat(host.lines()).filteredOn(line -> line.contains(": DENIED")).hasSize(5)
                .allSatisfy(line -> assertThat(ids).anySatisfy(id -> assertThat(line).contains("(receipt " + id + ")")));
        assertThat(store.verify().exitCode()).isZero();
    }
}
