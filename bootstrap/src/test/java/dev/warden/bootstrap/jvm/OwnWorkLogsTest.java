package dev.warden.bootstrap.jvm;

import dev.warden.bootstrap.TestGate;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** A java.util.logging record reaches the application's filters and handlers, but not from Warden's own work. */
class OwnWorkLogsTest {

    @Test
    void theApplicationsRecordsAreKeptAndWardensWorksDropped() {
        boolean[] onWardensWork = new boolean[1];
        TestGate.capability().runInternally(() -> onWardensWork[0] = OwnWorkLogs.dropped());

        assertThat(OwnWorkLogs.dropped()).as("on the application's thread").isFalse();
        assertThat(onWardensWork[0]).as("on Warden's own work").isTrue();
    }
}
