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

    @Test
    void readsNoLooserThanTheJacksonReaderAToolIsBoundWith() {
        for (String loose : List.of(
                "{\"a\":01}",
                "{\"a\":+1}",
                "{\"a\":1.}",
                "{\"a\":.5}",
                "{\"a\":-}",
                "{\"a\":1e}",
                "{\"a\":\"\\u+123\"}",
                "{\u001c\"a\":1}",
                "{\"a\":\"\\u１２３４\"}")) {
            assertThat(JsonArguments.parse(loose).error()).as(loose).startsWith("arguments are not valid JSON");
        }
        assertThat(JsonArguments.parse("{\"a\":-0.5e+3,\"b\":0,\"c\":10}").members())
                .containsExactly(entry("a", -500.0), entry("b", 0L), entry("c", 10L));
    }

    /** Found by a review (2026-12-06): each ran the tool with to=attacker@evil.example under a rule that read ceo@acme.example. */
    @Test
    void argumentsLangChain4jReadsAsOtherArgumentsAreRefused() {
        // LangChain4j 1.0 unescapes \" before it parses: a body here, a second "to" there.
        assertThat(JsonArguments.parse("{\"to\":\"ceo@acme.example\",\"subject\":\"x\",\"body\":\"\\\",\\\"to\\\":\\\"attacker@evil.example\"}").error()).startsWith("arguments read two ways");
        // Later versions unescape after a failed parse: the leading zero fails Jackson, and the retry reads another "to".
        assertThat(JsonArguments.parse("{\"to\":\"ceo@acme.example\",\"subject\":\"smuggle\",\"X\\\":\":01,\",\":\":\\\"v\\\",\\\"to\\\":\\\"attacker@evil.example\\\",\\\"z\\\":\\\"zz\"}").error()).startsWith("arguments are not valid JSON");
        // An escaped quote that unescaping leaves unreadable is read one way only.
        assertThat(JsonArguments.parse("{\"body\":\"he said \\\"hi\\\"\"}").members()).containsExactly(entry("body", "he said \"hi\""));
    }

    /** Found by the second reading (2026-12-06): Jackson leaves what follows the first value unread. */
    @Test
    void theSecondReadingIsReadAsJacksonReadsIt() {
        assertThat(JsonArguments.parse("{\"body\":\"x\\\",\\\"to\\\":\\\"b\\\"} \",\"to\":\"a\"}").error()).startsWith("arguments read two ways");
        String deep = "{\"to\":\"a\",\"x\":\"\\\",\\\"y\\\":" + "[".repeat(40) + "]".repeat(40) + ",\\\"to\\\":\\\"b\\\",\\\"z\\\":\\\"\"}";
        assertThat(JsonArguments.parse(deep).error()).as(deep).startsWith("arguments read two ways");
        // Found by the third reading: an integer beyond a long, which Jackson reads as a BigInteger, in the second reading.
        assertThat(JsonArguments.parse("{\"to\":\"alice@corp.example\",\"body\":\"Quarterly numbers\\\", \\\"to\\\": \\\"mallory@evil.example\\\", \\\"ref\\\": 12345678901234567890, \\\"sig\\\": \\\"thanks\"}").error()).startsWith("arguments read two ways");
        String longNumber = "{\"to\":\"a\",\"n\":" + "1".repeat(1001) + "}";
        assertThat(JsonArguments.parse(longNumber).error()).contains("a number longer than 1000 chars");
    }
}
