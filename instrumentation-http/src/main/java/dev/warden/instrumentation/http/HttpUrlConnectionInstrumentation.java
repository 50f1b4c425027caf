package dev.warden.instrumentation.http;

import dev.warden.bootstrap.ActionScope;
import dev.warden.bootstrap.http.HttpActions;
import dev.warden.bootstrap.http.OutboundRequest;
import dev.warden.bootstrap.http.RequestBodies;
import dev.warden.bootstrap.http.HandlerHeaders;
import dev.warden.bootstrap.http.UrlConnectionHeads;
import dev.warden.bootstrap.http.ServerNamedProxies;
import dev.warden.bootstrap.http.ResentRequests;
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
 * What is written later ({@code writeRequests}) is checked against what was decided. The JDK's own resend of a
 * request over a new connection reconnects outside {@code plainConnect0}, and every head is checked where its connection
 * writes it: see {@link UrlConnectionClientInstrumentation}.
 * A {@code 305 Use Proxy} answer, which it would follow outside {@code plainConnect0} through the proxy the server
 * names, is refused where it is followed ({@code followRedirect0}).
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
        transformer.applyAdvice(named("writeRequests").and(takesArguments(0)), WriteAdvice.class);
        transformer.applyAdvice(named("followRedirect0").and(takesArguments(3)), FollowAdvice.class);
        // Where the JDK resends a request over a new connection (ResentRequests): every resend runs inside these.
        transformer.applyAdvice(named("getInputStream0").and(takesArguments(0)), SendingAdvice.class);
        transformer.applyAdvice(named("getOutputStream0").and(takesArguments(0)), SendingAdvice.class);
    }

    static final class ConnectAdvice {

        @Advice.OnMethodEnter(skipOn = Advice.OnNonDefaultValue.class)
        static IOException onEnter(@Advice.This HttpURLConnection connection,
                                   @Advice.FieldValue("requests") Object requests,
                                   @Advice.Local("wardenScope") ActionScope scope) {
            scope = ActionScope.enter(HttpActions.SURFACE);
            if (scope.isWardensOwn()) {
                return null;
            }
            OutboundRequest outbound;
            String headers;
            try {
                // The lines of the head as the connection holds it: getRequestProperties() hides Authorization.
                outbound = OutboundRequest.of("http-url-connection", connection.getRequestMethod(), connection.getURL(),
                        UrlConnectionHeads.names(requests), -1L, HttpActions.isFollowUp(connection));
                // The application's header lines, Authorization included, which getRequestProperties() hides.
                headers = UrlConnectionHeads.headersDigest(requests);
            } catch (Throwable e) { // whatever the client's objects throw: refused, never sent undecided
                return HttpActions.unreadable(scope, e);
            }
            // A body is written to the output stream after this decision: unknown here, bound as such.
            IOException refusal = HttpActions.refusalFor(scope, outbound, null,
                    connection.getDoOutput() ? RequestBodies.WRITTEN_AFTER_DECISION : null, headers);
            HttpActions.decidedFor(connection, scope, outbound);
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
     * Following an answer: a {@code 305 Use Proxy} would send the decided request through the proxy its
     * {@code Location} names, a server's choice no decision covers ({@link ServerNamedProxies}); it is refused.
     */
    static final class FollowAdvice {

        @Advice.OnMethodEnter
        static void onEnter(@Advice.Argument(0) String location, @Advice.Argument(1) int status) throws IOException {
            IOException refusal = ServerNamedProxies.refusalFor(status, location);
            if (refusal != null) {
                throw refusal;
            }
        }
    }

    /** Marks the connection this thread sends the request of, or reads the answer of. */
    static final class SendingAdvice {

        @Advice.OnMethodEnter
        static Object onEnter(@Advice.This HttpURLConnection connection) {
            return ResentRequests.sending(connection);
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class)
        static void onExit(@Advice.Enter Object before) {
            ResentRequests.done(before);
        }
    }

    /**
     * Writing the request: decided again when it is not what was decided at connect (a {@code GET}
     * that became a {@code POST} when the host opened the output stream of a connected connection). The head it then
     * adds the host's handlers' {@code Cookie} and cached {@code Authorization} to is checked where it is written
     * ({@link HandlerHeaders}, {@link UrlConnectionClientInstrumentation}), which knows the connection through this thread.
     */
    static final class WriteAdvice {

        @Advice.OnMethodExit(onThrowable = Throwable.class)
        static void onExit(@Advice.Enter Object before) {
            HandlerHeaders.done(before);
        }

        @Advice.OnMethodEnter
        static Object onEnter(@Advice.This HttpURLConnection connection) throws IOException {
            IOException refusal;
            try {
                // Request properties cannot be read once connected; header names are not compared anyway.
                refusal = HttpActions.refusalForWrite(connection, OutboundRequest.of("http-url-connection",
                        connection.getRequestMethod(), connection.getURL(), java.util.List.of(), -1L, false),
                        connection.getDoOutput() ? RequestBodies.WRITTEN_AFTER_DECISION : null);
            } catch (Throwable e) { // whatever the connection throws: not written undecided
                refusal = HttpActions.unreadableHop(e);
            }
            if (refusal != null) {
                throw refusal;
            }
            return HandlerHeaders.writing(connection);
        }
    }
}
