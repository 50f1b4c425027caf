package dev.warden.instrumentation.nativecode;

import dev.warden.bootstrap.nativecode.NativeActions;
import dev.warden.instrumentation.api.ActionEnricher;
import dev.warden.instrumentation.api.InstrumentationModule;
import dev.warden.instrumentation.api.TypeInstrumentation;

import java.util.List;

/**
 * The {@code native} surface: JNI loads ({@code System.load}, {@code System.loadLibrary} and their
 * {@code Runtime} twins), JNA opening libraries, and the foreign-function API (library lookups and
 * downcall handles, JDK 21+; the classes do not exist on JDK 17 and nothing matches there), and the libraries the
 * JDK's own providers open by a name data gives them (native JGSS, {@code java.smartcardio}, SunPKCS11).
 */
public final class NativeInstrumentationModule implements InstrumentationModule {

    @Override
    public String surface() {
        return NativeActions.SURFACE;
    }

    @Override
    public List<TypeInstrumentation> typeInstrumentations() {
        return List.of(new JniLoadInstrumentation(), new JnaInstrumentation(), new RawLibraryInstrumentation(),
                new LinkerInstrumentation(), new GssLibraryInstrumentation(), new SmartCardLibraryInstrumentation(),
                new Pkcs11LibraryInstrumentation(), new Pkcs11LibraryInstrumentation.Nss());
    }

    @Override
    public ActionEnricher enricher() {
        return new NativeActionEnricher(ProcessMappings.SELF);
    }
}
