package dev.warden.agent.install;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The JDK's {@code JavaLangAccess}, through which every hidden class is defined, is found on the running JDK. */
class HiddenClassModuleTest {

    @Test
    void theJdksJavaLangAccessIsFoundByItsClassFile() throws Exception {
        String found = HiddenClassModule.Definer.javaLangAccess();

        assertThat(found).startsWith("java.lang.System$");
        assertThat(Class.forName("jdk.internal.access.JavaLangAccess").isAssignableFrom(Class.forName(found))).isTrue();
    }
}
