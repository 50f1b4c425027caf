package dev.warden.instrumentation.http;

import dev.warden.bootstrap.ActionScope;
import dev.warden.bootstrap.http.HttpActions;
import dev.warden.bootstrap.http.MessageFraming;
import dev.warden.bootstrap.http.OutboundRequest;
import dev.warden.bootstrap.http.OwedBodies;
import dev.warden.bootstrap.http.RequestHeaders;
import dev.warden.instrumentation.api.TypeInstrumentation;
import dev.warden.instrumentation.api.TypeTransformer;
import net.bytebuddy.asm.Advice;
import org.apache.http.HttpRequest;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;
import org.apache.http.Header;
import org.apache.http.HttpEntity;
import org.apache.http.HttpEntityEnclosingRequest;
import org.apache.http.HttpHost;
import org.apache.http.client.methods.HttpRequestWrapper;
import org.apache.http.client.methods.HttpUriRequest;
import org.apache.http.client.protocol.HttpClientContext;
import org.apache.http.conn.routing.HttpRoute;

import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

/**
 * Apache HttpClient 4.x: as in 5, {@code ProtocolExec} runs once per request and redirect hop, below
 * {@code RedirectExec} and before the connection is leased, with the route's target host.
 */
final class Apache4Instrumentation implements TypeInstrumentation {

    @Override
    public ElementMatcher<TypeDescription> typeMatcher() {
        return named("org.apache.http.impl.execchain.ProtocolExec");
    }

    /** One named class: a version where an advised method was renamed is refused, not left ungated. */
    @Override
    public boolean requiresEveryAdvice() {
        return true;
    }

    @Override
    public void transform(TypeTransformer transformer) {
        transformer.applyAdvice(named("execute").and(takesArguments(4)), ExecuteAdvice.class);
    }

    static final class ExecuteAdvice {

        @Advice.OnMethodEnter(skipOn = Advice.OnNonDefaultValue.class)
        static IOException onEnter(@Advice.Argument(0) HttpRoute route, @Advice.Argument(1) HttpRequestWrapper request,
                                   @Advice.Argument(2) HttpClientContext context,
                                   @Advice.Local("wardenScope") ActionScope scope) {
            scope = ActionScope.enter(HttpActions.SURFACE);
            if (scope.isWardensOwn()) {
                return null;
            }
            OutboundRequest outbound;
            String headers;
            try {
                HttpHost target = route.getTargetHost();
                URI uri = request.getURI();
                List<String> headerNames = new ArrayList<>();
                List<String> namesAndValues = new ArrayList<>();
                for (Header header : request.getAllHeaders()) {
                    headerNames.add(header.getName());
                    namesAndValues.add(header.getName());
                    namesAndValues.add(header.getValue());
                }
                headers = RequestHeaders.digest(namesAndValues);
                long bodySize = request instanceof HttpEntityEnclosingRequest
                        && ((HttpEntityEnclosingRequest) request).getEntity() != null
                        ? ((HttpEntityEnclosingRequest) request).getEntity().getContentLength() : -1L;
                outbound = new OutboundRequest("apache-httpclient4", request.getMethod(), target.getSchemeName(),
                        target.getHostName(), target.getPort(), uri.getRawPath(), uri.getRawQuery(),
                        uri.getRawUserInfo() != null, headerNames, bodySize,
                        context.getRedirectLocations() != null && !context.getRedirectLocations().isEmpty());
            } catch (Throwable e) { // whatever the client's objects throw: refused, never sent undecided
                return HttpActions.unreadable(scope, e);
            }
            IOException refusal = HttpActions.refusalFor(scope, outbound, null,
                    request instanceof HttpEntityEnclosingRequest ? ((HttpEntityEnclosingRequest) request).getEntity() : null, headers);
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
     * The request line as the connection writes it, after every interceptor and exec-chain handler:
     * decided again when it is not what was decided for that request object (a handler that rewrote
     * the method or path, or sent a request object of its own), and refused when its {@code Host} asks the server
     * for another host than the one decided (a target given apart from an absolute URI naming another), or when its
     * head does not frame its body ({@link MessageFraming}: {@code RequestContent} checks only entity-enclosing
     * requests, so an {@code HttpGet}'s {@code Content-Length} is written as the application set it), or when the head
     * before it on the connection promised a body that was never written ({@link OwedBodies}: an application's
     * {@code Expect: 100-continue} answered early, after which Apache 4 skips the body and pools the connection).
     */
    static final class WriteInstrumentation implements TypeInstrumentation {

        @Override
        public ElementMatcher<TypeDescription> typeMatcher() {
            return named("org.apache.http.impl.DefaultBHttpClientConnection");
        }

        @Override
        public void transform(TypeTransformer transformer) {
            transformer.applyAdvice(named("sendRequestHeader").and(takesArguments(1)), WriteAdvice.class);
            transformer.applyAdvice(named("sendRequestEntity").and(takesArguments(1)), SettledAdvice.class);
            transformer.applyAdvice(named("bind").and(takesArguments(1)), SettledAdvice.class);
        }
    }

    /** The body a head declared was written (or the connection was bound to a new socket): it owes nothing. */
    static final class SettledAdvice {

        @Advice.OnMethodExit
        static void onExit(@Advice.This Object connection) {
            OwedBodies.settled(connection);
        }
    }

    static final class WriteAdvice {

        @Advice.OnMethodEnter
        static void onEnter(@Advice.This Object connection, @Advice.Argument(0) HttpRequest request) throws IOException {
            IOException refusal;
            try {
                // The host the Host header asks for, as ProtocolExec chose it: the virtual-host parameter, else the
                // original request's absolute URI (execute(target, new HttpGet("http://other/x")) sends it to target).
                String askedScheme = null;
                String askedHost = null;
                int askedPort = -1;
                if (request instanceof HttpRequestWrapper) {
                    Object virtual = request.getParams().getParameter("http.virtual-host");
                    HttpRequest original = ((HttpRequestWrapper) request).getOriginal();
                    URI uri = original instanceof HttpUriRequest ? ((HttpUriRequest) original).getURI() : null;
                    if (virtual instanceof HttpHost) {
                        askedHost = ((HttpHost) virtual).getHostName();
                        askedPort = ((HttpHost) virtual).getPort();
                    } else if (uri != null && uri.isAbsolute() && uri.getHost() != null) {
                        askedScheme = uri.getScheme();
                        askedHost = uri.getHost();
                        askedPort = uri.getPort();
                    }
                }
                // What follows the head: the entity of an entity-enclosing request (framed as the head says), else nothing.
                HttpEntity entity = request instanceof HttpEntityEnclosingRequest ? ((HttpEntityEnclosingRequest) request).getEntity() : null;
                Header[] lengths = request.getHeaders("Content-Length");
                Header[] encodings = request.getHeaders("Transfer-Encoding");
                List<String> names = new ArrayList<>();
                List<String> lines = new ArrayList<>();
                for (Header header : request.getAllHeaders()) {
                    names.add(header.getName()); // written unchecked: a name that is not a token is refused
                    lines.add(header.getName());
                    lines.add(header.getValue());
                }
                String owed = OwedBodies.owedBy(connection);
                refusal = HttpActions.refusalOfFraming(owed != null ? owed : MessageFraming.ofHead(names, lengths.length,
                        lengths.length == 0 ? null : lengths[0].getValue(), encodings.length, encodings.length == 0 ? null : encodings[0].getValue(),
                        MessageFraming.body(entity != null, entity == null || entity.isChunked() ? -1L : entity.getContentLength())));
                if (refusal == null) {
                    refusal = HttpActions.refusalForWrite(request, request.getRequestLine().getMethod(), request.getRequestLine().getUri(),
                            askedScheme, askedHost, askedPort, entity, lines);
                }
                if (refusal == null) {
                    // Owed until sendRequestEntity writes it: skipped, what the server reads next is this body.
                    OwedBodies.headWritten(connection, entity != null && (entity.isChunked() || entity.getContentLength() != 0));
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
