package dev.warden.instrumentation.process;

import dev.warden.bootstrap.process.ProcessActions;
import dev.warden.instrumentation.api.ActionEnricher;
import dev.warden.instrumentation.api.InstrumentationModule;
import dev.warden.instrumentation.api.TypeInstrumentation;

import java.util.List;

/**
 * The {@code process} surface: every process the JVM starts, through {@code ProcessBuilder.start},
 * {@code ProcessBuilder.startPipeline} or any {@code Runtime.exec} overload, decided as {@code EXEC}
 * of its program before the process exists; and every process ended through {@code ProcessHandle} that this JVM did
 * not start, decided as {@code KILL} before the signal is sent.
 */
public final class ProcessInstrumentationModule implements InstrumentationModule {

    @Override
    public String surface() {
        return ProcessActions.SURFACE;
    }

    @Override
    public List<TypeInstrumentation> typeInstrumentations() {
        return List.of(new ProcessImplInstrumentation(), new ProcessBuilderInstrumentation(), new RuntimeExecInstrumentation(),
                new ProcessDestroyInstrumentation());
    }

    @Override
    public ActionEnricher enricher() {
        return new ProcessActionEnricher();
    }
}
