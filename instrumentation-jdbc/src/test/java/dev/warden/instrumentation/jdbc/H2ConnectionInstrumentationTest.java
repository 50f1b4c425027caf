package dev.warden.instrumentation.jdbc;

import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;
import net.bytebuddy.pool.TypePool;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * On the H2 version Warden is built against, the connection advice finds its one target: the
 * constructor every URL connect goes through (a class whose advice matches nothing is refused at load).
 */
class H2ConnectionInstrumentationTest {

    @Test
    void theAdviceMatchesTheUrlConstructorOfH2sConnectionAndNothingElse() {
        TypeDescription connection = TypePool.Default.ofSystemLoader().describe("org.h2.jdbc.JdbcConnection").resolve();
        H2ConnectionInstrumentation instrumentation = new H2ConnectionInstrumentation();
        List<ElementMatcher<? super MethodDescription>> advices = new ArrayList<>();
        instrumentation.transform((methods, advice) -> advices.add(methods));

        assertThat(instrumentation.requiresEveryAdvice()).isTrue();
        assertThat(instrumentation.typeMatcher().matches(connection)).isTrue();
        assertThat(advices).singleElement().satisfies(methods -> assertThat(connection.getDeclaredMethods().filter(methods))
                .singleElement().satisfies(constructor -> assertThat(constructor.isConstructor()).isTrue()));
    }
}
