package dev.warden.instrumentation.api;

import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

import java.util.List;

/** The advice applied to one family of types (e.g. every implementation of {@code java.sql.Statement}). */
public interface TypeInstrumentation {

    ElementMatcher<TypeDescription> typeMatcher();

    void transform(TypeTransformer transformer);

    /**
     * JDK classes this instrumentation must advise on every supported JDK (its targets in
     * {@code java.base}, {@code java.net.http}...). At start the installer checks, on the running JDK,
     * that each exists, that {@link #typeMatcher()} matches it and that every advice matches at least
     * one of its methods, and that one already loaded was transformed; otherwise the JVM refuses to
     * start: a matcher that silently matches nothing on a new JDK is a bypass.
     */
    default List<String> requiredJdkTypes() {
        return List.of();
    }

    /**
     * JDK classes this instrumentation advises that a supported JDK or platform may not have (the DNS
     * client of {@code jdk.naming.dns}, a platform's file system provider). Together with
     * {@link #requiredJdkTypes()} they are every JDK class {@link #typeMatcher()} matches: while ByteBuddy
     * is still being installed, a JDK class loading is held back for it only if it is named here or there.
     */
    default List<String> optionalJdkTypes() {
        return List.of();
    }

    /**
     * Types a class must be able to see to match {@link #typeMatcher()} (the interfaces it has to implement),
     * e.g. {@code java.sql.Statement}. A JDK class loader that cannot see them cannot define a class that
     * matches, so the installer skips the type matcher there: JDK classes are loaded by the thousand, and a
     * matcher on super types would otherwise walk each one's hierarchy. Application loaders are always matched.
     */
    default List<String> visibleTypes() {
        return List.of();
    }

    /**
     * Whether every advice must match at least one method of each type {@link #typeMatcher()} matches.
     * True for an instrumentation of one named class (OkHttp's {@code RealCall}, a JDK class): a version
     * where an advised method was renamed would otherwise run ungated, so such a type is refused like a
     * type that cannot be transformed. False for a family of types (every {@code Statement}), where a
     * class may declare only some of the advised methods and inherit the others.
     */
    default boolean requiresEveryAdvice() {
        return !requiredJdkTypes().isEmpty();
    }
}
