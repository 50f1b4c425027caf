package dev.warden.agent.install;

import dev.warden.instrumentation.api.SuperTypes;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;
import net.bytebuddy.utility.JavaModule;

import java.security.ProtectionDomain;
import java.util.List;

/**
 * One type instrumentation's type matcher, remembering which surface matched the type, so that a
 * failure later in its transformation is known to concern a target. A type the matcher cannot even
 * describe (a super type that neither its class file nor its loader provides) is not matched: the JVM
 * cannot link such a class either, and failing here would also stop the other surfaces' matchers.
 */
final class SurfaceMatcher implements AgentBuilder.RawMatcher {

    private final String surface;
    private final ElementMatcher<? super TypeDescription> typeMatcher;
    private final List<String> visibleTypes;
    private final JdkLoaderVisibility jdkLoaders;
    private final TypeCache types;

    /** @param types where what each loader's types hold above them is kept, shared by every surface's matchers */
    SurfaceMatcher(String surface, ElementMatcher<? super TypeDescription> typeMatcher, List<String> visibleTypes,
                   JdkLoaderVisibility jdkLoaders, TypeCache types) {
        this.surface = surface;
        this.typeMatcher = typeMatcher;
        this.visibleTypes = visibleTypes;
        this.jdkLoaders = jdkLoaders;
        this.types = types;
    }

    @Override
    public boolean matches(TypeDescription typeDescription, ClassLoader classLoader, JavaModule module,
                           Class<?> classBeingRedefined, ProtectionDomain protectionDomain) {
        if (!jdkLoaders.mayMatch(classLoader, visibleTypes)) {
            return false; // a JDK class that cannot see the types it would have to implement
        }
        boolean matched;
        try {
            matched = SuperTypes.matchingIn(types.hierarchies(classLoader), () -> typeMatcher.matches(typeDescription));
        } catch (RuntimeException | LinkageError undescribable) {
            return false;
        }
        if (matched) {
            MatchedTypes.matched(typeDescription.getName(), classLoader, surface);
        }
        return matched;
    }
}
