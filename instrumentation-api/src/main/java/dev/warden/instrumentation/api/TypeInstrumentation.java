package dev.warden.instrumentation.api;

import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

/** The advice applied to one family of types (e.g. every implementation of {@code java.sql.Statement}). */
public interface TypeInstrumentation {

    ElementMatcher<TypeDescription> typeMatcher();

    void transform(TypeTransformer transformer);
}
