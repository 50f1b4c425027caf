package dev.warden.bootstrap.file;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A read is decided for a secret when its name is a secret's and it is that very file: by any path to it, but without
 * touching the disk for any other name (reads happen in the middle of class loading).
 */
class WardenSecretsTest {

    @TempDir
    Path root;

    @Test
    void aSecretIsNamedByEveryPathToTheSameFile() throws Exception {
        Path keys = Files.createDirectories(root.resolve("keys"));
        Path key = Files.writeString(keys.resolve("warden-test-signing.pem"), "secret");
        Path linkedDirectory = Files.createSymbolicLink(root.resolve("elsewhere"), keys);
        Path copy = Files.writeString(Files.createDirectories(root.resolve("copies")).resolve("warden-test-signing.pem"), "x");

        WardenSecrets.add(key);

        assertThat(WardenSecrets.named(key.toString())).isTrue();
        assertThat(WardenSecrets.named(linkedDirectory.resolve("warden-test-signing.pem").toString())).as("through a link").isTrue();
        assertThat(WardenSecrets.namedByPath(root.resolve("keys/../keys/warden-test-signing.pem").toString())).isTrue();
        assertThat(WardenSecrets.named(copy.toString())).as("another file of the same name").isFalse();
        assertThat(WardenSecrets.named(root.resolve("other.txt").toString())).as("another name: not looked at").isFalse();
    }

    @Test
    void aNameJavaIoCannotEncodeIsTheNameTheKernelGets() throws Exception {
        Path keys = Files.createDirectories(root.resolve("keys"));
        Path key = Files.writeString(keys.resolve("warden-test-cache.key"), "secret");
        Files.createSymbolicLink(root.resolve("?"), keys); // what "\ud800" becomes on its way to the kernel
        WardenSecrets.add(key);

        assertThat(WardenSecrets.named(root + "/\ud800/warden-test-cache.key")).isTrue();
    }

    /** The JVM's own memory holds every key: by its pid's name, its threads' and the links procfs has to them. */
    @Test
    void theProcesssOwnMemoryIsASecretByEveryNameOfIt() throws Exception {
        WardenSecrets.addProcessMemory();
        long pid = ProcessHandle.current().pid();
        Files.createSymbolicLink(root.resolve("memory"), Path.of("/proc/self/mem"));
        WardenSecrets.watch("memory");
        Path notMemory = Files.writeString(root.resolve("mem"), "a file of the application's named mem");

        assertThat(WardenSecrets.named("/proc/self/mem")).isTrue();
        assertThat(WardenSecrets.namedByPath("/proc/" + pid + "/mem")).isTrue();
        assertThat(WardenSecrets.named("/proc/thread-self/mem")).as("a thread's name of it").isTrue();
        assertThat(WardenSecrets.named("/proc/" + pid + "/task/" + pid + "/mem")).isTrue();
        assertThat(WardenSecrets.named("/dev/fd/../../self/mem")).isTrue();
        assertThat(WardenSecrets.named(root.resolve("memory").toString())).as("through a link the host made").isTrue();
        assertThat(WardenSecrets.named(notMemory.toString())).as("another file of that name").isFalse();
        assertThat(ProcessMemory.isMemory("/proc/" + pid + "/mem")).isTrue();
        assertThat(ProcessMemory.isMemory("/proc/1/task/1/mem")).as("another process's: another JVM may hold the same keys").isTrue();
        assertThat(ProcessMemory.isMemory("/proc/" + pid + "/task/x/mem")).isFalse();
        assertThat(ProcessMemory.isMemory("/proc/" + pid + "/maps")).isFalse();
        assertThat(ProcessMemory.isMemory("/proc/" + pid + "/fd/mem")).isFalse();
    }

    /** HotSpot numbers every heap dump after the first: NAME.1, NAME.2, ... in the same directory. */
    @Test
    void aNumberedSecretIsEveryNameHotSpotNumbersAfterIt() throws Exception {
        Path dumps = Files.createDirectories(root.resolve("dumps"));
        Files.createSymbolicLink(root.resolve("via"), dumps);
        WardenSecrets.addNumbered(dumps.resolve("warden-test-heap.hprof"));

        assertThat(WardenSecrets.named(dumps.resolve("warden-test-heap.hprof").toString())).isTrue();
        assertThat(WardenSecrets.named(dumps.resolve("warden-test-heap.hprof.1").toString())).isTrue();
        assertThat(WardenSecrets.namedByPath(root.resolve("via/warden-test-heap.hprof.12").toString())).as("through a link").isTrue();
        assertThat(WardenSecrets.isNumbered(dumps.resolve("warden-test-heap.hprof.12").toString())).isTrue();
        assertThat(WardenSecrets.named(dumps.resolve("warden-test-heap.hprof.x").toString())).isFalse();
        assertThat(WardenSecrets.named(dumps.resolve("warden-test-heap.hprof.").toString())).isFalse();
        assertThat(WardenSecrets.named(root.resolve("warden-test-heap.hprof.1").toString())).as("another directory").isFalse();
    }

    @Test
    void aKeyNotWrittenYetIsNamedByItsPathOnceItIs() throws Exception {
        Path later = root.resolve("warden-test-generated.pem");
        WardenSecrets.add(later);
        Files.writeString(later, "generated");

        assertThat(WardenSecrets.named(later.toString())).isTrue();
    }
}
