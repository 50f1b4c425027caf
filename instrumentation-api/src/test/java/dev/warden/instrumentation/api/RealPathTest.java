package dev.warden.instrumentation.api;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** Where a path really leads, walked as the kernel walks it. */
class RealPathTest {

    @TempDir
    Path tmp;

    /** Found by a second reading (2026-12-06): a link's target is kept as written, and that is no reason to refuse it. */
    @Test
    void aLinkWhoseTargetEndsInASlashOrDoublesOneIsFollowed() throws Exception {
        Path root = tmp.toRealPath();
        Path sub = Files.createDirectories(root.resolve("sub"));
        Files.createSymbolicLink(root.resolve("slash"), Path.of(sub + "/"));
        new ProcessBuilder("ln", "-s", root + "//sub", root.resolve("double").toString()).start().waitFor();

        for (String link : new String[] {"slash", "double"}) {
            RealPath walked = RealPath.resolve(root.resolve(link).resolve("n.txt").toString(), true);
            assertThat(walked.error()).as(link).isNull();
            assertThat(walked.path()).as(link).isEqualTo(sub.resolve("n.txt").toString());
        }
    }

    /** Found by a review (2026-12-06), and under LC_ALL=C by its second reading: bytes that are not text are not guessed past. */
    @Test
    void aLinkWhoseTargetIsNotTextEndsTheWalkWithAnError() throws Exception {
        Path root = tmp.toRealPath();
        Process link = new ProcessBuilder("sh", "-c", "ln -s \"$(printf '\\377')\" docs", "link").directory(root.toFile()).start();
        assertThat(link.waitFor()).isZero();

        RealPath walked = RealPath.resolve(root.resolve("docs/a.txt").toString(), true);
        assertThat(walked.error()).isEqualTo(RealPath.UNDECODABLE);
    }
}
