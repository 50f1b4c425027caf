package dev.warden.instrumentation.langchain4j;

import dev.langchain4j.agent.tool.P;
import dev.langchain4j.agent.tool.Tool;
import dev.langchain4j.agent.tool.ToolMemoryId;
import dev.langchain4j.service.tool.DefaultToolExecutor;
import dev.warden.bootstrap.langchain4j.ToolActions;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Found by a fifth review (2026-12-06): a tool call is decided, counted by loop rules and approved as the method
 * receives it. LangChain4j ignores members that name no parameter and converts a value to its parameter's type, so
 * {@code {"id":1,"x":2}}, {@code {"id":1.0}} and {@code {"id":"1"}} are all {@code lookup_note(1)}: one action.
 */
class BoundArgumentsTest {

    private final ToolActionEnricher enricher = new ToolActionEnricher();

    public enum Visibility { PRIVATE, PUBLIC }

    @SuppressWarnings("unused")
    public static final class Notes {
        @Tool
        public String share(String id, @P(value = "who may see it", defaultValue = "PUBLIC") Visibility visibility,
                            @P(value = "copies", defaultValue = "2") int copies,
                            @P(value = "note", defaultValue = "say \"hi\"") String note) {
            return "shared";
        }

        @Tool
        public String publish(@P(value = "who may see it", required = false) java.util.Optional<Visibility> visibility,
                              @P(value = "copies", required = false) java.util.Optional<Integer> copies) {
            return "published";
        }

        @Tool
        public String lookup_note(int id, @ToolMemoryId String memory) {
            return "note " + id;
        }

        @Tool
        public String pay(@P(value = "to whom", name = "payee") String to, double amount, float rate, BigDecimal fee,
                          long account, java.util.UUID order, List<String> tags) {
            return "paid";
        }
    }

    @Test
    void membersThatNameNoParameterAreNotTheCallButAreListed() throws Exception {
        Map<String, Object> plain = facts("lookup_note", "{\"id\":1}");
        Map<String, Object> extra = facts("lookup_note", "{\"id\":1,\"x\":2,\"memory\":\"other\"}");

        assertThat(extra).containsEntry("tool.arguments", "{\"id\":1}").containsEntry("arg.id", 1L)
                .containsEntry("tool.arguments.names", Set.of("id"))
                .as("bound to the memory id, not to the member").containsEntry("tool.arguments.unbound", Set.of("memory", "x"))
                .doesNotContainKeys("arg.x", "arg.memory");
        assertThat(without(extra, "tool.arguments.unbound")).isEqualTo(plain);
        assertThat(enricher.describe(request("lookup_note", "{\"id\":1,\"x\":2}")).summary())
                .containsEntry("tool.arguments.names", "id").containsEntry("tool.arguments.unbound", "x");
    }

    @Test
    void anIntegerIsTheValueTheIntParameterReceivesHoweverItIsWritten() throws Exception {
        Map<String, Object> plain = facts("lookup_note", "{\"id\":1}");
        for (String spelled : List.of("1.0", "1e0", "1.00", "\"1\"", "\" 1 \"", "10e-1")) {
            assertThat(facts("lookup_note", "{\"id\":" + spelled + "}")).as(spelled).isEqualTo(plain);
        }
        assertThat(facts("lookup_note", "{\"id\":2.0}")).as("another id").containsEntry("tool.arguments", "{\"id\":2}")
                .containsEntry("arg.id", 2L);
    }

    /** What LangChain4j refuses (the call fails at binding) is never read as a value it binds. */
    @Test
    void aValueTheParameterRefusesStaysAsWritten() throws Exception {
        assertThat(facts("lookup_note", "{\"id\":1.5}")).containsEntry("tool.arguments", "{\"id\":1.5}");
        assertThat(facts("lookup_note", "{\"id\":\"1d\"}")).as("1.19 refuses what Double.parseDouble reads")
                .containsEntry("tool.arguments", "{\"id\":\"1d\"}");
        assertThat(facts("lookup_note", "{\"id\":3000000000}")).as("beyond an int")
                .containsEntry("tool.arguments", "{\"id\":3000000000}");
        assertThat(facts("lookup_note", "{\"id\":true}")).containsEntry("tool.arguments", "{\"id\":true}");
        assertThat(facts("lookup_note", "{\"id\":null}")).containsEntry("tool.arguments", "{\"id\":null}");
    }

    @Test
    void eachParameterTypeHasOneFormOfWhatItReceives() throws Exception {
        Map<String, Object> facts = facts("pay", "{\"payee\":42,\"amount\":\"12.50\",\"rate\":0.1,\"fee\":\"1.10\","
                + "\"account\":\"7\",\"order\":\"0-0-0-0-1\",\"tags\":[\"a\"],\"to\":\"x\"}");

        assertThat(facts).containsEntry("arg.payee", "42").containsEntry("arg.amount", 12.5).containsEntry("arg.rate", 0.1f)
                .containsEntry("arg.fee", new BigDecimal("1.10")).containsEntry("arg.account", 7L)
                .containsEntry("arg.order", "00000000-0000-0000-0000-000000000001")
                .as("a list as written: converted by Jackson, maybe into the application's classes").containsEntry("arg.tags", "[\"a\"]")
                .as("1.0 binds by the parameter's name, later versions by @P(name): both kept").containsEntry("arg.to", "x");
        assertThat(facts.get("tool.arguments")).isEqualTo("{\"account\":7,\"amount\":12.5,\"fee\":1.10,\"order\":"
                + "\"00000000-0000-0000-0000-000000000001\",\"payee\":\"42\",\"rate\":0.1,\"tags\":[\"a\"],\"to\":\"x\"}");
        assertThat(facts("pay", "{\"fee\":1.1}").get("arg.fee")).as("1.1 and 1.10 are two BigDecimals to the tool")
                .isNotEqualTo(facts.get("arg.fee"));
    }

    /**
     * Found by a twelfth review (2026-12-07): LangChain4j binds {@code @P(defaultValue)} where the member is absent or
     * {@code null}, so those calls are decided with the default, and are the call that writes it.
     */
    @Test
    void anAbsentOrNullMemberIsItsParametersDefault() throws Exception {
        Map<String, Object> absent = facts("share", "{\"id\":\"d\"}");

        assertThat(absent).containsEntry("arg.visibility", "PUBLIC").containsEntry("arg.copies", 2L)
                .containsEntry("arg.note", "say \"hi\"").containsEntry("tool.arguments.names", Set.of("id", "visibility", "copies", "note"))
                .containsEntry("tool.arguments", "{\"copies\":2,\"id\":\"d\",\"note\":\"say \\\"hi\\\"\",\"visibility\":\"PUBLIC\"}");
        assertThat(facts("share", "{\"id\":\"d\",\"visibility\":null,\"copies\":null,\"note\":null}")).isEqualTo(absent);
        assertThat(facts("share", "{\"id\":\"d\",\"visibility\":\"public\",\"copies\":2.0,\"note\":\"say \\\"hi\\\"\"}"))
                .isEqualTo(absent);
        assertThat(facts("share", "{\"id\":\"d\",\"visibility\":\"PRIVATE\",\"copies\":5}")).as("a value written wins")
                .containsEntry("arg.visibility", "PRIVATE").containsEntry("arg.copies", 5L);
    }

    /** Found by a twelfth review (2026-12-07): an {@code Optional<T>}'s value is converted as a {@code T}'s is. */
    @Test
    void anOptionalsValueIsWhatItsElementTypeReceives() throws Exception {
        Map<String, Object> plain = facts("publish", "{\"visibility\":\"PUBLIC\",\"copies\":2}");

        assertThat(plain).containsEntry("arg.visibility", "PUBLIC").containsEntry("arg.copies", 2L);
        assertThat(facts("publish", "{\"visibility\":\"publ\u0131c\",\"copies\":\"2\"}")).isEqualTo(plain);
        assertThat(facts("publish", "{\"visibility\":\"public\",\"copies\":2.0}")).isEqualTo(plain);
    }

    /** An executor of the application's own hides the method: the arguments are read as written, as before. */
    @Test
    void withoutLangChain4jsExecutorTheArgumentsAreAsWritten() throws Exception {
        Map<String, Object> facts = enricher.describe(ToolActions.request("lookup_note", "{\"id\":1.0,\"x\":2}", "call-1", "m",
                null, null, null, true, (dev.langchain4j.service.tool.ToolExecutor) (request, memory) -> "", null)).attributes();

        assertThat(facts).containsEntry("tool.arguments", "{\"id\":1.0,\"x\":2}").containsEntry("tool.arguments.names", Set.of("id", "x"))
                .doesNotContainKey("tool.arguments.unbound");
    }

    @Test
    void theFactsAreDeclared() throws Exception {
        assertThat(ToolActionEnricher.FACTS.undeclared(enricher.describe(request("lookup_note", "{\"id\":1,\"x\":2}")))).isEmpty();
    }

    private Map<String, Object> facts(String tool, String arguments) throws ReflectiveOperationException {
        return without(enricher.describe(request(tool, arguments)).attributes(), "tool.callId");
    }

    private static dev.warden.bootstrap.ActionRequest request(String tool, String arguments) throws ReflectiveOperationException {
        java.lang.reflect.Method method = java.util.Arrays.stream(Notes.class.getMethods())
                .filter(candidate -> candidate.getName().equals(tool)).findFirst().orElseThrow();
        return ToolActions.request(tool, arguments, "call-" + arguments.hashCode(), "m-1", null, null, null, true,
                new DefaultToolExecutor(new Notes(), method), null);
    }

    private static Map<String, Object> without(Map<String, Object> attributes, String name) {
        Map<String, Object> rest = new java.util.HashMap<>(attributes);
        rest.remove(name);
        return rest;
    }
}
