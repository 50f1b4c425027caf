package dev.warden.agent.install;

import org.junit.jupiter.api.Test;

import java.net.URLClassLoader;
import java.net.URL;

import static org.assertj.core.api.Assertions.assertThat;

/** Warden's own classes are told by where they are defined: a name like theirs is anyone's to give. */
class WardenTypesTest {

    private final ClassLoader application = WardenTypesTest.class.getClassLoader();
    private final ClassLoader agent = new URLClassLoader(new URL[0], application);

    @Test
    void anyClassOfWardensLoaderIsOwn() {
        assertThat(WardenTypes.isOwn("org.h2.Driver", agent, null, agent)).isTrue();
    }

    @Test
    void bootstrapNamesAreOwnOnlyInTheBootLoader() {
        assertThat(WardenTypes.isOwn("dev.warden.bootstrap.Gate", null, null, agent)).isTrue();
        assertThat(WardenTypes.isOwn("dev.warden.bootstrap.Statement", application, null, agent)).isFalse();
    }

    @Test
    void byteBuddysNamesAndTheAgentsAreNotOwnInAnotherLoader() {
        assertThat(WardenTypes.isOwn("net.bytebuddy.renamed.java.sql.Statement$ByteBuddy$abc", application, null, agent)).isFalse();
        assertThat(WardenTypes.isOwn("dev.warden.agent.Statement", application,
                WardenTypesTest.class.getProtectionDomain(), agent)).as("not from the launcher's jar").isFalse();
    }
}
