package dev.warden.agent.install;

import net.bytebuddy.agent.builder.AgentBuilder;

/**
 * Warden's own classes, never instrumented, told by the loader that defines them, not by their names: a name is
 * anyone's to give. Warden's loader holds the engine and its ByteBuddy; its bootstrap classes are the boot loader's.
 * Until the eighth review of 2026-12-07 every class named {@code net.bytebuddy.}, {@code dev.warden.bootstrap.} or
 * {@code dev.warden.agent.} was left alone in any loader, and ByteBuddy names what it makes for a {@code java.*}
 * interface {@code net.bytebuddy.renamed.java...}: an application's statement made so ran its SQL ungated. The
 * launcher's few classes, in the application's loader beside its own, are matched like the application's (none is a
 * target): a lookup of one of them, which any class of that loader's unnamed module may have, defines a class of any
 * name with the launcher's jar as its code source.
 */
final class WardenTypes {

    private static final String BOOTSTRAP = "dev.warden.bootstrap.";

    private WardenTypes() {
    }

    /** Whether the class is Warden's: defined by Warden's loader, or a bootstrap class of the boot loader. */
    static boolean isOwn(String name, ClassLoader loader, ClassLoader agentLoader) {
        return loader == agentLoader || loader == null && name.startsWith(BOOTSTRAP);
    }

    static AgentBuilder.RawMatcher own(ClassLoader agentLoader) {
        return (type, loader, module, redefined, domain) -> isOwn(type.getName(), loader, agentLoader);
    }
}
