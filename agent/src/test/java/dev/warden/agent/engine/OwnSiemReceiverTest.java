package dev.warden.agent.engine;

import dev.warden.bootstrap.http.StoreEndpoint;
import dev.warden.instrumentation.api.ActionDescription;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** The SIEM's syslog receiver is Warden's: a host's datagram or connection there could pass for Warden's event. */
class OwnSiemReceiverTest {

    private final OwnSiemReceiver receiver = new OwnSiemReceiver("syslog://siem.example:514",
            new StoreEndpoint("siem.example", 514, Set.of("192.0.2.20"), false, false));

    @Test
    void aDatagramOrAConnectToTheReceiverIsRefused() {
        for (String operation : new String[] {"SEND", "CONNECT"}) {
            assertThat(receiver.refusal("net", action(operation, "192.0.2.20", 514))).as(operation)
                    .isEqualTo("Warden's SIEM receiver syslog://siem.example:514 is at 192.0.2.20:514: no host action sends to it"
                            + " (it would take the host's messages for Warden's)");
        }
        ActionDescription request = new ActionDescription("POST", "siem.example", Set.of("siem.example"),
                Map.of("url.host", "siem.example", "url.port", 514L, "address.class", "public"), Map.of());
        assertThat(receiver.refusal("http", request)).contains("is at siem.example:514");
    }

    @Test
    void otherPortsAddressesAndLookupsAreThePolicys() {
        assertThat(receiver.refusal("net", action("SEND", "192.0.2.20", 515))).isNull();
        assertThat(receiver.refusal("net", action("SEND", "192.0.2.21", 514))).isNull();
        assertThat(receiver.refusal("net", action("RESOLVE", "192.0.2.20", 514))).isNull();
    }

    private static ActionDescription action(String operation, String address, long port) {
        return new ActionDescription(operation, address, Set.of(address),
                Map.of("net.address", address, "net.port", port, "address.class", "public"), Map.of());
    }
}
