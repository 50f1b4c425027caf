package dev.warden.instrumentation.api;

import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

import static net.bytebuddy.matcher.ElementMatchers.declaresMethod;
import static net.bytebuddy.matcher.ElementMatchers.named;

/**
 * Type matchers that answer from what a class file's header and constant pool hold when the description
 * allows ({@link ClassFileNames}), and parse the class only when that cannot decide. Every class the JVM
 * loads passes the matchers, and a parsed class costs its methods' descriptions.
 */
public final class ClassFileMatchers {

    private ClassFileMatchers() {
    }

    /** A class or an enum, not an interface or an annotation: the header's flags, not the modifiers' full decoding. */
    public static ElementMatcher.Junction<TypeDescription> isClass() {
        return new ElementMatcher.Junction.AbstractBase<>() {
            @Override
            public boolean matches(TypeDescription target) {
                return target != null && !target.isInterface();
            }

            @Override
            public String toString() {
                return "isClass()";
            }
        };
    }

    /** Declares a method named {@code name} that {@code method} matches; a class whose constant pool lacks the name is not parsed. */
    public static ElementMatcher.Junction<TypeDescription> declaresMethodNamed(String name,
                                                                             ElementMatcher<? super MethodDescription> method) {
        ElementMatcher<TypeDescription> declares = declaresMethod(named(name).and(method));
        return new ElementMatcher.Junction.AbstractBase<>() {
            @Override
            public boolean matches(TypeDescription target) {
                if (target instanceof ClassFileNames classFile && !classFile.mayMention(name)) {
                    return false;
                }
                return declares.matches(target);
            }

            @Override
            public String toString() {
                return "declaresMethodNamed(" + name + ", " + method + ")";
            }
        };
    }
}
