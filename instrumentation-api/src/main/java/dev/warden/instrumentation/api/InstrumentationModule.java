package dev.warden.instrumentation.api;

import java.util.List;

/**
 * One surface Warden gates: its name, the library methods it instruments, and how its raw requests
 * become rule facts. Discovered with {@link java.util.ServiceLoader} inside the agent's class loader;
 * adding a surface needs no change to the engine.
 */
public interface InstrumentationModule {

    /** The surface name rules match on, e.g. {@code jdbc}; for a module that is no surface, its name in messages. */
    String surface();

    List<TypeInstrumentation> typeInstrumentations();

    /** Completes the advice's raw requests for this surface; never asked of a module that is no surface. */
    ActionEnricher enricher();

    /**
     * Whether this module gates actions of its own, as a surface operators choose with {@code surfaces=}.
     * A module that only carries what the surfaces need between threads (who an action is for) is
     * none: it decides nothing, and is installed whatever {@code surfaces=} names.
     */
    default boolean isSurface() {
        return true;
    }
}
