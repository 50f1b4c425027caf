package dev.warden.instrumentation.http;

import dev.warden.bootstrap.CallDepth;
import dev.warden.bootstrap.http.HttpActions;
import dev.warden.bootstrap.http.OutboundRequest;
import dev.warden.instrumentation.api.TypeInstrumentation;
import dev.warden.instrumentation.api.TypeTransformer;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;
import org.apache.hc.client5.http.classic.ExecChain;
import org.apache.hc.core5.http.ClassicHttpRequest;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpHost;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

/**
 * Apache HttpClient 5, classic. {@code ProtocolExec} sits in the exec chain below
 * {@code RedirectExec} and above {@code ConnectExec}: it runs once per request and per redirect hop
 * (and per retry, which is another request on the wire), before any connection is leased, with the
 * route's target host: the host the client will really connect to. {@code RedirectExec} records
 * each location it follows in the context before proceeding, which tells a hop from a first request.
 */
final class ApacheClassicInstrumentation implements TypeInstrumentation {

    @Override
    public ElementMatcher<TypeDescription> typeMatcher() {
        return named("org.apache.hc.client5.http.impl.classic.ProtocolExec");
    }

    /** One named class: a version where an advised method was renamed is refused, not left ungated. */
    @Override
    public boolean requiresEveryAdvice() {
        return true;
    }

    @Override
    public void transform(TypeTransformer transformer) {
        transformer.applyAdvice(named("execute").and(takesArguments(3)), ExecuteAdvice.class);
    }

    static final class ExecuteAdvice {

        @Advice.OnMethodEnter(skipOn = Advice.OnNonDefaultValue.class)
        static IOException onEnter(@Advice.Argument(0) ClassicHttpRequest request,
                                   @Advice.Argument(1) ExecChain.Scope scope,
                                   @Advice.Local("wardenDepth") CallDepth depth) {
            depth = CallDepth.of(HttpActions.SURFACE);
            if (!depth.enter(request)) {
                return null;
            }
            OutboundRequest outbound;
            try {
                HttpHost target = scope.route.getTargetHost();
                List<String> headerNames = new ArrayList<>();
                for (Header header : request.getHeaders()) {
                    headerNames.add(header.getName());
                }
                outbound = OutboundRequest.ofRequestTarget("apache-httpclient5", request.getMethod(), target.getSchemeName(),
                        target.getHostName(), target.getPort(), request.getPath(),
                        request.getAuthority() != null && request.getAuthority().getUserInfo() != null, headerNames,
                        request.getEntity() != null ? request.getEntity().getContentLength() : -1L,
                        scope.clientContext != null && scope.clientContext.getRedirectLocations() != null
                                && scope.clientContext.getRedirectLocations().size() > 0);
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
