package dev.warden.agent.engine;

import dev.warden.bootstrap.http.StoreEndpoint;
import dev.warden.instrumentation.api.ActionDescription;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** The shared state store is Warden's: which host actions reach it. */
class OwnStateStoreTest {

    private final OwnStateStore local = new OwnStateStore("redis://127.0.0.1:6379", StoreEndpoint.resolve("127.0.0.1", 6379));

    @Test
    void aConnectToTheStoresPortOnAnyLoopbackOrWildcardAddressIsRefused() {
        for (String address : new String[] {"127.0.0.1", "127.0.0.2", "0.0.0.0", "0:0:0:0:0:0:0:1", "0:0:0:0:0:0:0:0"}) {
            assertThat(local.refusal("net", connect(address, 6379, "loopback"))).as(address)
                    .isEqualTo("Warden's state store redis://127.0.0.1:6379 is at " + address + ":6379: no host action connects to it");
        }
    }

    @Test
    void otherPortsAndOtherSurfacesAreThePolicys() {
        assertThat(local.refusal("net", connect("127.0.0.1", 6380, "loopback"))).isNull();
        assertThat(local.refusal("net", connect("93.184.216.34", 6379, "public"))).isNull();
        assertThat(local.refusal("file", new ActionDescription("WRITE", "/tmp/x", Set.of("/tmp/x"), Map.of("net.port", 6379L), Map.of())))
                .isNull();
    }

    @Test
    void anHttpRequestToTheStoreIsRefusedToo() {
        ActionDescription request = new ActionDescription("GET", "localhost", Set.of("localhost"),
                Map.of("url.host", "localhost", "url.port", 6379L, "address.class", "loopback"), Map.of());
        assertThat(local.refusal("http", request)).contains("is at localhost:6379");
    }

    @Test
    void aStoreOnAnotherMachineIsItsOwnAddressesAndName() {
        OwnStateStore remote = new OwnStateStore("redis://192.0.2.10:6379", StoreEndpoint.resolve("192.0.2.10", 6379));
        assertThat(remote.refusal("net", connect("192.0.2.10", 6379, "public"))).isNotNull();
        assertThat(remote.refusal("net", connect("127.0.0.1", 6379, "loopback"))).as("this machine's Redis is not the store").isNull();
    }

    /** Found by a second reading (2026-12-06): a SOCKS proxy at the store is decided by its name, unresolved. */
    @Test
    void aConnectByTheStoresNameUnresolvedIsRefused() {
        OwnStateStore named = new OwnStateStore("redis://cache.example:6379", new StoreEndpoint("cache.example", 6379, Set.of("192.0.2.10"),
                false, false));
        ActionDescription viaProxy = new ActionDescription("CONNECT", "cache.example", Set.of("cache.example"),
                Map.of("net.host", "cache.example", "net.port", 6379L, "address.class", "public", "net.via", "socks-proxy"), Map.of());
        assertThat(named.refusal("net", viaProxy)).isEqualTo("Warden's state store redis://cache.example:6379 is at cache.example:6379: "
                + "no host action connects to it");
    }

    @Test
    void aStoreWhoseNameDidNotResolveAtStartIsItsPortAnywhere() {
        OwnStateStore unresolved = new OwnStateStore("redis://redis.invalid:6379", StoreEndpoint.resolve("redis.invalid", 6379));
        assertThat(unresolved.refusal("net", connect("203.0.113.7", 6379, "public"))).isNotNull();
    }

    private static ActionDescription connect(String address, long port, String addressClass) {
        return new ActionDescription("CONNECT", address, Set.of(address),
                Map.of("net.address", address, "net.port", port, "address.class", addressClass), Map.of());
    }
}
