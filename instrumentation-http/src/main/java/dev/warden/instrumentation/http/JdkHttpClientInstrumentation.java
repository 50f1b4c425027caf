package dev.warden.instrumentation.http;

import dev.warden.bootstrap.ActionScope;
import dev.warden.bootstrap.Handoffs;
import dev.warden.bootstrap.http.HttpActions;
import dev.warden.bootstrap.http.MessageFraming;
import dev.warden.bootstrap.http.OutboundRequest;
import dev.warden.bootstrap.http.ProtocolSwitches;
import dev.warden.instrumentation.api.TypeInstrumentation;
import dev.warden.instrumentation.api.TypeTransformer;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.implementation.bytecode.assign.Assigner;
import net.bytebuddy.matcher.ElementMatcher;

import java.io.IOException;
import java.net.http.HttpRequest;
import java.util.concurrent.CompletableFuture;
import java.util.List;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

/**
 * The JDK's {@code java.net.http.HttpClient}: every public {@code send}/{@code sendAsync} ends in
 * {@code HttpClientImpl}, a class of the platform loader in {@code java.net.http}. {@code send} is
 * decided itself, so a refusal is thrown as it is rather than unwrapped from a future; the
 * four-argument {@code sendAsync} that every async variant (and {@code send}) calls answers a
 * refusal with a failed future. The client writes its own framing beside the application's headers, and does not
 * refuse an application's {@code Transfer-Encoding} (nor, with {@code jdk.httpclient.allowRestrictedHeaders}, its
 * {@code Content-Length}): a request whose headers contradict its body is refused ({@link MessageFraming}); the
 * request is immutable, so what is checked here is what is written; so is an application's {@code Host}, which the
 * same property lets it set, and which must name the request's host and port. A WebSocket's opening handshake is
 * decided with the {@code Connection} and {@code Upgrade} the client set on it itself ({@link ProtocolSwitches}), as
 * an OkHttp one is. Redirect hops are decided by
 * {@link JdkRedirectInstrumentation}. The future
 * {@code sendAsync} returns carries the caller's identity: the client completes it on its own threads, which work
 * for nobody, and the stages that depend on it run for the caller.
 */
final class JdkHttpClientInstrumentation implements TypeInstrumentation {

    static final String CLIENT = "jdk-httpclient";

    @Override
    public ElementMatcher<TypeDescription> typeMatcher() {
        return named("jdk.internal.net.http.HttpClientImpl");
    }

    @Override
    public List<String> requiredJdkTypes() {
        return List.of("jdk.internal.net.http.HttpClientImpl");
    }

    @Override
    public void transform(TypeTransformer transformer) {
        transformer.applyAdvice(named("send").and(takesArguments(2)).or(named("sendAsync").and(takesArguments(4))),
                SendAdvice.class);
    }

    /** {@code send} and {@code sendAsync}: decided alike, refused as each reports failure. */
    static final class SendAdvice {

        @Advice.OnMethodEnter(skipOn = Advice.OnNonDefaultValue.class)
        static IOException onEnter(@Advice.Argument(0) HttpRequest request,
                                   @Advice.Local("wardenScope") ActionScope scope) {
            scope = ActionScope.enter(HttpActions.SURFACE);
            if (scope.isWardensOwn()) {
                return null;
            }
            OutboundRequest outbound;
            HttpRequest.BodyPublisher body;
            String framing;
            String headers;
            List<String> asked;
            try {
                body = request.bodyPublisher().orElse(null);
                long bodySize = body != null ? body.contentLength() : -1L;
                // A WebSocket's opening handshake asks to switch protocols with headers the client set itself.
                ProtocolSwitches.DecidedHeaders decided = ProtocolSwitches.decided(request, request.headers().map());
                outbound = OutboundRequest.of(CLIENT, request.method(), request.uri(), decided.names(), bodySize, false);
                framing = MessageFraming.ofApplicationHeaders(request.headers().allValues("Content-Length"),
                        request.headers().allValues("Transfer-Encoding"), MessageFraming.body(body != null, bodySize));
                headers = decided.digest();
                asked = request.headers().allValues("Host");
            } catch (Throwable e) { // whatever the client's objects throw: refused, never sent undecided
                return HttpActions.unreadable(scope, e);
            }
            if (framing != null) {
                return HttpActions.refusalOfFraming(scope, framing);
            }
            // An application's Host, which jdk.httpclient.allowRestrictedHeaders lets it set, asks for no other host.
            IOException otherHost = HttpActions.refusalOfAskedHostIn(scope, outbound, asked);
            if (otherHost != null) {
                return otherHost;
            }
            // The request object carries the call from send into sendAsync: one decision, the body read once.
            return HttpActions.refusalFor(scope, outbound, request, body, headers);
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class)
        static void onExit(@Advice.Enter IOException denial, @Advice.Local("wardenScope") ActionScope scope,
                           @Advice.Origin("#m") String method,
                           @Advice.Return(readOnly = false, typing = Assigner.Typing.DYNAMIC) Object result,
                           @Advice.Thrown(readOnly = false) Throwable thrown) {
            scope.exit();
            if (denial == null) {
                if (method.equals("sendAsync")) {
                    // Completed by the client's own threads: what depends on it runs for the caller (see IDENTITY.md).
                    Handoffs.carry(result);
                }
                return;
            }
            if (method.equals("sendAsync")) {
                result = CompletableFuture.failedFuture(denial);
            } else {
                thrown = denial;
            }
        }
    }
}
