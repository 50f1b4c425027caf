package dev.warden.instrumentation.http;

import dev.warden.bootstrap.http.HttpActions;
import dev.warden.bootstrap.http.MessageFraming;
import dev.warden.bootstrap.http.OutboundRequest;
import dev.warden.bootstrap.http.RequestHeaders;
import dev.warden.instrumentation.api.TypeInstrumentation;
import dev.warden.instrumentation.api.TypeTransformer;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;
import okhttp3.HttpUrl;
import okhttp3.Request;
import okhttp3.internal.connection.Exchange;

import java.io.IOException;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

/**
 * OkHttp's follow-ups (redirects, and the retries an authenticator or a 408 asks for) are built by
 * {@code RetryAndFollowUpInterceptor.followUpRequest}; each returned request is another request on
 * the wire and is decided as a hop. The interceptor lets an {@link IOException} from it fail the call.
 */
final class OkHttpFollowUpInstrumentation implements TypeInstrumentation {

    @Override
    public ElementMatcher<TypeDescription> typeMatcher() {
        return named("okhttp3.internal.http.RetryAndFollowUpInterceptor");
    }

    /** One named class: a version where an advised method was renamed is refused, not left ungated. */
    @Override
    public boolean requiresEveryAdvice() {
        return true;
    }

    @Override
    public void transform(TypeTransformer transformer) {
        transformer.applyAdvice(named("followUpRequest"), HopAdvice.class);
    }

    /**
     * What OkHttp writes on the wire, after every application and network interceptor: decided again
     * when it is not the request decided for its call (an interceptor that turned a permitted
     * {@code GET} into a {@code POST}, or sent it elsewhere on the same connection, or set another value of a header
     * the decision saw), binding the header values it writes, and refused when
     * its head does not frame its body ({@link MessageFraming}: OkHttp sets {@code Content-Length} only
     * for a body, and writes an application's on a bodiless {@code GET} as given).
     */
    static final class WriteInstrumentation implements TypeInstrumentation {

        @Override
        public ElementMatcher<TypeDescription> typeMatcher() {
            return named("okhttp3.internal.connection.Exchange");
        }

        @Override
        public void transform(TypeTransformer transformer) {
            transformer.applyAdvice(named("writeRequestHeaders").and(takesArguments(1)), WriteAdvice.class);
        }
    }

    static final class WriteAdvice {

        @Advice.OnMethodEnter
        static void onEnter(@Advice.FieldValue("call") Object call, @Advice.Argument(0) Request request) throws IOException {
            IOException refusal;
            try {
                HttpUrl url = request.url();
                long bodySize = -1L;
                try {
                    bodySize = request.body() != null ? request.body().contentLength() : -1L;
                } catch (IOException unknown) {
                    // a body that cannot tell its length up front: its size is unknown, not a reason to refuse
                }
                // The head frames the body OkHttp writes next: its Content-Length set only where there is a body.
                refusal = HttpActions.refusalOfFraming(MessageFraming.ofHead(request.headers().names(), request.headers().values("Content-Length"),
                        request.headers().values("Transfer-Encoding"), MessageFraming.body(request.body() != null, bodySize)));
                if (refusal == null) {
                    refusal = HttpActions.refusalForWrite(call, new OutboundRequest(OkHttpCallInstrumentation.CLIENT,
                            request.method(), url.scheme(), url.host(), url.port(), url.encodedPath(), url.encodedQuery(),
                            !url.encodedUsername().isEmpty(), request.headers().names(), bodySize, false), request.body(),
                            RequestHeaders.lines(request.headers().toMultimap()));
                }
            } catch (Throwable e) { // whatever the request throws: not written undecided
                refusal = HttpActions.unreadableHop(e);
            }
            if (refusal != null) {
                throw refusal;
            }
        }
    }

    static final class HopAdvice {

        @Advice.OnMethodExit(onThrowable = Throwable.class)
        static void onExit(@Advice.Return(readOnly = false) Request next, @Advice.Argument(1) Exchange exchange,
                           @Advice.Thrown(readOnly = false) Throwable thrown) {
            if (thrown != null || next == null) {
                return;
            }
            IOException denial;
            try {
                HttpUrl url = next.url();
                denial = HttpActions.refusalForHop(exchange == null ? null : exchange.getCall$okhttp(), new OutboundRequest(OkHttpCallInstrumentation.CLIENT, next.method(),
                        url.scheme(), url.host(), url.port(), url.encodedPath(), url.encodedQuery(),
                        !url.encodedUsername().isEmpty(), next.headers().names(), -1L, true), next.body(),
                        RequestHeaders.digest(next.headers().toMultimap()));
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
