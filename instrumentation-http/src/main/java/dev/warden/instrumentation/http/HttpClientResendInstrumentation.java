package dev.warden.instrumentation.http;

import dev.warden.bootstrap.http.ResentRequests;
import dev.warden.instrumentation.api.TypeInstrumentation;
import dev.warden.instrumentation.api.TypeTransformer;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

import java.util.List;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

/**
 * {@code sun.net.www.http.HttpClient.openServer()}, where {@code HttpURLConnection}'s connection (plain or TLS) is
 * opened: inside the decided {@code plainConnect0} for a request's first connect, and outside it when the JDK sends
 * the request again over a new connection ({@link ResentRequests}), which then continues the request's decision.
 */
final class HttpClientResendInstrumentation implements TypeInstrumentation {

    @Override
    public ElementMatcher<TypeDescription> typeMatcher() {
        return named("sun.net.www.http.HttpClient");
    }

    @Override
    public List<String> requiredJdkTypes() {
        return List.of("sun.net.www.http.HttpClient");
    }

    @Override
    public void transform(TypeTransformer transformer) {
        transformer.applyAdvice(named("openServer").and(takesArguments(0)), ReconnectAdvice.class);
    }

    static final class ReconnectAdvice {

        @Advice.OnMethodEnter
        static void onEnter() {
            ResentRequests.reconnecting();
        }
    }
}
