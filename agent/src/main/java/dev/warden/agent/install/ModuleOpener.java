package dev.warden.agent.install;

import java.lang.instrument.Instrumentation;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * Grants the agent's own class loader the JDK internals its libraries need (Chronicle Queue reads
 * {@code sun.nio.ch} and reflects into {@code java.lang}), so the host needs no {@code --add-opens}.
 * Only Warden's loader gets them: the host's modules are unchanged.
 */
public final class ModuleOpener {

    /**
     * {@code jdk.internal.vm}: the agent properties, where the control key is published (control.SwitchKey);
     * {@code sun.security.jca}: the provider list Warden's threads keep ({@link JdkProviderList}). Opened, the JDK's
     * HTTP handlers: Warden's own requests use them, not whatever a host's {@code URLStreamHandlerFactory} answers,
     * and leave out a host's {@code CookieHandler} ({@code telemetry.OwnConnections}).
     */
    private static final Set<String> EXPORTED = Set.of("sun.nio.ch", "jdk.internal.ref", "jdk.internal.misc", "sun.nio.fs", "jdk.internal.vm",
            "sun.security.jca");
    /** JDK modules whose classes Warden's advice is inlined into. */
    private static final Set<String> INSTRUMENTED_JDK_MODULES = Set.of("java.base", "java.net.http", "java.management", "jdk.management", "jdk.attach",
            "java.instrument", "java.logging", "java.security.jgss", "java.smartcardio", "jdk.crypto.cryptoki");
    private static final Set<String> OPENED = Set.of("java.lang", "java.lang.reflect", "java.io", "java.nio",
            "java.util", "java.util.concurrent", "java.util.concurrent.atomic", "jdk.internal.misc", "sun.nio.ch",
            "sun.net.www.protocol.http", "sun.net.www.protocol.https");
    private static final Set<String> HTTP = Set.of("sun.net.www.protocol.http", "sun.net.www.protocol.https");

    private ModuleOpener() {
    }

    public static void openTo(Instrumentation instrumentation, ClassLoader agentLoader) {
        Module javaBase = Object.class.getModule();
        Set<Module> agent = Set.of(agentLoader.getUnnamedModule());
        Map<String, Set<Module>> exports = new HashMap<>();
        EXPORTED.forEach(pkg -> exports.put(pkg, agent));
        Map<String, Set<Module>> opens = new HashMap<>();
        OPENED.forEach(pkg -> opens.put(pkg, agent));
        instrumentation.redefineModule(javaBase, Set.of(), exports, opens, Set.of(), Map.of());
        ModuleLayer.boot().findModule("jdk.compiler").ifPresent(compiler -> instrumentation.redefineModule(compiler,
                Set.of(), Map.of("com.sun.tools.javac.file", agent), Map.of("com.sun.tools.javac", agent), Set.of(), Map.of()));
        readWarden(instrumentation);
    }

    /**
     * Opens the JDK's HTTP packages to {@code loader} too: the loader Warden's own requests run from when it is not
     * Warden's (the OpenTelemetry agent's extension loader, whose copy of {@code telemetry.OwnConnections} exports).
     */
    public static void openHttpTo(Instrumentation instrumentation, ClassLoader loader) {
        if (loader == null) {
            return;
        }
        Map<String, Set<Module>> opens = new HashMap<>();
        HTTP.forEach(pkg -> opens.put(pkg, Set.of(loader.getUnnamedModule())));
        instrumentation.redefineModule(Object.class.getModule(), Set.of(), Map.of(), opens, Set.of(), Map.of());
    }

    /**
     * Advice inlined into JDK classes of named modules ({@code java.net.Socket}, {@code sun.nio.ch},
     * {@code jdk.internal.net.http}) calls Warden's bootstrap classes, which live in the boot loader's
     * unnamed module; a named module does not read it unless told to, and the advice would fail with
     * {@link IllegalAccessError}.
     */
    private static void readWarden(Instrumentation instrumentation) {
        Set<Module> warden = Set.of(dev.warden.bootstrap.Gate.class.getModule());
        for (String name : INSTRUMENTED_JDK_MODULES) {
            ModuleLayer.boot().findModule(name).ifPresent(module ->
                    instrumentation.redefineModule(module, warden, Map.of(), Map.of(), Set.of(), Map.of()));
        }
        // The bytes of the JDK client's in-memory bodies (BodyPublishers.ofString, ofByteArray) are read
        // where they lie, by bootstrap's RequestBodies, to bind them in the action digest.
        // The headers its filters added after the decision (a CookieHandler's, an Authenticator's) are read by
        // bootstrap's http.FilteredRequests, through the public map() of the client's header builder.
        ModuleLayer.boot().findModule("java.net.http").ifPresent(module -> instrumentation.redefineModule(module,
                Set.of(), Map.of("jdk.internal.net.http.common", warden), Map.of("jdk.internal.net.http", warden),
                Set.of(), Map.of()));
        // The directory a SecureDirectoryStream moves a name into is the other stream's open descriptor, read by
        // bootstrap's file.SecureDirectories to decide the move on where it goes. The head HttpURLConnection writes (a
        // sun.net.www.MessageHeader) is read by bootstrap's http.UrlConnectionHeads: its two framing headers' values.
        instrumentation.redefineModule(Object.class.getModule(), Set.of(), Map.of("sun.net.www", warden),
                Map.of("sun.nio.fs", warden), Set.of(), Map.of());
    }
}
