package dev.warden.agent.install;

import net.bytebuddy.agent.builder.AgentBuilder;

import java.security.CodeSource;
import java.security.ProtectionDomain;

/**
 * Warden's own classes, never instrumented, told by where they are defined, not by their names alone: a name is
 * anyone's to give. Warden's loader holds the engine and its ByteBuddy; its bootstrap classes are the boot loader's;
 * its launcher is defined from its jar. Until the eighth review of 2026-12-07 every class named {@code net.bytebuddy.},
 * {@code dev.warden.bootstrap.} or {@code dev.warden.agent.} was left alone in any loader, and ByteBuddy names what it
 * makes for a {@code java.*} interface {@code net.bytebuddy.renamed.java...}: an application's statement made so ran
 * its SQL ungated. Not every {@code dev.warden} name either (the e2e hosts and the demo are applications).
 */
final class WardenTypes {

    private static final String BOOTSTRAP = "dev.warden.bootstrap.";
    private static final String LAUNCHER = "dev.warden.agent.";

    private WardenTypes() {
    }

    /**
     * Whether the class is Warden's: defined by Warden's loader, a bootstrap class of the boot loader, or one of the
     * launcher's classes from the jar Warden's loader was made by ({@code domain} may be {@code null} when unknown).
     */
    static boolean isOwn(String name, ClassLoader loader, ProtectionDomain domain, ClassLoader agentLoader) {
        if (loader == agentLoader) {
            return true;
        }
        if (name.startsWith(BOOTSTRAP)) {
            return loader == null;
        }
        return name.startsWith(LAUNCHER) && domain != null && sameJar(domain.getCodeSource(), agentLoader);
    }

    static AgentBuilder.RawMatcher own(ClassLoader agentLoader) {
        return (type, loader, module, redefined, domain) -> isOwn(type.getName(), loader, domain, agentLoader);
    }

    /** The launcher made Warden's loader: its class came from Warden's jar (compared as text: {@code URL.equals} resolves hosts). */
    private static boolean sameJar(CodeSource source, ClassLoader agentLoader) {
        CodeSource launcher = agentLoader.getClass().getProtectionDomain().getCodeSource();
        return source != null && source.getLocation() != null && launcher != null && launcher.getLocation() != null
                && source.getLocation().toExternalForm().equals(launcher.getLocation().toExternalForm());
    }
}
