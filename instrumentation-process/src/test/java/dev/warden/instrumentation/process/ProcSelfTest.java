package dev.warden.instrumentation.process;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** Names whose meaning is the reading process's own: the parent cannot know what they are to the child. */
class ProcSelfTest {

    @TempDir
    Path workspace;

    @Test
    void aNameThroughProcSelfOrThreadSelfIsTheReadersOwn() {
        assertThat(ProcSelf.on(Path.of("/proc/self/cwd/../../usr/bin/echo"))).isTrue();
        assertThat(ProcSelf.on(Path.of("/proc/thread-self/root/usr/bin/echo"))).isTrue();
        assertThat(ProcSelf.on(Path.of("/proc/./self/exe"))).isTrue();
        assertThat(ProcSelf.on(Path.of("/usr/bin/echo"))).isFalse();
        assertThat(ProcSelf.on(Path.of("/proc/" + ProcessHandle.current().pid() + "/status"))).as("a process named by its id is the same to both").isFalse();
    }

    @Test
    void linksAreFollowedNameByNameSoALinkIntoProcSelfCounts() throws Exception {
        Path link = Files.createSymbolicLink(workspace.resolve("here"), Path.of("/proc/self/cwd"));
        Path relative = Files.createSymbolicLink(workspace.resolve("up"), Path.of("../../../../../../proc/self"));
        Path plain = Files.createDirectories(workspace.resolve("bin"));

        assertThat(ProcSelf.on(link.resolve("tool"))).isTrue();
        assertThat(ProcSelf.on(relative.resolve("exe"))).isTrue();
        assertThat(ProcSelf.on(Path.of("/dev/stdin"))).as("a link to /proc/self/fd/0").isTrue();
        assertThat(ProcSelf.on(plain.resolve("../bin/tool"))).isFalse();
    }

    @Test
    void aLoopOfLinksIsUnknown() throws Exception {
        Files.createSymbolicLink(workspace.resolve("a"), workspace.resolve("b"));
        Files.createSymbolicLink(workspace.resolve("b"), workspace.resolve("a"));

        assertThat(ProcSelf.on(workspace.resolve("a/tool"))).isTrue();
    }
}
