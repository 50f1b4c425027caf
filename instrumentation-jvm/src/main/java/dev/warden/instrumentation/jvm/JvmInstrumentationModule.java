package dev.warden.instrumentation.jvm;

import dev.warden.bootstrap.jvm.JvmActions;
import dev.warden.instrumentation.api.ActionEnricher;
import dev.warden.instrumentation.api.InstrumentationModule;
import dev.warden.instrumentation.api.TypeInstrumentation;

import java.util.List;

/**
 * The {@code jvm} surface: what the JVM does natively on a management call, past every other gate (a diagnostic
 * command, a heap dump, a VM option set). The targets are the JDK's implementations behind the platform MBeans, so
 * a call through the MBean server (local, remote, or bridged over HTTP) and one through the MXBean interface meet
 * the same advice.
 */
public final class JvmInstrumentationModule implements InstrumentationModule {

    @Override
    public String surface() {
        return JvmActions.SURFACE;
    }

    @Override
    public List<TypeInstrumentation> typeInstrumentations() {
        return List.of(new DiagnosticCommandInstrumentation(), new HotSpotDiagnosticInstrumentation(), new AttachClientInstrumentation(),
                new UnixDomainSocketInstrumentation());
    }

    @Override
    public ActionEnricher enricher() {
        return new JvmActionEnricher(WorkingDirectory.atStart());
    }
}
