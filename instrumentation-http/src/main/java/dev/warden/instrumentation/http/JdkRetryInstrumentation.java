package dev.warden.instrumentation.http;

import dev.warden.bootstrap.http.OutboundRequest;
import dev.warden.bootstrap.http.ResentRequests;
import dev.warden.instrumentation.api.TypeInstrumentation;
import dev.warden.instrumentation.api.TypeTransformer;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

import java.net.http.HttpRequest;
import java.util.List;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

/**
 * The JDK client's retry: when a request's connection closed before its answer (or its connect failed),
 * {@code MultiExchange} runs the same request object again ({@code previousreq == currentreq}), over a new connection.
 * That request was decided (it is the one sent, or a hop {@link JdkRedirectInstrumentation} decided), so its retry
 * gets its connect again ({@link ResentRequests}); a redirect or another request the filters made is not a retry.
 */
final class JdkRetryInstrumentation implements TypeInstrumentation {

    @Override
    public ElementMatcher<TypeDescription> typeMatcher() {
        return named("jdk.internal.net.http.MultiExchange");
    }

    @Override
    public List<String> requiredJdkTypes() {
        return List.of("jdk.internal.net.http.MultiExchange");
    }

    @Override
    public void transform(TypeTransformer transformer) {
        transformer.applyAdvice(named("responseAsyncImpl").and(takesArguments(0)), RetryAdvice.class);
    }

    static final class RetryAdvice {

        @Advice.OnMethodEnter
        static void onEnter(@Advice.FieldValue("currentreq") HttpRequest current,
                            @Advice.FieldValue("previousreq") HttpRequest previous) {
            if (current == null || current != previous) {
                return;
            }
            try {
                ResentRequests.resending(OutboundRequest.of(JdkHttpClientInstrumentation.CLIENT, current.method(),
                        current.uri(), current.headers().map().keySet(), -1L, false));
            } catch (Throwable unreadable) {
                // no grant: the retry's connect is decided on its own
            }
        }
    }
}
