package dev.warden.agent.install;

import net.bytebuddy.agent.ByteBuddyAgent;
import org.junit.jupiter.api.Test;

import java.lang.instrument.Instrumentation;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** At install only classes that could be targets are described: Warden's loader and its own names are left out. */
class LoadedClassDiscoveryTest {

    @Test
    void wardensOwnLoaderArraysAndHiddenClassesAreNotCandidatesButWardensNamesElsewhereAre() throws Exception {
        Instrumentation instrumentation = ByteBuddyAgent.install();
        Runnable lambda = () -> { };
        Class<?>[] loaded = {String.class, java.sql.Statement.class, Test.class, String[].class, int.class,
                AgentInstaller.class, lambda.getClass(), net.bytebuddy.ByteBuddy.class};

        try (URLClassLoader elsewhere = new URLClassLoader(new URL[0])) {
            // Named like Warden's, in a loader not Warden's: anyone's (ByteBuddy names what it makes net.bytebuddy.renamed...).
            assertThat(new LoadedClassDiscovery(elsewhere).candidates(loaded, instrumentation))
                    .containsExactly(String.class, java.sql.Statement.class, Test.class, AgentInstaller.class,
                            net.bytebuddy.ByteBuddy.class);
        }
        assertThat(new LoadedClassDiscovery(Test.class.getClassLoader()).candidates(loaded, instrumentation))
                .containsExactly(String.class, java.sql.Statement.class);
    }

    @Test
    void jdkClassesAnEarlierInstallLeftAloneAreNotLookedAtAgainButOtherClassesOfTheSameNameAre() throws Exception {
        Instrumentation instrumentation = ByteBuddyAgent.install();
        Class<?>[] loaded = {String.class, java.sql.Statement.class, Test.class};
        Set<String> ignoredBefore = Set.of(String.class.getName(), java.sql.Statement.class.getName(), Test.class.getName());

        try (URLClassLoader elsewhere = new URLClassLoader(new URL[0])) {
            // The JDK's (boot and platform loaders, modules of the boot layer) are left out; a class path class is not the JDK's.
            assertThat(new LoadedClassDiscovery(elsewhere, ignoredBefore).candidates(loaded, instrumentation))
                    .containsExactly(Test.class);
        }
    }

    /**
     * JDK classes given an earlier install's result before ByteBuddy was installed carry their advice: ByteBuddy's install
     * does not retransform them to the same bytes again, as the host runs. Which they are is asked when the classes are
     * listed, and a class path class of such a name is not the JDK's.
     */
    @Test
    void jdkClassesReplayedBeforeTheInstallAreNotRetransformedAgain() throws Exception {
        Instrumentation instrumentation = ByteBuddyAgent.install();
        Class<?>[] loaded = {Thread.class, java.io.File.class, Test.class};
        java.util.Set<String> replayed = new java.util.HashSet<>();
        try (URLClassLoader elsewhere = new URLClassLoader(new URL[0])) {
            LoadedClassDiscovery discovery = new LoadedClassDiscovery(elsewhere, Set.of(), () -> Set.copyOf(replayed));
            replayed.addAll(Set.of(Thread.class.getName(), Test.class.getName()));

            assertThat(discovery.candidates(loaded, instrumentation)).containsExactly(java.io.File.class, Test.class);
        }
    }

    @Test
    void aProxyOfTheJdksLoaderIsNotTheJdksClassWhateverItsName() throws Exception {
        Instrumentation instrumentation = ByteBuddyAgent.install();
        // Defined by the platform loader in a dynamic module, named by the order proxies are made in: an earlier start's
        // proxy of that name may have been another interface's.
        Class<?> proxy = java.lang.reflect.Proxy.newProxyInstance(java.sql.Connection.class.getClassLoader(),
                new Class<?>[] {java.sql.Connection.class}, (self, method, arguments) -> null).getClass();
        assertThat(proxy.getClassLoader()).isSameAs(ClassLoader.getPlatformClassLoader());
        assertThat(proxy.getModule().isNamed()).isTrue();

        try (URLClassLoader elsewhere = new URLClassLoader(new URL[0])) {
            assertThat(new LoadedClassDiscovery(elsewhere, Set.of(proxy.getName())).candidates(new Class<?>[] {proxy}, instrumentation))
                    .containsExactly(proxy);
        }
    }
}
