package dev.warden.instrumentation.langchain4j;

import dev.warden.bootstrap.langchain4j.ModelActions;
import dev.warden.instrumentation.api.ActionEnricher;
import dev.warden.instrumentation.api.InstrumentationModule;
import dev.warden.instrumentation.api.TypeInstrumentation;

import java.util.List;

/** The {@code model} surface: LangChain4j chat-model calls, blocking and streaming. */
public final class ModelInstrumentationModule implements InstrumentationModule {

    @Override
    public String surface() {
        return ModelActions.SURFACE;
    }

    @Override
    public List<TypeInstrumentation> typeInstrumentations() {
        return List.of(new AiServiceInvocationInstrumentation(), new StreamingInvocationInstrumentation(),
                new ChatModelInstrumentation(), new StreamingChatModelInstrumentation(),
                new StreamingChatModelInstrumentation.HandlerInstrumentation());
    }

    @Override
    public ActionEnricher enricher() {
        return new ModelActionEnricher();
    }
}
