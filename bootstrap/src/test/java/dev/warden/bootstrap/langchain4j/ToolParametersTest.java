package dev.warden.bootstrap.langchain4j;

import dev.langchain4j.agent.tool.P;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Method;
import java.lang.reflect.Type;

import static org.assertj.core.api.Assertions.assertThat;

/** Which members of a call reach a tool's method, and how a value is read where LangChain4j's conversion is not found. */
class ToolParametersTest {

    @SuppressWarnings("unused")
    static String pay(@P(name = "payee") String to, int amount, @P(name = "amount") long other) {
        return to;
    }

    /** A stand-in for {@code coerceArgument} that refuses odd numbers and reads every other value as 7. */
    @SuppressWarnings("unused")
    static Object coerce(Object argument, String name, Class<?> type, Type generic) {
        if (argument instanceof Integer number && number % 2 == 1) {
            throw new IllegalArgumentException("odd");
        }
        return type == String.class ? argument.toString() : Integer.valueOf(7);
    }

    private static Method pay() throws NoSuchMethodException {
        return ToolParametersTest.class.getDeclaredMethod("pay", String.class, int.class, long.class);
    }

    @Test
    void aMemberBindsByTheParametersNameOrItsPName() throws Exception {
        ToolParameters parameters = ToolParameters.of(pay(), null);

        assertThat(parameters.binds("to")).as("1.0 binds by the parameter's name").isTrue();
        assertThat(parameters.binds("payee")).as("later versions by @P(name)").isTrue();
        assertThat(parameters.binds("x")).isFalse();
    }

    @Test
    void withoutLangChain4jsConversionValuesStayAsWritten() throws Exception {
        assertThat(ToolParameters.of(pay(), null).bound("to", 42L)).isEqualTo(42L);
    }

    @Test
    void aValueIsWhatTheConversionGivesInOneFormAndWhatItRefusesStaysAsWritten() throws Exception {
        ToolParameters parameters = ToolParameters.of(pay(), ToolParametersTest.class.getDeclaredMethod("coerce",
                Object.class, String.class, Class.class, Type.class));

        assertThat(parameters.bound("to", 42L)).as("read as Jackson reads it, an Integer, then converted").isEqualTo("42");
        assertThat(parameters.bound("payee", 2.0)).isEqualTo("2.0");
        assertThat(parameters.bound("other", 2L)).as("an integer type's value is a Long").isEqualTo(7L);
        assertThat(parameters.bound("other", 3L)).as("refused").isEqualTo(3L);
        assertThat(parameters.bound("amount", 2L)).as("a name two parameters answer to is not converted").isEqualTo(2L);
        assertThat(parameters.bound("to", null)).isNull();
    }
}
