package dev.warden.bootstrap.http;

import org.junit.jupiter.api.Test;

import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Where Warden's state store listens, and what reaches it. */
class StoreEndpointTest {

    private final StoreEndpoint local = new StoreEndpoint("127.0.0.1", 6379, Set.of("127.0.0.1", "10.0.0.5"), true, false);

    @Test
    void aStoreHereIsReachedOnItsPortThroughAnyLoopbackAddressOrAnInterfacesOwn() {
        assertThat(local.reaches("127.0.0.2", "loopback", null, 6379)).isTrue();
        assertThat(local.reaches("10.0.0.5", "private", null, 6379)).isTrue();
        assertThat(local.reaches("10.0.0.6", "private", null, 6379)).isFalse();
        assertThat(local.reaches("127.0.0.1", "loopback", null, 6380)).isFalse();
    }

    @Test
    void aStoreIsReachedByItsNameInAnyCase() {
        StoreEndpoint named = new StoreEndpoint("cache.example", 6379, Set.of("192.0.2.10"), false, false);
        assertThat(named.reaches(null, "public", "Cache.Example", 6379)).isTrue();
        assertThat(named.reaches(null, "public", "other.example", 6379)).isFalse();
    }

    /** Host code can call this public class: without the installer's capability it changes nothing. */
    @Test
    void onlyTheInstallerPointsTheCheckAtAStore() {
        assertThatThrownBy(() -> StoreEndpoint.protect(local, null)).isInstanceOf(NullPointerException.class);
        assertThat(StoreEndpoint.reached(java.net.InetAddress.getLoopbackAddress(), 6379)).isFalse();
    }
}
