package dev.warden.bootstrap.jvm;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** Which sockets are JVMs' attach listeners: HotSpot's name for one, as named or where a link leads. */
class AttachListenerTest {

    @TempDir
    Path directory;

    @Test
    void aListenersNameGivesItsJvmsId() throws Exception {
        assertThat(AttachListener.otherListenersPid(Path.of("/tmp/.java_pid4242"))).isEqualTo("4242");
        assertThat(AttachListener.otherListenersPid(Path.of("relative/.java_pid7"))).isEqualTo("7");
        Path link = Files.createSymbolicLink(directory.resolve("service.sock"), directory.resolve(".java_pid99"));
        Files.createFile(directory.resolve(".java_pid99"));
        assertThat(AttachListener.otherListenersPid(link)).isEqualTo("99");
    }

    @Test
    void otherNamesAreNoListeners() {
        assertThat(AttachListener.otherListenersPid(Path.of("/tmp/.java_pid"))).isNull();
        assertThat(AttachListener.otherListenersPid(Path.of("/tmp/.java_pid12x"))).isNull();
        assertThat(AttachListener.otherListenersPid(Path.of("/tmp/java_pid12"))).isNull();
        assertThat(AttachListener.otherListenersPid(Path.of("/tmp/.java_pid" + "1".repeat(20)))).isNull();
        assertThat(AttachListener.otherListenersPid(directory.resolve("absent.sock"))).isNull();
    }
}
