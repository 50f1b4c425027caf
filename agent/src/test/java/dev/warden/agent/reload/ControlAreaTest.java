package dev.warden.agent.reload;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** The control area's exchange: a request in, one answer out, junk answered as such. */
class ControlAreaTest {

    @TempDir
    Path receipts;

    @Test
    void aRequestIsReadAnsweredAndRemoved() throws Exception {
        ControlArea area = new ControlArea(receipts);
        String reload = area.ask("reload", null);
        String rollback = area.ask("rollback", "ab12");
        assertThat(area.pending()).extracting(ControlArea.Request::command).containsExactlyInAnyOrder("reload", "rollback");
        assertThat(area.result(reload)).isNull();

        area.answer(reload, "unchanged: x");
        assertThat(area.result(reload)).isEqualTo("unchanged: x");
        assertThat(area.pending()).singleElement().satisfies(request -> {
            assertThat(request.id()).isEqualTo(rollback);
            assertThat(request.argument()).isEqualTo("ab12");
        });
    }

    @Test
    void junkIsAnsweredAsSuchAndNeverActedOn() throws Exception {
        ControlArea area = new ControlArea(receipts);
        String id = area.ask("format", "disk");
        Files.writeString(receipts.resolve("control/requests/not-an-id.request"), "reload");
        assertThat(area.pending()).isEmpty();
        assertThat(area.result(id)).startsWith("error: not a request");
        assertThat(receipts.resolve("control/requests/not-an-id.request")).doesNotExist();
    }
}
