package dev.warden.instrumentation.langchain4j;

import dev.langchain4j.model.batch.BatchPage;
import dev.langchain4j.model.batch.BatchPagination;
import dev.langchain4j.model.batch.BatchRequest;
import dev.langchain4j.model.batch.BatchResponse;
import dev.langchain4j.model.chat.BatchChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.language.DisabledLanguageModel;
import dev.langchain4j.model.language.DisabledStreamingLanguageModel;
import dev.langchain4j.model.StreamingResponseHandler;
import dev.warden.instrumentation.api.TypeInstrumentation;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The model-call instrumentations find LangChain4j's methods that send a prompt (1.19's signatures), and only those: a
 * matcher that matches nothing after a rename would leave the calls undecided.
 */
class ModelCallTargetsTest {

    /** An application's batch model: what a provider's implements. */
    static final class Batches implements BatchChatModel {
        @Override
        public BatchResponse<ChatResponse> submit(BatchRequest<ChatRequest> batch) {
            return null;
        }

        @Override
        public BatchResponse<ChatResponse> retrieve(String batchId) {
            return null;
        }

        @Override
        public void cancel(String batchId) {
        }

        @Override
        public BatchPage<ChatResponse> list(BatchPagination pagination) {
            return null;
        }
    }

    /** A handler that leaves {@code onComplete} to the interface's default. */
    static final class Printer implements StreamingResponseHandler<String> {
        @Override
        public void onNext(String token) {
        }

        @Override
        public void onError(Throwable error) {
        }
    }

    @Test
    void aLanguageModelsGenerateIsAdvisedForATextAndAPrompt() {
        assertThat(advised(new LanguageModelInstrumentation(), DisabledLanguageModel.class))
                .containsExactly("generate(java.lang.String)", "generate(dev.langchain4j.model.input.Prompt)");
    }

    @Test
    void aStreamingLanguageModelsGenerateIsAdvisedForATextAndAPrompt() {
        assertThat(advised(new StreamingLanguageModelInstrumentation(), DisabledStreamingLanguageModel.class))
                .containsExactly("generate(java.lang.String,dev.langchain4j.model.StreamingResponseHandler)",
                        "generate(dev.langchain4j.model.input.Prompt,dev.langchain4j.model.StreamingResponseHandler)");
    }

    @Test
    void aBatchIsAdvisedWhereItIsSubmittedOnly() {
        assertThat(advised(new BatchChatModelInstrumentation(), Batches.class)).containsExactly("submit(dev.langchain4j.model.batch.BatchRequest)");
    }

    @Test
    void theHandlersCompletionIsAdvisedOnTheInterfaceThatMostHandlersInheritItFrom() {
        TypeInstrumentation handlers = new StreamingLanguageModelInstrumentation.HandlerInstrumentation();

        assertThat(advised(handlers, StreamingResponseHandler.class)).containsExactly("onComplete(dev.langchain4j.model.output.Response)");
        assertThat(handlers.typeMatcher().matches(TypeDescription.ForLoadedType.of(Printer.class))).isTrue();
        assertThat(advised(handlers, Printer.class)).isEmpty();
    }

    @Test
    void otherModelsAreNotMatched() {
        assertThat(new LanguageModelInstrumentation().typeMatcher().matches(TypeDescription.ForLoadedType.of(Batches.class))).isFalse();
        assertThat(new BatchChatModelInstrumentation().typeMatcher().matches(TypeDescription.ForLoadedType.of(DisabledLanguageModel.class)))
                .isFalse();
    }

    /** The methods the instrumentation advises on {@code type}, which its type matcher must match. */
    private static List<String> advised(TypeInstrumentation instrumentation, Class<?> type) {
        TypeDescription described = TypeDescription.ForLoadedType.of(type);
        assertThat(instrumentation.typeMatcher().matches(described)).as(type.getName()).isTrue();
        List<ElementMatcher<? super MethodDescription>> advices = new ArrayList<>();
        instrumentation.transform((methods, advice) -> advices.add(methods));
        List<String> advised = new ArrayList<>();
        for (MethodDescription.InDefinedShape method : described.getDeclaredMethods()) {
            if (advices.stream().anyMatch(matcher -> matcher.matches(method))) {
                advised.add(method.getName() + "(" + String.join(",", method.getParameters().asTypeList().asErasures()
                        .stream().map(TypeDescription::getName).toList()) + ")");
            }
        }
        return advised;
    }
}
