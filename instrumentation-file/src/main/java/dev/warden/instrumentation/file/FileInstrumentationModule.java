package dev.warden.instrumentation.file;

import dev.warden.bootstrap.file.FileActions;
import dev.warden.instrumentation.api.ActionEnricher;
import dev.warden.instrumentation.api.InstrumentationModule;
import dev.warden.instrumentation.api.TypeInstrumentation;

import java.util.List;

/**
 * The {@code file} surface: writes, deletes, moves, copies, links and directory creation through
 * {@code java.io}, the default NIO file system provider and its secure directory streams, the socket files unix-domain
 * sockets are bound to (the JDK's and Netty's native transports'), and opens for reading when the operator asks for them ({@code file-reads=true}). Each instrumentation advises the JDK method every public
 * route of its family ends in, so one logical action is one decision.
 */
public final class FileInstrumentationModule implements InstrumentationModule {

    @Override
    public String surface() {
        return FileActions.SURFACE;
    }

    @Override
    public List<TypeInstrumentation> typeInstrumentations() {
        List<TypeInstrumentation> instrumentations = new java.util.ArrayList<>(FileStreamInstrumentation.all());
        instrumentations.add(new JavaIoFileInstrumentation());
        instrumentations.add(new FileSystemProviderInstrumentation());
        instrumentations.add(new SecureDirectoryStreamInstrumentation());
        instrumentations.addAll(SecureDirectoryAttributeViewInstrumentation.all());
        instrumentations.addAll(AttributeViewInstrumentation.all());
        instrumentations.add(new UnixSocketBindInstrumentation());
        instrumentations.add(new NettyUnixSocketBindInstrumentation());
        instrumentations.add(new PreferencesLockInstrumentation());
        instrumentations.add(new JfrOutputInstrumentation());
        return List.copyOf(instrumentations);
    }

    @Override
    public ActionEnricher enricher() {
        return new FileActionEnricher();
    }
}
