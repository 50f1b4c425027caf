package dev.warden.instrumentation.http;

import dev.warden.bootstrap.ActionScope;
import dev.warden.bootstrap.http.HttpActions;
import dev.warden.bootstrap.http.MessageFraming;
import dev.warden.bootstrap.http.OutboundRequest;
import dev.warden.bootstrap.http.RequestHeaders;
import dev.warden.instrumentation.api.TypeInstrumentation;
import dev.warden.instrumentation.api.TypeTransformer;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;
import org.apache.hc.client5.http.classic.ExecChain;
import org.apache.hc.core5.http.ClassicHttpRequest;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.HttpHost;
import org.apache.hc.core5.net.URIAuthority;

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

    static final String CLIENT = "apache-httpclient5";

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
                                   @Advice.Argument(1) ExecChain.Scope chain,
                                   @Advice.Local("wardenScope") ActionScope scope) {
            scope = ActionScope.enter(HttpActions.SURFACE);
            if (scope.isWardensOwn()) {
                return null;
            }
            OutboundRequest outbound;
            String headers;
            try {
                HttpHost target = chain.route.getTargetHost();
                List<String> headerNames = new ArrayList<>();
                List<String> namesAndValues = new ArrayList<>();
                for (Header header : request.getHeaders()) {
                    headerNames.add(header.getName());
                    namesAndValues.add(header.getName());
                    namesAndValues.add(header.getValue());
                }
                headers = RequestHeaders.digest(namesAndValues);
                outbound = OutboundRequest.ofRequestTarget(CLIENT, request.getMethod(), target.getSchemeName(),
                        target.getHostName(), target.getPort(), request.getPath(),
                        request.getAuthority() != null && request.getAuthority().getUserInfo() != null, headerNames,
                        request.getEntity() != null ? request.getEntity().getContentLength() : -1L,
                        chain.clientContext != null && chain.clientContext.getRedirectLocations() != null
                                && chain.clientContext.getRedirectLocations().size() > 0);
            } catch (Throwable e) { // whatever the client's objects throw: refused, never sent undecided
                return HttpActions.unreadable(scope, e);
            }
            IOException refusal = HttpActions.refusalFor(scope, outbound, null, request.getEntity(), headers);
            HttpActions.decidedFor(request, scope, outbound);
            return refusal;
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class)
        static void onExit(@Advice.Enter IOException denial, @Advice.Local("wardenScope") ActionScope scope,
                           @Advice.Thrown(readOnly = false) Throwable thrown) {
            scope.exit();
            if (denial != null) {
                thrown = denial;
            }
        }
    }

    /**
     * The request head as the connection writes it, after every interceptor and exec-chain handler:
     * decided again when it is not what was decided for that request object (a handler that rewrote
     * the method or path, or sent a request object of its own, such as the copy a plain HTTP proxy's
     * route makes, which is decided as written), and refused when its head does not frame its body
     * ({@link MessageFraming}: a request interceptor added last runs after {@code RequestContent}).
     */
    static final class WriteInstrumentation implements TypeInstrumentation {

        @Override
        public ElementMatcher<TypeDescription> typeMatcher() {
            return named("org.apache.hc.core5.http.impl.io.DefaultBHttpClientConnection");
        }

        @Override
        public void transform(TypeTransformer transformer) {
            transformer.applyAdvice(named("sendRequestHeader").and(takesArguments(1)), WriteAdvice.class);
        }
    }

    static final class WriteAdvice {

        @Advice.OnMethodEnter
        static void onEnter(@Advice.Argument(0) ClassicHttpRequest request) throws IOException {
            IOException refusal;
            try {
                URIAuthority authority = request.getAuthority();
                List<String> headerNames = new ArrayList<>();
                List<String> headerLines = new ArrayList<>();
                for (Header header : request.getHeaders()) {
                    headerNames.add(header.getName());
                    headerLines.add(header.getName());
                    headerLines.add(header.getValue());
                }
                // The connection writes the entity, any request's, framed as the head says.
                HttpEntity entity = request.getEntity();
                Header[] lengths = request.getHeaders("Content-Length");
                Header[] encodings = request.getHeaders("Transfer-Encoding");
                refusal = HttpActions.refusalOfFraming(MessageFraming.ofHead(headerNames, lengths.length, lengths.length == 0 ? null : lengths[0].getValue(),
                        encodings.length, encodings.length == 0 ? null : encodings[0].getValue(),
                        MessageFraming.body(entity != null, entity == null || entity.isChunked() ? -1L : entity.getContentLength())));
                // The request's own scheme and authority (what the server is asked for), and its path
                // also when a proxy's copy of it is written in absolute form. A request decided for its route's
                // target asks that server for no other host (execute(target, new HttpGet("http://other/x"))).
                if (refusal == null) {
                    OutboundRequest written = OutboundRequest.ofRequestTarget(CLIENT, request.getMethod(),
                            request.getScheme(), authority != null ? authority.getHostName() : null,
                            authority != null ? authority.getPort() : -1, request.getPath(),
                            authority != null && authority.getUserInfo() != null, headerNames,
                            entity != null ? entity.getContentLength() : -1L, false);
                    refusal = HttpActions.refusalOfAnotherAuthority(request, written);
                    if (refusal == null) {
                        refusal = HttpActions.refusalForWrite(request, written, entity, headerLines);
                    }
                }
            } catch (Throwable e) { // whatever the request throws: not written undecided
                refusal = HttpActions.unreadableHop(e);
            }
            if (refusal != null) {
                throw refusal;
            }
        }
    }
}
