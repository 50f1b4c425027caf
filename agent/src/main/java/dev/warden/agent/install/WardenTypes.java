package dev.warden.agent.install;

import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

import static net.bytebuddy.matcher.ElementMatchers.nameStartsWith;

/** Warden's own classes, never instrumented: not every dev.warden name (the e2e hosts and the demo are applications). */
final class WardenTypes {

    private static final String[] OWN = {"net.bytebuddy.", "dev.warden.bootstrap.", "dev.warden.agent."};

    private WardenTypes() {
    }

    static boolean isOwn(String name) {
        for (String prefix : OWN) {
            if (name.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }

    static ElementMatcher.Junction<TypeDescription> own() {
        return nameStartsWith(OWN[0]).or(nameStartsWith(OWN[1])).or(nameStartsWith(OWN[2]));
    }
}
