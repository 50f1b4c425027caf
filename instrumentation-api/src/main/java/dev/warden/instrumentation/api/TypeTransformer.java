package dev.warden.instrumentation.api;

import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.matcher.ElementMatcher;

/** Applies advice to the methods of a matched type. */
public interface TypeTransformer {

    /**
     * @param methods     the methods to advise
     * @param adviceClass a class of static {@code @Advice.OnMethodEnter/Exit} methods; it is inlined,
     *                    so it may reference only JDK types, the instrumented library's types and
     *                    Warden's bootstrap classes
     */
    void applyAdvice(ElementMatcher<? super MethodDescription> methods, Class<?> adviceClass);
}
