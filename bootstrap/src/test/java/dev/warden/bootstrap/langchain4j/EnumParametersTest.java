package dev.warden.bootstrap.langchain4j;

import dev.langchain4j.agent.tool.P;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class EnumParametersTest {

    enum Visibility { PRIVATE, PUBLIC }

    @SuppressWarnings("unused")
    static String share(String id, @P("who may see it") Visibility visibility, @P(name = "who") Visibility audience, int count) {
        return id;
    }

    @Test
    void theEnumParametersOfAToolMethodByTheNameLangChain4jBindsThemBy() throws Exception {
        assertThat(EnumParameters.of(EnumParametersTest.class.getDeclaredMethod("share", String.class, Visibility.class,
                Visibility.class, int.class)))
                .containsOnlyKeys("visibility", "who")
                .containsEntry("visibility", List.of("PRIVATE", "PUBLIC"));
    }

    /** Found by a review (2026-12-06): LangChain4j tries the text, then the text upper-cased in Locale.ROOT. */
    @Test
    void aTextBindsTheConstantItNamesOrTheOneItsUpperCaseNames() {
        List<String> constants = List.of("PRIVATE", "PUBLIC");

        assertThat(EnumParameters.bound("PUBLIC", constants)).isEqualTo("PUBLIC");
        assertThat(EnumParameters.bound("public", constants)).isEqualTo("PUBLIC");
        assertThat(EnumParameters.bound("publ\u0131c", constants)).as("a dotless i upper-cases to I").isEqualTo("PUBLIC");
        assertThat(EnumParameters.bound("everyone", constants)).isNull();
    }

    /** Thirteenth review, 2026-12-08: LangChain4j 1.0 upper-cases in the default locale; Lithuanian drops a dot above after i. */
    @Test
    void aTextTheDefaultLocaleUpperCasesToAConstantBindsIt() {
        List<String> constants = List.of("PRIVATE", "PUBLIC");
        java.util.Locale before = java.util.Locale.getDefault();
        try {
            assertThat(EnumParameters.bound("publi\u0307c", constants)).as("in ROOT the dot stays").isNull();
            java.util.Locale.setDefault(java.util.Locale.forLanguageTag("lt-LT"));
            assertThat(EnumParameters.bound("publi\u0307c", constants)).isEqualTo("PUBLIC");
        } finally {
            java.util.Locale.setDefault(before);
        }
    }
}
