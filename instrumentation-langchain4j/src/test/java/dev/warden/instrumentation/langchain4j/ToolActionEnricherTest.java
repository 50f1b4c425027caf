package dev.warden.instrumentation.langchain4j;

import dev.warden.bootstrap.ActionRequest;
import dev.warden.instrumentation.api.ActionDescription;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** A tool call as rules and receipts see it. */
class ToolActionEnricherTest {

    private final ToolActionEnricher enricher = new ToolActionEnricher();

    @Test
    void argumentsBecomeFactsButOnlyTheirNamesReachTheReceipt() {
        String arguments = "{\"to\":\"vp@partner.example\",\"body\":\"secret plans\"}";
        ActionDescription description = enricher.describe(new ActionRequest("tool", "email_send", "email_send", Map.of(
                "tool.arguments", arguments, "tool.callId", "call-7", "memoryId", "rita-1")));

        assertThat(description.operation()).isEqualTo("email_send");
        assertThat(description.targets()).containsExactly("email_send");
        assertThat(description.attributes()).containsEntry("arg.to", "vp@partner.example").containsEntry("tool.arguments.size", (long) arguments.length());
        assertThat(description.summary()).containsEntry("tool.arguments.names", "body,to").containsEntry("tool.callId", "call-7")
                .containsEntry("memoryId", "rita-1");
        assertThat(description.summary().values()).noneMatch(value -> value.contains("secret plans") || value.contains("vp@"));
    }

    /** Found by a review (2026-12-06): the same call spelled another way was another action to loop rules and approvals. */
    @Test
    void argumentsSpelledAnotherWayAreTheSameFacts() {
        Map<String, Object> written = enricher.describe(new ActionRequest("tool", "pay", "pay",
                Map.of("tool.arguments", "{\"to\":\"acme\",\"amount\":5000,\"meta\":{\"b\":1,\"a\":[\"x\"]}}"))).attributes();
        Map<String, Object> respelled = enricher.describe(new ActionRequest("tool", "pay", "pay",
                Map.of("tool.arguments", "{ \"amount\" : 5000 ,\n \"meta\":{\"b\" :1, \"a\":[ \"\\u0078\"]}, \"t\\u006f\":\"acm\\u0065\" }"))).attributes();

        String asRead = "{\"amount\":5000,\"meta\":{\"b\":1,\"a\":[\"x\"]},\"to\":\"acme\"}";
        assertThat(respelled).isEqualTo(written);
        assertThat(written).containsEntry("tool.arguments", asRead).containsEntry("tool.arguments.size", (long) asRead.length());
    }

    /** Found by a review (2026-12-06): LangChain4j binds "public" and "publ\u0131c" to PUBLIC, after an upper-casing. */
    @Test
    void anEnumArgumentIsTheConstantLangChain4jBinds() {
        Map<String, Object> enums = Map.of("visibility", java.util.List.of("PRIVATE", "PUBLIC"));
        for (String spelled : java.util.List.of("PUBLIC", "public", "publ\u0131c", "Public")) {
            Map<String, Object> attributes = enricher.describe(new ActionRequest("tool", "share_doc", "share_doc", Map.of(
                    "tool.arguments", "{\"id\":\"a\",\"visibility\":\"" + spelled + "\"}",
                    dev.warden.bootstrap.langchain4j.EnumParameters.ATTRIBUTE, enums))).attributes();

            assertThat(attributes).as(spelled).containsEntry("arg.visibility", "PUBLIC")
                    .containsEntry("tool.arguments", "{\"id\":\"a\",\"visibility\":\"PUBLIC\"}")
                    .doesNotContainKey(dev.warden.bootstrap.langchain4j.EnumParameters.ATTRIBUTE);
        }
        assertThat(enricher.describe(new ActionRequest("tool", "share_doc", "share_doc", Map.of(
                "tool.arguments", "{\"visibility\":\"everyone\"}", dev.warden.bootstrap.langchain4j.EnumParameters.ATTRIBUTE, enums)))
                .attributes()).as("no constant: the binding fails, the text stays").containsEntry("arg.visibility", "everyone");
    }

    @Test
    void anObjectOrArrayArgumentIsItsJsonTextInTheOrderWritten() {
        Map<String, Object> attributes = enricher.describe(new ActionRequest("tool", "t", "t",
                Map.of("tool.arguments", "{\"cc\":[\"a, b\"],\"headers\":{\"z\":\"1\",\"a\":null}}"))).attributes();

        assertThat(attributes).containsEntry("arg.cc", "[\"a, b\"]").containsEntry("arg.headers", "{\"z\":\"1\",\"a\":null}");
        assertThat(enricher.describe(new ActionRequest("tool", "t", "t", Map.of("tool.arguments", "{\"cc\":[\"a\",\"b\"]}")))
                .attributes().get("arg.cc")).as("two recipients are not one").isEqualTo("[\"a\",\"b\"]");
    }

    /** Found by a second reading (2026-12-06): 1e400 reads as Infinity, which JSON cannot write. */
    @Test
    void aNumberBeyondADoubleIsWrittenAsItReads() {
        assertThat(enricher.describe(new ActionRequest("tool", "t", "t", Map.of("tool.arguments", "{\"amount\":1e400}"))).attributes())
                .containsEntry("tool.arguments", "{\"amount\":Infinity}").containsEntry("arg.amount", Double.POSITIVE_INFINITY);
    }

    @Test
    void argumentsThatCannotBeReadKeepTheirText() {
        Map<String, Object> attributes = enricher.describe(new ActionRequest("tool", "t", "t",
                Map.of("tool.arguments", "{ \"a\": 01 }"))).attributes();

        assertThat(attributes).containsEntry("tool.arguments", "{ \"a\": 01 }").containsKey("tool.arguments.error");
    }

    @Test
    void unreadableArgumentsAreFlaggedForTheRules() {
        ActionDescription description = enricher.describe(new ActionRequest("tool", "email_send", "email_send",
                Map.of("tool.arguments", "not json")));

        assertThat(description.attributes().get("tool.arguments.error")).asString().startsWith("arguments are not valid JSON");
        assertThat(description.summary()).containsKey("tool.arguments.error");
    }

    @Test
    void hugeArgumentsAreMeasuredNotCarried() {
        String huge = "x".repeat(2 * JsonArguments.MAX_PARSED_CHARS);
        ActionDescription description = enricher.describe(new ActionRequest("tool", "t", "t", Map.of("tool.arguments", huge)));

        assertThat(description.attributes()).doesNotContainKey("tool.arguments").containsEntry("tool.arguments.size", (long) huge.length());
    }

    /** Found by a review (2026-12-06): an approval of one huge call let another of the same size run. */
    @Test
    void hugeArgumentsOfOneSizeAndOtherContentsAreOtherActions() {
        String approved = "{\"body\":\"APPROVED " + "a".repeat(JsonArguments.MAX_PARSED_CHARS) + "\"}";
        String other = "{\"body\":\"EVIL-XXX " + "b".repeat(JsonArguments.MAX_PARSED_CHARS) + "\"}";
        Object first = enricher.describe(new ActionRequest("tool", "t", "t", Map.of("tool.arguments", approved)))
                .attributes().get("tool.arguments.sha256");
        Object second = enricher.describe(new ActionRequest("tool", "t", "t", Map.of("tool.arguments", other)))
                .attributes().get("tool.arguments.sha256");
        assertThat(first).isNotNull().isNotEqualTo(second);
    }

    /** The rule linter checks rules against the declared facts: a fact described but not declared would be flagged as a typo. */
    @Test
    void everyFactOfAToolOrModelCallIsDeclared() throws ReflectiveOperationException {
        ActionDescription tool = enricher.describe(dev.warden.bootstrap.langchain4j.ToolActions.request("email_send",
                "{\"to\":\"a@b.example\",\"cc\":[1,2]}", "call-1", "m-1", "com.example.Assistant", "chat",
                Map.of("warden.actor", "bot", "warden.onBehalfOf", "rita", "warden.session", "s-1"), true, null, null));
        ActionDescription broken = enricher.describe(dev.warden.bootstrap.langchain4j.ToolActions.request("t", "not json",
                null, null, null, null, null, false, null, null));
        ActionDescription model = new ModelActionEnricher().describe(dev.warden.bootstrap.langchain4j.ModelActions.request(
                "gpt-x", "com.example.Model", java.util.List.of("hello"), true, 100, java.util.List.of("a tool"), "a schema"));

        assertThat(tool.attributes()).containsKeys("arg.to", "arg.cc", "actor", "session");
        assertThat(ToolActionEnricher.FACTS.undeclared(tool)).isEmpty();
        assertThat(ToolActionEnricher.FACTS.undeclared(broken)).isEmpty();
        assertThat(ModelActionEnricher.FACTS.undeclared(model)).isEmpty();
        assertThat(ModelActionEnricher.FACTS.undeclared(tool)).contains("operation email_send", "arg.to");
    }
}
