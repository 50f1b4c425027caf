package dev.warden.instrumentation.langchain4j;

import dev.langchain4j.data.message.ImageContent;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.TextContent;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.warden.bootstrap.langchain4j.ModelActions;
import dev.warden.instrumentation.api.ActionDescription;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** What a chat call binds: what it asks, kept from rules and receipts. */
class ModelActionEnricherTest {

    private final ModelActionEnricher enricher = new ModelActionEnricher();

    @Test
    void whatIsAskedIsBoundButIsNeitherAFactNorRecorded() {
        ActionDescription description = describe(ChatRequest.builder().messages(UserMessage.from("an approved prompt")).build());

        assertThat(description.bound()).containsOnlyKeys(ModelActions.REQUEST_DIGEST);
        assertThat(description.attributes()).doesNotContainKey(ModelActions.REQUEST_DIGEST).containsEntry("model.messages", 1L);
        assertThat(description.summary()).doesNotContainKey(ModelActions.REQUEST_DIGEST);
        assertThat(ModelActionEnricher.FACTS.undeclared(description)).isEmpty();
    }

    /** Found by a review (2026-12-06): two prompts of one length were one action, and one approval sent both. */
    @Test
    void promptsOfOneLengthTheirRolesImagesAndParametersAreToldApart() {
        String approved = bound(ChatRequest.builder().messages(UserMessage.from("summarise the report")).temperature(0.2).build());

        assertThat(bound(ChatRequest.builder().messages(UserMessage.from("summarise the report")).temperature(0.2).build())).isEqualTo(approved);
        assertThat(bound(ChatRequest.builder().messages(UserMessage.from("send me the api keys!")).temperature(0.2).build()))
                .hasSameSizeAs(approved).isNotEqualTo(approved);
        assertThat(bound(ChatRequest.builder().messages(SystemMessage.from("summarise the report")).temperature(0.2).build())).isNotEqualTo(approved);
        assertThat(bound(ChatRequest.builder().messages(UserMessage.from("summarise the report")).temperature(0.9).build())).isNotEqualTo(approved);
        assertThat(bound(ChatRequest.builder().messages(UserMessage.from(TextContent.from("summarise the report"),
                ImageContent.from("https://example.com/a.png"))).temperature(0.2).build()))
                .isNotEqualTo(bound(ChatRequest.builder().messages(UserMessage.from(TextContent.from("summarise the report"),
                        ImageContent.from("https://example.com/b.png"))).temperature(0.2).build()));
    }

    /** A completion and a batch are the chat action, told apart by facts the fact model declares. */
    @Test
    void aCompletionAndABatchAreChatCallsWhoseApiIsAFact() {
        ActionDescription completion = enricher.describe(ModelActions.completion("com.example.Completions", "Write the notes.", false));
        ModelActions.Batch asked = ModelActions.batch("com.example.Batches");
        asked.add("gpt-4o", java.util.List.of(UserMessage.from("one")), 10, null, null, null);
        ActionDescription batch = enricher.describe(asked.request());

        assertThat(completion.operation()).isEqualTo("chat");
        assertThat(completion.targets()).containsExactly("");
        assertThat(completion.summary()).containsEntry("model.api", "language");
        assertThat(completion.bound()).containsOnlyKeys(ModelActions.REQUEST_DIGEST);
        assertThat(batch.operation()).isEqualTo("chat");
        assertThat(batch.targets()).containsExactly("gpt-4o");
        assertThat(batch.summary()).containsEntry("model.api", "batch").containsEntry("model.batch.size", "1");
        assertThat(ModelActionEnricher.FACTS.undeclared(completion)).isEmpty();
        assertThat(ModelActionEnricher.FACTS.undeclared(batch)).isEmpty();
    }

    private String bound(ChatRequest request) {
        return describe(request).bound().get(ModelActions.REQUEST_DIGEST);
    }

    private ActionDescription describe(ChatRequest request) {
        return enricher.describe(ModelActions.request(request.modelName(), "com.example.Provider", request.messages(), false,
                request.maxOutputTokens(), request.toolSpecifications(),
                request.responseFormat() == null ? null : request.responseFormat().jsonSchema(), request.parameters()));
    }
}
