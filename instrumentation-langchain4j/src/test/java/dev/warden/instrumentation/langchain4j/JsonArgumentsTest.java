package dev.warden.instrumentation.langchain4j;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

/** The model's tool arguments, read without trusting them. */
class JsonArgumentsTest {

    @Test
    void readsTheMembersOfAnObject() {
        JsonArguments.Parsed parsed = JsonArguments.parse(
                "{\"to\":\"vp@x.example\",\"count\":3,\"ratio\":0.5,\"urgent\":true,\"cc\":[\"a\",\"b\"],\"meta\":{\"k\":null}}");

        assertThat(parsed.error()).isNull();
        assertThat(parsed.members()).containsExactly(entry("to", "vp@x.example"), entry("count", 3L), entry("ratio", 0.5),
                entry("urgent", true), entry("cc", List.of("a", "b")), entry("meta", java.util.Collections.singletonMap("k", null)));
    }

    @Test
    void decodesEscapes() {
        assertThat(JsonArguments.parse("{\"s\":\"a\\\"b\\\\c\\n\\u00e9\"}").members()).containsEntry("s", "a\"b\\c\né");
    }

    @Test
    void noArgumentsAreNoMembers() {
        assertThat(JsonArguments.parse("").error()).isNull();
        assertThat(JsonArguments.parse(null).members()).isEmpty();
        assertThat(JsonArguments.parse("{}").members()).isEmpty();
    }

    @Test
    void whatIsNotAJsonObjectIsReportedNotThrown() {
        assertThat(JsonArguments.parse("{to: vp, oops").error()).startsWith("arguments are not valid JSON: expected a member name");
        assertThat(JsonArguments.parse("[1,2]").error()).isEqualTo("arguments are not a JSON object");
        assertThat(JsonArguments.parse("{\"a\":1} trailing").error()).contains("trailing characters");
        assertThat(JsonArguments.parse("{\"a\":\"unterminated").error()).contains("unexpected end");
        assertThat(JsonArguments.parse("{\"a\":tru}").error()).contains("unexpected");
        assertThat(JsonArguments.parse("{\"a\":\"\\u12\"}").error()).contains("escape");
    }

    @Test
    void deepNestingAndHugeTextAreRefusedWithoutReadingThem() {
        assertThat(JsonArguments.parse("{\"a\":" + "[".repeat(10_000) + "]".repeat(10_000) + "}").error())
                .contains("nested deeper than 32");
        String huge = "{\"body\":\"" + "x".repeat(JsonArguments.MAX_PARSED_CHARS) + "\"}";
        assertThat(JsonArguments.parse(huge).error()).startsWith("arguments too large to read (" + huge.length() + " chars");
    }
}
