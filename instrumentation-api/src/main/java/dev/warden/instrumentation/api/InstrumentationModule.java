package dev.warden.instrumentation.api;

import java.util.List;

/**
 * One surface Warden gates: its name, the library methods it instruments, and how its raw requests
 * become rule facts. Discovered with {@link java.util.ServiceLoader} inside the agent's class loader;
 * adding a surface needs no change to the engine.
 */
public interface InstrumentationModule {

    /** The surface name rules match on, e.g. {@code jdbc}. */
    String surface();

    List<TypeInstrumentation> typeInstrumentations();

    /** Completes the advice's raw requests for this surface. */
    ActionEnricher enricher();
}
