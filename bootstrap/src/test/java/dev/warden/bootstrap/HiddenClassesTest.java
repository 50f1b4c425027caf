package dev.warden.bootstrap;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The weaver is set once; only a hidden class's class file is handed to it. */
class HiddenClassesTest {

    @Test
    void theFirstWeaverStaysAndOnlyHiddenClassesAreWoven() {
        byte[] classFile = {1};
        byte[] woven = {2};
        HiddenClasses.install((loader, lookup, domain, bytes) -> bytes == classFile ? woven : null);

        assertThat(HiddenClasses.install((loader, lookup, domain, bytes) -> new byte[] {3})).as("a later weaver").isFalse();
        assertThat(HiddenClasses.woven(null, HiddenClassesTest.class, classFile, null, 0x2)).isSameAs(woven);
        assertThat(HiddenClasses.woven(null, HiddenClassesTest.class, classFile, null, 0x1 | 0x4))
                .as("not hidden: the JVM hands it to the transformers itself").isSameAs(classFile);
        byte[] other = {4};
        assertThat(HiddenClasses.woven(null, HiddenClassesTest.class, other, null, 0x2)).as("left as it is").isSameAs(other);
    }
}
