package dev.warden.instrumentation.langchain4j;

import dev.warden.bootstrap.langchain4j.ModelActions;
import dev.warden.instrumentation.api.ActionEnricher;
import dev.warden.instrumentation.api.InstrumentationModule;
import dev.warden.instrumentation.api.TypeInstrumentation;

import java.util.List;

/**
 * The {@code model} surface: LangChain4j calls that send a prompt to a provider: chat models, blocking and streaming,
 * language models (completions), blocking and streaming, and batches of chat requests (1.19+).
 */
public final class ModelInstrumentationModule implements InstrumentationModule {

    @Override
    public String surface() {
        return ModelActions.SURFACE;
    }

    @Override
    public List<TypeInstrumentation> typeInstrumentations() {
        return List.of(new AiServiceInvocationInstrumentation(), new StreamingInvocationInstrumentation(),
                new ChatModelInstrumentation(), new StreamingChatModelInstrumentation(),
                new StreamingChatModelInstrumentation.HandlerInstrumentation(), new LanguageModelInstrumentation(),
                new StreamingLanguageModelInstrumentation(), new StreamingLanguageModelInstrumentation.HandlerInstrumentation(),
                new BatchChatModelInstrumentation(), new ToolReturnedInstrumentation());
    }

    @Override
    public ActionEnricher enricher() {
        return new ModelActionEnricher();
    }
}
