package dev.warden.instrumentation.langchain4j;

import dev.warden.bootstrap.langchain4j.ToolActions;
import dev.warden.instrumentation.api.ActionEnricher;
import dev.warden.instrumentation.api.InstrumentationModule;
import dev.warden.instrumentation.api.TypeInstrumentation;

import java.util.List;

/** The {@code tool} surface: LangChain4j tool calls, whichever path they take (AI service, executor, MCP). */
public final class ToolInstrumentationModule implements InstrumentationModule {

    @Override
    public String surface() {
        return ToolActions.SURFACE;
    }

    @Override
    public List<TypeInstrumentation> typeInstrumentations() {
        return List.of(new ToolServiceInstrumentation(), new ToolServiceContextInstrumentation(), new ToolExecutorInstrumentation(),
                new ToolExecutorDefaultsInstrumentation(), new McpClientInstrumentation(),
                new ModelAskedInstrumentation());
    }

    @Override
    public ActionEnricher enricher() {
        return new ToolActionEnricher();
    }
}
