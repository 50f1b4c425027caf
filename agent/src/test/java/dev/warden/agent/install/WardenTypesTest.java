package dev.warden.agent.install;

import org.junit.jupiter.api.Test;

import java.net.URL;
import java.net.URLClassLoader;

import static org.assertj.core.api.Assertions.assertThat;

/** Warden's own classes are told by the loader that defines them: a name like theirs is anyone's to give. */
class WardenTypesTest {

    private final ClassLoader application = WardenTypesTest.class.getClassLoader();
    private final ClassLoader agent = new URLClassLoader(new URL[0], application);

    @Test
    void anyClassOfWardensLoaderIsOwn() {
        assertThat(WardenTypes.isOwn("org.h2.Driver", agent, agent)).isTrue();
    }

    @Test
    void bootstrapNamesAreOwnOnlyInTheBootLoader() {
        assertThat(WardenTypes.isOwn("dev.warden.bootstrap.Gate", null, agent)).isTrue();
        assertThat(WardenTypes.isOwn("dev.warden.bootstrap.Statement", application, agent)).isFalse();
    }

    @Test
    void byteBuddysNamesAndTheAgentsAreNotOwnInAnotherLoader() {
        assertThat(WardenTypes.isOwn("net.bytebuddy.renamed.java.sql.Statement$ByteBuddy$abc", application, agent)).isFalse();
        assertThat(WardenTypes.isOwn("dev.warden.agent.launcher.Statement", application, agent)).isFalse();
    }
}
