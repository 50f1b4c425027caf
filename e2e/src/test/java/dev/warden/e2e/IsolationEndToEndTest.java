package dev.warden.e2e;

import dev.warden.e2e.host.IsolationHost;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The host's own libraries are untouched by Warden's, and Warden's are invisible to the host: nor does Warden's ByteBuddy
 * define its {@code Nexus} in the host's class loader.
 */
class IsolationEndToEndTest {

    @TempDir
    Path workspace;

    @Test
    void theHostKeepsItsOwnJacksonAndByteBuddyAndCannotSeeWardensLibraries() throws Exception {
        String url = "jdbc:h2:file:" + workspace.resolve("shop");
        Fixtures.createShop(url, "sa", "");
        Receipts store = Receipts.in(workspace);

        // Only jdbc: under a policy that permits nothing, the file surface would refuse H2 its own
        // database files before any statement reached the gate (files: FileEndToEndTest).
        HostJvm.Result host = HostJvm.withAgent(store.agentArguments()).withRules("empty").with("surfaces=jdbc")
                .run(IsolationHost.class, List.of(url));

        assertThat(host.lines()).as(host.toString()).contains(
                "jackson=2.15.0",
                "jackson.mapper={\"k\":1}",
                "bytebuddy from byte-buddy-1.14.0.jar",
                "nexus from byte-buddy-1.14.0.jar",
                "net.bytebuddy.nexus.disabled=null",
                "visible org.drools.core.impl.RuleBaseFactory=false",
                "visible net.openhft.chronicle.queue.ChronicleQueue=false",
                "visible org.bouncycastle.crypto.signers.Ed25519Signer=false",
                "visible dev.warden.agent.WardenAgent=false",
                "visible dev.warden.rules.Action=false");
        assertThat(host.stdout()).contains("denied=warden: denied by default-deny");
        assertThat(store.all()).hasSize(1);
    }
}
