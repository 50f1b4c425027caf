package dev.warden.instrumentation.http;

import dev.warden.bootstrap.Gate;
import dev.warden.bootstrap.http.HttpActions;
import dev.warden.bootstrap.http.OutboundRequest;
import dev.warden.instrumentation.api.TypeInstrumentation;
import dev.warden.instrumentation.api.TypeTransformer;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;
import okhttp3.HttpUrl;
import okhttp3.Request;

import java.io.IOException;

import static net.bytebuddy.matcher.ElementMatchers.named;

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

    static final class HopAdvice {

        @Advice.OnMethodExit(onThrowable = Throwable.class)
        static void onExit(@Advice.Return(readOnly = false) Request next,
                           @Advice.Thrown(readOnly = false) Throwable thrown) {
            if (thrown != null || next == null || Gate.isInternal()) {
                return;
            }
            IOException denial;
            try {
                HttpUrl url = next.url();
                denial = HttpActions.refusalFor(new OutboundRequest(OkHttpCallInstrumentation.CLIENT, next.method(),
                        url.scheme(), url.host(), url.port(), url.encodedPath(), url.encodedQuery(),
                        !url.encodedUsername().isEmpty(), next.headers().names(), -1L, true));
            } catch (Throwable e) { // whatever the client's objects throw: the hop is refused
                denial = HttpActions.unreadable(e);
            }
            if (denial != null) {
                next = null;
                thrown = denial;
            }
        }
    }
}
