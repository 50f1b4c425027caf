package dev.warden.instrumentation.nativecode;

import dev.warden.bootstrap.nativecode.NativeActions;
import dev.warden.instrumentation.api.ActionEnricher;
import dev.warden.instrumentation.api.InstrumentationModule;
import dev.warden.instrumentation.api.TypeInstrumentation;

import java.util.List;

/**
 * The {@code native} surface: JNI loads ({@code System.load}, {@code System.loadLibrary} and their
 * {@code Runtime} twins), JNA opening libraries, and the foreign-function API (library lookups and
 * downcall handles, JDK 21+; the classes do not exist on JDK 17 and nothing matches there).
 */
public final class NativeInstrumentationModule implements InstrumentationModule {

    @Override
    public String surface() {
        return NativeActions.SURFACE;
    }

    @Override
    public List<TypeInstrumentation> typeInstrumentations() {
        return List.of(new JniLoadInstrumentation(), new JnaInstrumentation(), new RawLibraryInstrumentation(),
                new LinkerInstrumentation());
    }

    @Override
    public ActionEnricher enricher() {
        return new NativeActionEnricher(ProcessMappings.SELF);
    }
}
