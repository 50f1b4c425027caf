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
import org.apache.hc.client5.http.async.AsyncExecCallback;
import org.apache.hc.client5.http.async.AsyncExecChain;
import org.apache.hc.core5.http.EntityDetails;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpHost;
import org.apache.hc.core5.http.HttpRequest;
import org.apache.hc.core5.http.nio.AsyncEntityProducer;
import org.apache.hc.core5.net.URIAuthority;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

/**
 * Apache HttpClient 5, async: {@code AsyncProtocolExec} is the async chain's counterpart of
 * {@code ProtocolExec}, once per request and redirect hop, before a connection is requested. A
 * refusal is handed to the chain's callback, which fails the caller's future with it. The request
 * head is checked again when a connection's stream commits it ({@link WriteInstrumentation}).
 */
final class ApacheAsyncInstrumentation implements TypeInstrumentation {

    static final String CLIENT = "apache-httpclient5-async";

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
                        entity != null ? entity.getContentLength() : -1L,
                        chain.clientContext != null && chain.clientContext.getRedirectLocations() != null
                                && chain.clientContext.getRedirectLocations().size() > 0);
            } catch (Throwable e) { // whatever the client's objects throw: refused, never sent undecided
                return HttpActions.unreadable(scope, e);
            }
            IOException refusal = HttpActions.refusalFor(scope, outbound, null, entity, headers); // a producer's bytes are unknown
            HttpActions.decidedFor(request, scope, outbound);
            return refusal;
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

    /**
     * The request head as a connection's stream commits it, HTTP/1.1 or HTTP/2: after the exec-chain
     * handlers behind {@code AsyncProtocolExec} and the request interceptors, which the async client
     * runs only once a connection is ready to send. Decided again when it is not what was decided
     * for that request object: a handler that sent a request object of its own, an interceptor that
     * changed the path or the authority; refused when its head does not frame its body
     * ({@link MessageFraming}: a request interceptor added last runs after {@code RequestContent}).
     * The connection's own protocol processor runs after this (the client's builders give it none of
     * the application's interceptors).
     */
    static final class WriteInstrumentation implements TypeInstrumentation {

        @Override
        public ElementMatcher<TypeDescription> typeMatcher() {
            return named("org.apache.hc.core5.http.impl.nio.ClientHttp1StreamHandler")
                    .or(named("org.apache.hc.core5.http2.impl.nio.ClientH2StreamHandler"));
        }

        /** Two named classes: a version that renamed the commit would write unchecked, so it is refused. */
        @Override
        public boolean requiresEveryAdvice() {
            return true;
        }

        @Override
        public void transform(TypeTransformer transformer) {
            transformer.applyAdvice(named("commitRequest").and(takesArguments(2)), WriteAdvice.class);
        }
    }

    /**
     * Thrown out of {@code commitRequest}, the refusal fails the connection before the head is
     * encoded: the exchange's callback gets it, so the caller's future fails with it, and nothing of
     * the request reaches the server (on HTTP/2 the other streams of that connection fail with it).
     */
    static final class WriteAdvice {

        @Advice.OnMethodEnter
        static void onEnter(@Advice.Argument(0) HttpRequest request, @Advice.Argument(1) EntityDetails entity) throws IOException {
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
                // Before the connection's own processor, which adds the framing a head lacks (the minimal client's) or
                // refuses to write a body without one: what framing there is must be the entity's.
                Header[] lengths = request.getHeaders("Content-Length");
                Header[] encodings = request.getHeaders("Transfer-Encoding");
                refusal = HttpActions.refusalOfFraming(MessageFraming.ofHeadBeforeItsFraming(headerNames, lengths.length,
                        lengths.length == 0 ? null : lengths[0].getValue(), encodings.length, encodings.length == 0 ? null : encodings[0].getValue(),
                        MessageFraming.body(entity != null, entity == null || entity.isChunked() ? -1L : entity.getContentLength())));
                // The request's own scheme and authority: what the server is asked for (its Host). A request decided
                // for its route's target asks that server for no other host (execute(target, producer of another's)).
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
