package dev.warden.instrumentation.http;

import dev.warden.bootstrap.CallDepth;
import dev.warden.bootstrap.http.HttpActions;
import dev.warden.bootstrap.http.OutboundRequest;
import dev.warden.instrumentation.api.TypeInstrumentation;
import dev.warden.instrumentation.api.TypeTransformer;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.util.List;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

/**
 * {@code HttpURLConnection} and {@code HttpsURLConnection}: the JDK's implementation (the HTTPS one
 * delegates to a subclass of it) opens the connection of every request in {@code plainConnect0},
 * once per request and once more per redirect hop it follows, whatever public method
 * ({@code connect}, {@code getInputStream}, {@code getOutputStream}, {@code getResponseCode})
 * triggered it. Unlike {@code plainConnect}, it is not re-entered for an already open connection.
 */
final class HttpUrlConnectionInstrumentation implements TypeInstrumentation {

    @Override
    public ElementMatcher<TypeDescription> typeMatcher() {
        return named("sun.net.www.protocol.http.HttpURLConnection");
    }

    @Override
    public List<String> requiredJdkTypes() {
        return List.of("sun.net.www.protocol.http.HttpURLConnection");
    }

    @Override
    public void transform(TypeTransformer transformer) {
        transformer.applyAdvice(named("plainConnect0").and(takesArguments(0)), ConnectAdvice.class);
    }

    static final class ConnectAdvice {

        @Advice.OnMethodEnter(skipOn = Advice.OnNonDefaultValue.class)
        static IOException onEnter(@Advice.This HttpURLConnection connection,
                                   @Advice.Local("wardenDepth") CallDepth depth) {
            depth = CallDepth.of(HttpActions.SURFACE);
            if (!depth.enter(connection)) {
                return null;
            }
            OutboundRequest outbound;
            try {
                outbound = OutboundRequest.of("http-url-connection", connection.getRequestMethod(), connection.getURL(),
                        connection.getRequestProperties().keySet(), -1L, HttpActions.isFollowUp(connection));
            } catch (Throwable e) { // whatever the client's objects throw: refused, never sent undecided
                return HttpActions.unreadable(e);
            }
            return HttpActions.refusalFor(outbound);
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class)
        static void onExit(@Advice.Enter IOException denial, @Advice.Local("wardenDepth") CallDepth depth,
                           @Advice.Thrown(readOnly = false) Throwable thrown) {
            depth.exit();
            if (denial != null) {
                thrown = denial;
            }
        }
    }
}
