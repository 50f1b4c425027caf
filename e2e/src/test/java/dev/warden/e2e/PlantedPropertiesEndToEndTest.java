package dev.warden.e2e;

import dev.warden.e2e.host.PropertiesHost;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A {@code system.properties} file an application under Warden writes in its working directory, or the one above it.
 * Chronicle Queue's first initialisation loads such a file into the JVM's system properties, and Warden initialises
 * Chronicle before the host's {@code main}: the file would set the next start's properties (a proxy, a trust store,
 * Warden's own settings).
 */
class PlantedPropertiesEndToEndTest {

    private static final String PLANTED = "http.proxyHost=planted.example\nwarden.mode=shadow\n";

    @TempDir
    Path workspace;

    @Test
    void aSystemPropertiesFileWhereTheHostRunsSetsNothingAtTheNextStart() throws Exception {
        Receipts store = Receipts.in(workspace);
        Path working = Files.createDirectories(workspace.resolve("application").resolve("work"));

        for (Path planted : List.of(working.resolve("system.properties"), working.getParent().resolve("system.properties"))) {
            Files.writeString(planted, PLANTED);
            HostJvm.Result host = HostJvm.withAgent(store.agentArguments()).withRules("jdbc").in(working)
                    .run(PropertiesHost.class, List.of("http.proxyHost", "warden.mode"));
            Files.delete(planted);

            assertThat(host.exitCode()).as(host.stderr()).isZero();
            assertThat(host.stdout()).as(planted.toString()).contains("http.proxyHost=null", "warden.mode=null");
            assertThat(host.stderr()).contains("mode enforce");
        }
    }

    @Test
    void norOneTheHostNamesForItsOwnChronicle() throws Exception {
        Receipts store = Receipts.in(workspace);
        Path named = workspace.resolve("application.properties");
        Files.writeString(named, PLANTED);

        HostJvm.Result host = HostJvm.withAgent(store.agentArguments()).withRules("jdbc").jvm("-Dsystem.properties=" + named)
                .run(PropertiesHost.class, List.of("http.proxyHost", "warden.mode", "system.properties"));

        assertThat(host.exitCode()).as(host.stderr()).isZero();
        assertThat(host.stdout()).contains("http.proxyHost=null", "warden.mode=null", "system.properties=" + named);
        assertThat(host.stderr()).contains("mode enforce");
    }
}
