package dev.warden.instrumentation.http;

import dev.warden.bootstrap.http.HttpActions;
import dev.warden.bootstrap.http.MessageFraming;
import dev.warden.bootstrap.http.OutboundRequest;
import dev.warden.bootstrap.http.RequestHeaders;
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
 * Redirect hops of the JDK client. {@code RedirectFilter.response} returns the next hop's request
 * (an {@code HttpRequestImpl}, a public {@link HttpRequest}) or null; an {@link IOException} it
 * throws fails the exchange, so a refused hop surfaces exactly like a refused first request.
 * Hops run on the client's executor, never nested in a decision of this request, so they are not
 * depth-guarded: every hop is decided.
 */
final class JdkRedirectInstrumentation implements TypeInstrumentation {

    @Override
    public ElementMatcher<TypeDescription> typeMatcher() {
        return named("jdk.internal.net.http.RedirectFilter");
    }

    @Override
    public List<String> requiredJdkTypes() {
        return List.of("jdk.internal.net.http.RedirectFilter");
    }

    @Override
    public void transform(TypeTransformer transformer) {
        transformer.applyAdvice(named("response").and(takesArguments(1)), HopAdvice.class);
    }

    static final class HopAdvice {

        @Advice.OnMethodExit(onThrowable = Throwable.class)
        static void onExit(@Advice.Return(readOnly = false, typing = Assigner.Typing.DYNAMIC) HttpRequest next,
                           @Advice.Thrown(readOnly = false) Throwable thrown) {
            if (thrown != null || next == null) {
                return;
            }
            IOException denial;
            try {
                // A hop keeps the application's headers, and a 303 drops the body they may have framed.
                HttpRequest.BodyPublisher body = next.bodyPublisher().orElse(null);
                denial = HttpActions.refusalOfFraming(MessageFraming.ofApplicationHeaders(next.headers().allValues("Content-Length"),
                        next.headers().allValues("Transfer-Encoding"), MessageFraming.body(body != null, body != null ? body.contentLength() : -1L)));
                if (denial == null) {
                    // The hop keeps an application's Host too: it must name where the hop goes.
                    denial = HttpActions.refusalOfAskedHostIn(OutboundRequest.of(JdkHttpClientInstrumentation.CLIENT,
                            next.method(), next.uri(), null, -1L, true), next.headers().allValues("Host"));
                }
                if (denial == null) {
                    denial = HttpActions.refusalForHop(null, OutboundRequest.of(JdkHttpClientInstrumentation.CLIENT, next.method(),
                            next.uri(), next.headers().map().keySet(), -1L, true), body,
                            RequestHeaders.digest(next.headers().map()));
                }
            } catch (Throwable e) { // whatever the client's objects throw: the hop is refused
                denial = HttpActions.unreadableHop(e);
            }
            if (denial != null) {
                next = null;
                thrown = denial;
            }
        }
    }
}
