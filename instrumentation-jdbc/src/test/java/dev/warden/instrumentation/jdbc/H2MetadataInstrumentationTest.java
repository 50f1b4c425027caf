package dev.warden.instrumentation.jdbc;

import dev.warden.bootstrap.ActionRequest;
import dev.warden.bootstrap.jdbc.H2MetadataReads;
import dev.warden.bootstrap.jdbc.JdbcActions;
import dev.warden.instrumentation.api.ActionDescription;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;
import net.bytebuddy.pool.TypePool;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * On the H2 version Warden is built against, every answer of {@code DatabaseMetaData} that H2 reads from the database
 * without SQL passes a decided method, and is described as the read of {@code INFORMATION_SCHEMA} that SQL would be.
 */
class H2MetadataInstrumentationTest {

    private static final TypePool H2 = TypePool.Default.ofSystemLoader();
    private static final List<String> IMPLEMENTATIONS = List.of("org.h2.jdbc.meta.DatabaseMetaLocalBase",
            "org.h2.jdbc.meta.DatabaseMetaLocal", "org.h2.jdbc.meta.DatabaseMetaRemote", "org.h2.jdbc.meta.DatabaseMetaLegacy");

    @Test
    void everyResultADatabaseMetaAnswersIsKnownToWarden() {
        List<MethodDescription> results = resultMethods(describe(H2MetadataInstrumentation.DATABASE_META));

        assertThat(results).hasSize(25);
        assertThat(results).allSatisfy(method -> assertThat(H2MetadataReads.sqlOf(method.getName()))
                .as(method.getName()).isNotEqualTo(H2MetadataReads.UNKNOWN));
        // The reads that would leak the schema are decided; only H2's constants are not.
        assertThat(results).filteredOn(method -> H2MetadataReads.sqlOf(method.getName()) == null)
                .extracting(MethodDescription::getName).containsOnly("getTypeInfo", "getTableTypes", "getUDTs",
                        "getSuperTypes", "getSuperTables", "getAttributes", "getVersionColumns");
    }

    @Test
    void theReadAdviceMatchesEveryResultOfEveryImplementation() {
        H2MetadataInstrumentation instrumentation = new H2MetadataInstrumentation();
        ElementMatcher<? super MethodDescription> advice = onlyAdvice(instrumentation);
        for (String name : IMPLEMENTATIONS) {
            TypeDescription type = describe(name);
            assertThat(instrumentation.typeMatcher().matches(type)).as(name).isTrue();
            List<MethodDescription> results = resultMethods(type);
            assertThat(new ArrayList<MethodDescription>(type.getDeclaredMethods().filter(advice))).as(name)
                    .containsExactlyInAnyOrderElementsOf(results);
        }
        assertThat(instrumentation.typeMatcher().matches(describe("org.h2.jdbc.JdbcDatabaseMetaData"))).isFalse();
    }

    @Test
    void theConnectionIsTakenFromJdbcDatabaseMetaDatasOneConstructor() {
        H2MetadataCreatedInstrumentation instrumentation = new H2MetadataCreatedInstrumentation();
        TypeDescription type = describe("org.h2.jdbc.JdbcDatabaseMetaData");

        assertThat(instrumentation.requiresEveryAdvice()).isTrue();
        assertThat(instrumentation.typeMatcher().matches(type)).isTrue();
        assertThat(type.getDeclaredMethods().filter(onlyAdvice(instrumentation))).hasSize(1);
        assertThat(type.getDeclaredFields().filter(field -> field.getName().equals("meta")).getOnly().getType().asErasure().getName())
                .isEqualTo(H2MetadataInstrumentation.DATABASE_META);
        assertThat(type.getDeclaredFields().filter(field -> field.getName().equals("conn")).getOnly().getType().asErasure().getName())
                .isEqualTo("org.h2.jdbc.JdbcConnection");
    }

    @Test
    void eachDecidedReadIsASelectOfInformationSchemaTablesOnly() {
        SqlActionEnricher enricher = new SqlActionEnricher();
        for (MethodDescription method : resultMethods(describe(H2MetadataInstrumentation.DATABASE_META))) {
            String sql = H2MetadataReads.sqlOf(method.getName());
            if (sql == null) {
                continue;
            }
            ActionDescription read = enricher.describe(new ActionRequest(JdbcActions.SURFACE, null, null,
                    Map.of("sql", sql, "db.product", "H2", "db.url", "jdbc:h2:./notes", "jdbc.method", method.getName(),
                            "jdbc.prepared", false)));

            assertThat(read.operation()).as(sql).isEqualTo("SELECT");
            assertThat(read.attributes()).as(sql).doesNotContainKey("sql.parseError").containsEntry("jdbc.method", method.getName());
            @SuppressWarnings("unchecked")
            Set<String> qualified = (Set<String>) read.attributes().get("sql.qualifiedTables");
            assertThat(qualified).as(sql).isNotEmpty().allSatisfy(table -> assertThat(table).startsWith("information_schema."));
            Set<String> expected = new TreeSet<>(qualified);
            qualified.forEach(table -> expected.add(table.substring("information_schema.".length())));
            assertThat(read.targets()).as(sql).containsExactlyInAnyOrderElementsOf(expected);
        }
    }

    private static TypeDescription describe(String name) {
        return H2.describe(name).resolve();
    }

    private static List<MethodDescription> resultMethods(TypeDescription type) {
        return new ArrayList<>(type.getDeclaredMethods().filter(method -> method.isPublic()
                && method.getReturnType().asErasure().getName().equals("org.h2.result.ResultInterface")
                && (type.isAbstract() && type.getName().equals(H2MetadataInstrumentation.DATABASE_META) || !method.isAbstract())));
    }

    private static ElementMatcher<? super MethodDescription> onlyAdvice(dev.warden.instrumentation.api.TypeInstrumentation instrumentation) {
        List<ElementMatcher<? super MethodDescription>> advices = new ArrayList<>();
        instrumentation.transform((methods, advice) -> advices.add(methods));
        assertThat(advices).hasSize(1);
        return advices.get(0);
    }
}
