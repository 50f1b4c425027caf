package dev.warden.instrumentation.http;

import dev.warden.bootstrap.ActionScope;
import dev.warden.bootstrap.http.HttpActions;
import dev.warden.bootstrap.http.OutboundRequest;
import dev.warden.bootstrap.http.RequestHeaders;
import dev.warden.instrumentation.api.TypeInstrumentation;
import dev.warden.instrumentation.api.TypeTransformer;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;
import okhttp3.Call;
import okhttp3.Callback;
import okhttp3.HttpUrl;
import okhttp3.Request;

import java.io.IOException;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

/**
 * OkHttp 4: a call is decided when it is executed or enqueued, on the caller's thread, in OkHttp's
 * own parse of the URL ({@link HttpUrl} has already turned an IDN host into punycode). A refused
 * {@code execute} throws; a refused {@code enqueue} is answered through the callback's
 * {@code onFailure}, as OkHttp answers any failed call, and never reaches the dispatcher.
 */
final class OkHttpCallInstrumentation implements TypeInstrumentation {

    static final String CLIENT = "okhttp";

    @Override
    public ElementMatcher<TypeDescription> typeMatcher() {
        return named("okhttp3.internal.connection.RealCall");
    }

    /** One named class: a version where an advised method was renamed is refused, not left ungated. */
    @Override
    public boolean requiresEveryAdvice() {
        return true;
    }

    @Override
    public void transform(TypeTransformer transformer) {
        transformer.applyAdvice(named("execute").and(takesArguments(0)).or(named("enqueue").and(takesArguments(1))),
                CallAdvice.class);
    }

    /** {@code execute()} and {@code enqueue(callback)}: decided alike, refused as each reports failure. */
    static final class CallAdvice {

        @Advice.OnMethodEnter(skipOn = Advice.OnNonDefaultValue.class)
        static IOException onEnter(@Advice.This Call call, @Advice.Local("wardenScope") ActionScope scope) {
            scope = ActionScope.enter(HttpActions.SURFACE);
            if (scope.isWardensOwn()) {
                return null;
            }
            OutboundRequest outbound;
            String headers;
            try {
                Request request = call.request();
                HttpUrl url = request.url();
                long bodySize = -1L;
                try {
                    bodySize = request.body() != null ? request.body().contentLength() : -1L;
                } catch (IOException unknown) {
                    // a body that cannot tell its length up front: its size is unknown, not a reason to refuse
                }
                outbound = new OutboundRequest(CLIENT, request.method(), url.scheme(), url.host(), url.port(),
                        url.encodedPath(), url.encodedQuery(), !url.encodedUsername().isEmpty(), request.headers().names(),
                        bodySize, false);
                headers = RequestHeaders.digest(request.headers().toMultimap());
            } catch (Throwable e) { // whatever the client's objects throw: refused, never sent undecided
                return HttpActions.unreadable(scope, e);
            }
            IOException refusal = HttpActions.refusalFor(scope, outbound, null, call.request().body(), headers);
            HttpActions.decidedFor(call, scope, outbound);
            return refusal;
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class)
        static void onExit(@Advice.Enter IOException denial, @Advice.This Call call,
                           @Advice.AllArguments Object[] arguments, @Advice.Local("wardenScope") ActionScope scope,
                           @Advice.Thrown(readOnly = false) Throwable thrown) {
            scope.exit();
            if (denial == null) {
                return;
            }
            if (arguments.length == 1) {
                ((Callback) arguments[0]).onFailure(call, denial); // enqueue: the callback hears of it
            } else {
                thrown = denial;
            }
        }
    }
}
