package dev.warden.instrumentation.jdbc;

import dev.warden.instrumentation.api.TypeInstrumentation;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;
import net.bytebuddy.pool.TypePool;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * On the MariaDB and pgjdbc versions Warden is built against, the connect advice finds its one target:
 * MariaDB's static {@code Driver.connect(Configuration)} and pgjdbc's {@code PgConnection(HostSpec[],
 * Properties, String)} constructor (a class whose advice matches nothing is refused at load).
 */
class ConnectEntryPointsInstrumentationTest {

    @Test
    void mariaDbsAdviceMatchesOnlyTheStaticConnectOfAConfiguration() {
        MethodDescription target = onlyTarget(new MariaDbConnectInstrumentation(), "org.mariadb.jdbc.Driver");
        assertThat(target.isStatic()).isTrue();
        assertThat(target.getParameters().asTypeList().asErasures().get(0).getName()).isEqualTo("org.mariadb.jdbc.Configuration");
    }

    @Test
    void pgjdbcsAdviceMatchesOnlyTheConstructorTakingHostsPropertiesAndAUrl() {
        MethodDescription target = onlyTarget(new PgConnectionInstrumentation(), "org.postgresql.jdbc.PgConnection");
        assertThat(target.isConstructor()).isTrue();
        assertThat(target.getParameters()).hasSize(3);
    }

    private static MethodDescription onlyTarget(TypeInstrumentation instrumentation, String type) {
        TypeDescription described = TypePool.Default.ofSystemLoader().describe(type).resolve();
        List<ElementMatcher<? super MethodDescription>> advices = new ArrayList<>();
        instrumentation.transform((methods, advice) -> advices.add(methods));
        assertThat(instrumentation.requiresEveryAdvice()).isTrue();
        assertThat(instrumentation.typeMatcher().matches(described)).isTrue();
        assertThat(advices).hasSize(1);
        List<MethodDescription> matched = new ArrayList<>(described.getDeclaredMethods().filter(advices.get(0)));
        assertThat(matched).hasSize(1);
        return matched.get(0);
    }
}
