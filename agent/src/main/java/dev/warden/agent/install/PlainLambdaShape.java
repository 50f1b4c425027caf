package dev.warden.agent.install;

import net.bytebuddy.jar.asm.ClassReader;

import java.util.Set;

/**
 * A hidden class no type instrumentation can match, told from its class file's header alone: its super class is
 * {@code Object} and each interface one of the JDK's functional or marker interfaces below, none of which is a target
 * or has one among its super types. That is the shape of almost every lambda's class, which the JVM defines hidden and
 * Warden would otherwise describe and match as it does any class (a few hundred microseconds each, thousands of them
 * while a framework starts). A class of any other shape, a lambda of a gated functional interface (a LangChain4j
 * {@code ToolExecutor}) among them, is woven as before. {@code PlainLambdaShapeTest} holds every module's type
 * matchers to this list.
 */
final class PlainLambdaShape {

    static final Set<String> INTERFACES = Set.of("java/lang/Runnable", "java/util/concurrent/Callable",
            "java/util/Comparator", "java/io/Serializable", "java/lang/Iterable", "java/lang/AutoCloseable");
    static final String FUNCTIONS = "java/util/function/";

    private PlainLambdaShape() {
    }

    /** Whether the class file is of that shape (false for one that does not parse: it is woven, and refused there). */
    static boolean matchesNoTarget(byte[] classFile) {
        try {
            ClassReader header = new ClassReader(classFile);
            if (!"java/lang/Object".equals(header.getSuperName())) {
                return false;
            }
            for (String name : header.getInterfaces()) {
                if (!INTERFACES.contains(name) && !(name.startsWith(FUNCTIONS) && name.indexOf('/', FUNCTIONS.length()) < 0)) {
                    return false;
                }
            }
            return true;
        } catch (RuntimeException unreadable) {
            return false;
        }
    }
}
