package dev.warden.instrumentation.http;

import dev.warden.bootstrap.http.FilteredRequests;
import dev.warden.bootstrap.http.HttpActions;
import dev.warden.instrumentation.api.TypeInstrumentation;
import dev.warden.instrumentation.api.TypeTransformer;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.implementation.bytecode.assign.Assigner;
import net.bytebuddy.matcher.ElementMatcher;

import java.io.IOException;
import java.net.http.HttpRequest;
import java.util.List;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

/**
 * The JDK client's request filters ({@code MultiExchange.requestFilters}), which run on every request it sends, after
 * the decision: its cookie and authentication filters add the values the client's {@code CookieHandler} and
 * {@code Authenticator} (the host's) give, and the request made again after a {@code 401} is one no decision saw.
 * Such a request is decided again as it will be written ({@link FilteredRequests}); an {@link IOException} thrown here
 * fails the exchange's future, as a refused request's.
 */
final class JdkRequestFiltersInstrumentation implements TypeInstrumentation {

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
        transformer.applyAdvice(named("requestFilters").and(takesArguments(1)), FiltersAdvice.class);
    }

    static final class FiltersAdvice {

        @Advice.OnMethodExit
        static void onExit(@Advice.Argument(value = 0, typing = Assigner.Typing.DYNAMIC) HttpRequest request) throws IOException {
            IOException refusal;
            try {
                HttpRequest.BodyPublisher body = request.bodyPublisher().orElse(null);
                refusal = FilteredRequests.refusalOfFiltered(request, JdkHttpClientInstrumentation.CLIENT, request.method(),
                        request.uri(), request.headers().map(), body, body != null ? body.contentLength() : -1L);
            } catch (Throwable unreadable) { // whatever the request throws: not sent undecided
                refusal = HttpActions.unreadableHop(unreadable);
            }
            if (refusal != null) {
                throw refusal;
            }
        }
    }
}
