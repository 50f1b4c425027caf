package dev.warden.instrumentation.langchain4j;

import dev.warden.bootstrap.langchain4j.ModelActions;
import dev.warden.instrumentation.api.ActionDescription;
import dev.warden.instrumentation.api.ActionEnricher;
import dev.warden.instrumentation.api.InstrumentationModule;
import dev.warden.instrumentation.api.TypeInstrumentation;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

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

    /** Everything the advice collects is already a fact, and none of it is user data: the receipt keeps it all. */
    @Override
    public ActionEnricher enricher() {
        return request -> {
            String model = request.target() == null ? "" : request.target();
            Map<String, String> summary = new TreeMap<>();
            request.attributes().forEach((name, value) -> summary.put(name, String.valueOf(value)));
            return new ActionDescription("chat", model, Set.of(model), request.attributes(), summary);
        };
    }
}
