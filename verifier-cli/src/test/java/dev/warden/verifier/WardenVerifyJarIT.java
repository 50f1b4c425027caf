package dev.warden.verifier;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The shaded jar, run as auditors run it: its own JVM, no flags, nothing on stderr. */
class WardenVerifyJarIT {
    @TempDir
    Path tmp;

    @Test
    void theShadedJarVerifiesALogWithNoJvmFlagsAndAQuietStderr() throws Exception {
        SampleLog log = SampleLog.write(tmp.resolve("receipts"));
        Path jar = Path.of("target", "warden-verify.jar").toAbsolutePath();
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();

        Process p = new ProcessBuilder(List.of(java, "-jar", jar.toString(), "verify", log.directory().toString(),
                "--public-key", log.publicKey().toString())).start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);

        assertThat(p.exitValue()).as(err).isZero();
        assertThat(out).startsWith("10/10 receipts valid");
        assertThat(err).isEmpty();
    }
}
