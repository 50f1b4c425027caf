package dev.warden.bootstrap.langchain4j;

import dev.warden.bootstrap.ActionRequest;
import dev.warden.bootstrap.ActionScope;
import dev.warden.bootstrap.Decision;
import dev.warden.bootstrap.Gate;
import dev.warden.bootstrap.Obligations;
import dev.warden.bootstrap.Outcome;
import dev.warden.bootstrap.TestGate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/** The input estimate of a chat call: a quarter of the characters its messages spell, each message spelled once. */
class ModelActionsTest {

    /** A message as a chat memory holds it: the same object sent again with every call. */
    private static final class Message {
        private final String text;
        private int spelled;

        Message(String text) {
            this.text = text;
        }

        @Override
        public String toString() {
            spelled++;
            return text;
        }
    }

    /** A model whose advice (inlined into its own method, as here) reports a call's usage. */
    private static final class Model {
        void reported(Decision decision, int total) {
            ModelActions.usage(this, decision, 0, total, total);
        }
    }

    @AfterEach
    void noEngine() {
        TestGate.clear();
    }

    /**
     * Found by the eleventh review (2026-12-07): a call's usage is taken once, and the public {@code ModelActions.usage}
     * and {@code Gate.observe} took it from anyone, so host code inside a permitted call reported 0 first and the
     * provider's report was ignored. Only the reporter the call's decision named reports, from its own class, once, and
     * the gate hears only Warden's own {@code ModelActions}.
     */
    @Test
    void onlyTheCallsOwnReporterReportsItsUsageAndOnce() {
        List<String> observed = new CopyOnWriteArrayList<>();
        TestGate.answerWith(new Gate.Engine() {
            @Override
            public Decision decide(ActionRequest request) {
                return new Decision(Outcome.PERMIT, true, List.of("r"), "ok", "call-1", Obligations.NONE);
            }

            @Override
            public void observe(String actionId, String surface, String kind, Map<String, Object> facts) {
                observed.add(actionId + " " + facts.get("usage.total"));
            }
        });
        Model model = new Model();
        ActionScope scope = ActionScope.enter(ModelActions.SURFACE);
        Decision decision;
        try {
            decision = ModelActions.decide(scope, ActionRequest.of(ModelActions.SURFACE, Map.of()), model);
            ModelActions.usage(model, decision, 0, 0, 0); // host code, naming the call's reporter
            ModelActions.usage(this, decision, 0, 0, 0); // host code, naming itself
            Gate.observe(decision.receiptId(), ModelActions.SURFACE, "usage", Map.of("usage.total", 0L));
            new Model().reported(decision, 0); // another model's advice
        } finally {
            scope.exit();
        }
        model.reported(decision, 600); // the call's own: taken by this class, but the gate hears only the boot loader's
        assertThat(observed).as("a unit test's ModelActions is not the boot loader's, so the gate hears none; "
                + "the real report is counted end to end (Lc4jToolCatalogBudgetEndToEndTest, streaming-zeroing)").isEmpty();
    }

    /**
     * Found by the twelfth review (2026-12-07): the caller of {@code ActionScope.nowSends} named the attribute the rewrite
     * may change, so host code in a scope of its own had a capped permit for one provider cover its own provider's call,
     * or other words of the same counts. Only the cap is taken now; the inner half of the capped call still inherits.
     */
    @Test
    void aCappedCallTakesOnlyTheCapsRewriteAsWhatItNowSends() {
        List<ActionRequest> decided = new CopyOnWriteArrayList<>();
        TestGate.answerWith(request -> {
            decided.add(request);
            return new Decision(Outcome.PERMIT, true, List.of("r"), "ok", "call-" + decided.size(), Obligations.maxOutput(500));
        });
        ActionRequest asked = ModelActions.request("m", "Vetted", List.of("hello"), false, null, null, null, "t=0.2");
        ActionRequest capped = ModelActions.request("m", "Vetted", List.of("hello"), false, 500, null, null, "t=0.2 max=500");
        ActionRequest otherProvider = ModelActions.request("m", "HostsOwn", List.of("hello"), false, 500, null, null, "t=0.2 max=500");
        ActionRequest otherWords = ModelActions.request("m", "Vetted", List.of("hellO"), false, 500, null, null, "t=0.2 max=500");

        for (ActionRequest sent : List.of(otherProvider, otherWords, capped)) {
            ActionScope outer = ActionScope.enter(ModelActions.SURFACE);
            try {
                ModelActions.decide(outer, asked, null);
                outer.nowSends(sent);
                ActionScope inner = ActionScope.enter(ModelActions.SURFACE);
                try {
                    inner.decide(sent);
                    assertThat(inner.inherited()).as("%s", sent).isEqualTo(sent == capped);
                } finally {
                    inner.exit();
                }
            } finally {
                outer.exit();
            }
        }
        assertThat(decided).containsExactly(asked, otherProvider, asked, otherWords, asked);
    }

    @Test
    void theEstimateIsAQuarterOfTheCharactersRoundedUp() {
        assertThat(ModelActions.estimateTokens(List.of(new Message("12345"), new Message("123")))).isEqualTo(2);
        assertThat(ModelActions.estimateTokens(List.of())).isZero();
        assertThat(ModelActions.estimateTokens(null)).isZero();
    }

    @Test
    void aMessageSentAgainIsNotSpelledAgain() {
        Message system = new Message("You are a support assistant.");
        Message question = new Message("Where is my parcel?");
        List<Message> firstCall = List.of(system, question);
        List<Message> secondCall = List.of(system, question, new Message("It left the depot."));

        long first = ModelActions.estimateTokens(firstCall);
        long second = ModelActions.estimateTokens(secondCall);

        assertThat(first).isEqualTo((28 + 19 + 3) / 4);
        assertThat(second).isEqualTo((28 + 19 + 18 + 3) / 4);
        assertThat(system.spelled).isEqualTo(1);
        assertThat(question.spelled).isEqualTo(1);
    }

    @Test
    void aMissingMessageCountsAsItsSpelling() {
        assertThat(ModelActions.estimateTokens(Arrays.asList(null, new Message("abcd")))).isEqualTo(2);
    }

    /** Found by a review (2026-12-06): the tools' specifications are billed as input, and may come from data (an MCP server). */
    @Test
    void theToolsSpecificationsAndTheResponseSchemaCountAsInput() {
        List<Message> messages = List.of(new Message("1234"));
        String catalog = "ToolSpecification { name = \"lookup\", description = \"" + "\u00e9".repeat(400) + "\" }";

        var bare = ModelActions.request("m", "p", messages, false, null, null, null).attributes();
        var specified = ModelActions.request("m", "p", messages, false, null, List.of(catalog, "x".repeat(100)), "y".repeat(40)).attributes();

        assertThat(bare).containsEntry("model.input.estimate", 1L).containsEntry("model.input.bound", 4L + 8).doesNotContainKey("model.tools");
        assertThat(specified).containsEntry("model.input.estimate", (4L + catalog.length() + 100 + 40 + 3) / 4)
                // The catalog as JSON: 400 é, 4 quotes and 2 "=" may each be escaped in six bytes.
                .containsEntry("model.input.bound", 4L + (catalog.length() - 406 + 6 * 406) + 100 + 40 + 8 * 4)
                .containsEntry("model.tools", 2L);
    }

    /** A second reading: control characters in a catalog are one byte of its spelling and six of its JSON. */
    @Test
    void aSpecificationIsBoundedByWhatItsJsonCanTake() {
        assertThat(ModelActions.asJson(List.of("a\u0001\"<b>"))).containsExactly(6, 1 + 6 + 6 + 6 + 1 + 6);
        assertThat(ModelActions.asJson(null)).containsExactly(0, 0);
    }

    /** Found by a review (2026-12-06): the digest held counts and sizes, so one approval sent another prompt of one length. */
    @Test
    void whatIsAskedIsBoundAsADigestThatTellsPromptsOfOneLengthApart() {
        Object approved = digest(List.of("summarise the quarterly report"), null, null, "temperature=0.2");
        Object same = digest(List.of("summarise the quarterly report"), null, null, "temperature=0.2");
        Object other = digest(List.of("send me every customer secret"), null, null, "temperature=0.2");
        Object warmer = digest(List.of("summarise the quarterly report"), null, null, "temperature=1.0");
        Object withATool = digest(List.of("summarise the quarterly report"), List.of("ToolSpecification { name = \"mail\" }"), null,
                "temperature=0.2");
        Object split = digest(List.of("summarise the", " quarterly report"), null, null, "temperature=0.2");

        assertThat(approved.toString()).matches("[0-9a-f]{64}");
        assertThat(approved).isEqualTo(same).isNotEqualTo(other).isNotEqualTo(warmer).isNotEqualTo(withATool).isNotEqualTo(split);
    }

    /**
     * Found by the twelfth review (2026-12-07): a cap rewrites the parameters only, so what is asked besides them is what a
     * capped request must still ask ({@code ActionScope.nowSends}); the whole request's digest is as it was.
     */
    @Test
    void whatIsAskedBesidesTheParametersIsBoundApartAndACapLeavesItAsItWas() {
        ActionRequest asked = ModelActions.request("m", "p", List.of("summarise the quarterly report"), false, null, null, null,
                "temperature=0.2");
        ActionRequest capped = ModelActions.request("m", "p", List.of("summarise the quarterly report"), false, 500, null, null,
                "temperature=0.2 maxOutputTokens=500");
        ActionRequest other = ModelActions.request("m", "p", List.of("send me every customer secret"), false, 500, null, null,
                "temperature=0.2 maxOutputTokens=500");

        assertThat(asked.attribute(ModelActions.REQUEST_DIGEST))
                .isEqualTo(digest(List.of("summarise the quarterly report"), null, null, "temperature=0.2"));
        assertThat(asked.attribute(ModelActions.ASKED_DIGEST).toString()).matches("[0-9a-f]{64}")
                .isNotEqualTo(asked.attribute(ModelActions.REQUEST_DIGEST));
        assertThat(capped.attribute(ModelActions.ASKED_DIGEST)).isEqualTo(asked.attribute(ModelActions.ASKED_DIGEST))
                .isNotEqualTo(other.attribute(ModelActions.ASKED_DIGEST));
        assertThat(capped.attribute(ModelActions.REQUEST_DIGEST)).isNotEqualTo(asked.attribute(ModelActions.REQUEST_DIGEST));
    }

    /** A message of a class that is not LangChain4j's may spell anything: it is bound as a nonce, a new action every time. */
    @Test
    void aMessageWarderCannotReadIsANewActionEveryTime() {
        Message unknown = new Message("the same text");

        assertThat(digest(List.of(unknown), null, null, null)).isNotEqualTo(digest(List.of(unknown), null, null, null));
    }

    /** The fourth review's item: a completion is the chat action a policy and a budget for chat models already cover. */
    @Test
    void aCompletionIsAChatCallOfTheLanguageApiThatNamesNoModel() {
        var completion = ModelActions.completion("com.example.Completions", "Write the release notes.", true);

        assertThat(completion.surface()).isEqualTo("model");
        assertThat(completion.operation()).isEqualTo("chat");
        assertThat(completion.target()).isEmpty();
        assertThat(completion.attributes()).containsEntry("model.api", "language").containsEntry("model.name", "")
                .containsEntry("model.provider", "com.example.Completions").containsEntry("model.streaming", true)
                .containsEntry("model.messages", 1L).containsEntry("model.input.estimate", 6L).containsEntry("model.input.bound", 24L + 8)
                .doesNotContainKeys("model.maxOutput", "model.tools", "model.batch.size");
        assertThat(ModelActions.request("m", "p", List.of("x"), false, null, null, null).attributes()).containsEntry("model.api", "chat");
    }

    @Test
    void aCompletionBindsItsPrompt() {
        Object approved = ModelActions.completion("p", "summarise the report", false).attribute(ModelActions.REQUEST_DIGEST);

        assertThat(ModelActions.completion("p", "summarise the report", false).attribute(ModelActions.REQUEST_DIGEST)).isEqualTo(approved);
        assertThat(ModelActions.completion("p", "send me the api keys", false).attribute(ModelActions.REQUEST_DIGEST))
                .isNotEqualTo(approved);
    }

    /** A batch sends every request at once: one action counting all of them, named by their model when they agree. */
    @Test
    void aBatchIsOneChatActionOverAllItsRequests() {
        ModelActions.Batch batch = ModelActions.batch("com.example.Batches");
        batch.add("gpt-4o", List.of("1234", "12345678"), 100, null, null, null);
        batch.add("gpt-4o", List.of("1234"), 50, List.of("tool"), null, null);
        var action = batch.request();

        assertThat(action.operation()).isEqualTo("chat");
        assertThat(action.target()).isEqualTo("gpt-4o");
        assertThat(action.attributes()).containsEntry("model.api", "batch").containsEntry("model.batch.size", 2L)
                .containsEntry("model.streaming", false).containsEntry("model.messages", 3L).containsEntry("model.tools", 1L)
                .containsEntry("model.input.estimate", (4L + 8 + 4 + 4 + 3) / 4)
                .containsEntry("model.input.bound", 4L + 8 + 4 + 4 + 8 * 4).containsEntry("model.maxOutput", 150L);
    }

    @Test
    void aBatchOfTwoModelsNamesNoneAndOneWithoutAMaximumSaysNoMaximum() {
        ModelActions.Batch batch = ModelActions.batch("p");
        batch.add("gpt-4o", List.of("a"), 100, null, null, null);
        batch.add("gpt-4o-mini", List.of("b"), null, null, null, null);
        var action = batch.request();

        assertThat(action.target()).isEmpty();
        assertThat(action.attributes()).containsEntry("model.name", "").doesNotContainKey("model.maxOutput");
    }

    @Test
    void aBatchBindsEachRequestInOrder() {
        assertThat(batchDigest("approved", "second")).isEqualTo(batchDigest("approved", "second"))
                .isNotEqualTo(batchDigest("second", "approved")).isNotEqualTo(batchDigest("approved", "another"))
                .isNotEqualTo(digest(List.of("approved"), null, null, null));
    }

    private static Object batchDigest(String... prompts) {
        ModelActions.Batch batch = ModelActions.batch("p");
        for (String prompt : prompts) {
            batch.add("m", List.of(prompt), null, null, null, null);
        }
        return batch.request().attribute(ModelActions.REQUEST_DIGEST);
    }

    private static Object digest(List<?> messages, List<?> tools, Object schema, Object parameters) {
        return ModelActions.request("m", "p", messages, false, null, tools, schema, parameters).attribute(ModelActions.REQUEST_DIGEST);
    }
}
