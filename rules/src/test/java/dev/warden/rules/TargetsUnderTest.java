package dev.warden.rules;

import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code targetsUnder}: the allow-list test for paths. */
class TargetsUnderTest {

    private static Action touching(String... paths) {
        return new Action("id", "file", "WRITE", paths.length == 0 ? "" : paths[0], Set.of(paths), Map.of(), "agent", null, null);
    }

    @Test
    void aPathInsideOrEqualToADirectoryIsUnderIt() {
        assertThat(touching("/work/app/a/b").targetsUnder("/work/app")).isTrue();
        assertThat(touching("/work/app").targetsUnder("/work/app/")).isTrue();
        assertThat(touching("/anything").targetsUnder("/")).isTrue();
    }

    @Test
    void aSiblingWithTheSamePrefixIsNot() {
        assertThat(touching("/work/app2/x").targetsUnder("/work/app")).isFalse();
    }

    @Test
    void everyTargetMustBeUnderOneOfTheDirectories() {
        assertThat(touching("/work/app/a", "/tmp/b").targetsUnder("/work/app")).isFalse();
        assertThat(touching("/work/app/a", "/tmp/b").targetsUnder("/work/app", "/tmp")).isTrue();
        assertThat(touching().targetsUnder("/")).isFalse();
    }
}
