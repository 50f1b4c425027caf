package dev.warden.instrumentation.jvm;

import dev.warden.instrumentation.api.ActionEnricher;
import dev.warden.instrumentation.api.InstrumentationModule;
import dev.warden.instrumentation.api.TypeInstrumentation;

import java.util.List;

/**
 * Keeps the operator's switches in place: Warden's MBeans can be neither unregistered nor squatted by the application
 * ({@code dev.warden.bootstrap.jvm.WardenBeans}); and keeps the application's socket factory out of Warden's own sockets
 * ({@code dev.warden.bootstrap.jvm.SocketImplFactories}), and the application's class transformers out from after Warden's
 * advice ({@code dev.warden.bootstrap.jvm.ClassTransformers}), and its {@code java.util.logging} handlers out of Warden's own
 * work ({@code dev.warden.bootstrap.jvm.OwnWorkLogs}). No surface: the switches matter whatever {@code surfaces=} names, the
 * kill switch most of all, so it is installed with every configuration.
 */
public final class ControlsInstrumentationModule implements InstrumentationModule {

    @Override
    public String surface() {
        return "controls";
    }

    @Override
    public boolean isSurface() {
        return false;
    }

    @Override
    public List<TypeInstrumentation> typeInstrumentations() {
        return List.of(new MBeanRegistryInstrumentation(), new SocketImplFactoryInstrumentation(), new ClassTransformerInstrumentation(),
                new LoggerInstrumentation());
    }

    @Override
    public ActionEnricher enricher() {
        throw new UnsupportedOperationException("the controls module describes no action of its own");
    }
}
