package dev.warden.instrumentation.http;

import dev.warden.bootstrap.ActionScope;
import dev.warden.bootstrap.http.HttpActions;
import dev.warden.bootstrap.http.OutboundRequest;
import dev.warden.instrumentation.api.TypeInstrumentation;
import dev.warden.instrumentation.api.TypeTransformer;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;
import org.apache.hc.client5.http.async.AsyncExecCallback;
import org.apache.hc.client5.http.async.AsyncExecChain;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpHost;
import org.apache.hc.core5.http.HttpRequest;
import org.apache.hc.core5.http.nio.AsyncEntityProducer;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

/**
 * Apache HttpClient 5, async: {@code AsyncProtocolExec} is the async chain's counterpart of
 * {@code ProtocolExec}, once per request and redirect hop, before a connection is requested. A
 * refusal is handed to the chain's callback, which fails the caller's future with it.
 */
final class ApacheAsyncInstrumentation implements TypeInstrumentation {

    @Override
    public ElementMatcher<TypeDescription> typeMatcher() {
        return named("org.apache.hc.client5.http.impl.async.AsyncProtocolExec");
    }

    /** One named class: a version where an advised method was renamed is refused, not left ungated. */
    @Override
    public boolean requiresEveryAdvice() {
        return true;
    }

    @Override
    public void transform(TypeTransformer transformer) {
        transformer.applyAdvice(named("execute").and(takesArguments(5)), ExecuteAdvice.class);
    }

    static final class ExecuteAdvice {

        @Advice.OnMethodEnter(skipOn = Advice.OnNonDefaultValue.class)
        static IOException onEnter(@Advice.Argument(0) HttpRequest request,
                                   @Advice.Argument(1) AsyncEntityProducer entity,
                                   @Advice.Argument(2) AsyncExecChain.Scope chain,
                                   @Advice.Local("wardenScope") ActionScope scope) {
            scope = ActionScope.enter(HttpActions.SURFACE);
            if (scope.isWardensOwn()) {
                return null;
            }
            OutboundRequest outbound;
            try {
                HttpHost target = chain.route.getTargetHost();
                List<String> headerNames = new ArrayList<>();
                for (Header header : request.getHeaders()) {
                    headerNames.add(header.getName());
                }
                outbound = OutboundRequest.ofRequestTarget("apache-httpclient5-async", request.getMethod(), target.getSchemeName(),
                        target.getHostName(), target.getPort(), request.getPath(),
                        request.getAuthority() != null && request.getAuthority().getUserInfo() != null, headerNames,
                        entity != null ? entity.getContentLength() : -1L,
                        chain.clientContext != null && chain.clientContext.getRedirectLocations() != null
                                && chain.clientContext.getRedirectLocations().size() > 0);
            } catch (Throwable e) { // whatever the client's objects throw: refused, never sent undecided
                return HttpActions.unreadable(scope, e);
            }
            return HttpActions.refusalFor(scope, outbound);
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class)
        static void onExit(@Advice.Enter IOException denial, @Advice.Argument(4) AsyncExecCallback callback,
                           @Advice.Local("wardenScope") ActionScope scope) {
            scope.exit();
            if (denial != null) {
                callback.failed(denial);
            }
        }
    }
}
