package dev.warden.agent.install;

import org.junit.jupiter.api.Test;

import java.net.URL;
import java.net.URLClassLoader;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** A surface's matcher is skipped only in a JDK loader that cannot see its types. */
class JdkLoaderVisibilityTest {

    private final JdkLoaderVisibility visibility = new JdkLoaderVisibility(null);
    private final ClassLoader platform = ClassLoader.getPlatformClassLoader();

    @Test
    void theBootLoaderSeesNeitherJdbcNorALibrary() {
        assertThat(visibility.mayMatch(null, List.of("java.sql.Statement"))).isFalse();
        assertThat(visibility.mayMatch(null, List.of("dev.langchain4j.service.tool.ToolExecutor"))).isFalse();
        assertThat(visibility.mayMatch(null, List.of("java.lang.Runnable"))).isTrue();
    }

    @Test
    void thePlatformLoaderSeesJdbcAndWhatTheBootLoaderSees() {
        assertThat(visibility.mayMatch(platform, List.of("java.sql.Statement"))).isTrue();
        assertThat(visibility.mayMatch(platform, List.of("java.lang.Runnable"))).isTrue();
        assertThat(visibility.mayMatch(platform, List.of("dev.langchain4j.service.tool.ToolExecutor"))).isFalse();
    }

    @Test
    void applicationLoadersAndUnknownBootPathsAreAlwaysMatched() throws Exception {
        try (URLClassLoader empty = new URLClassLoader(new URL[0], null)) {
            assertThat(visibility.mayMatch(empty, List.of("dev.langchain4j.service.tool.ToolExecutor"))).isTrue();
        }
        assertThat(visibility.mayMatch(getClass().getClassLoader(), List.of("java.sql.Statement"))).isTrue();
        assertThat(new JdkLoaderVisibility("/opt/drivers.jar").mayMatch(null, List.of("java.sql.Statement"))).isTrue();
        assertThat(visibility.mayMatch(null, List.of())).isTrue();
    }
}
