package dev.warden.bootstrap.http;

import dev.warden.bootstrap.ActionScope;
import dev.warden.bootstrap.Decision;
import dev.warden.bootstrap.Obligations;
import dev.warden.bootstrap.Outcome;
import dev.warden.bootstrap.TestGate;
import dev.warden.bootstrap.http.ResentRequests.Site;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The JDK's resend of a permitted {@code HttpURLConnection} request over a new connection gets the request's connect
 * again, to where it was decided to go, for the JDK client's code only; nothing else does.
 */
class ResentRequestsTest {

    private static final String JDK_CLIENT = "sun.net.www.http.HttpClient";
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    /** Where the advice is inlined: the JDK classes that call ResentRequests. */
    private static final Class<?> OPEN_SERVER = jdkClass("sun.net.www.http.HttpClient");
    private static final Class<?> MULTI_EXCHANGE = jdkClass("jdk.internal.net.http.MultiExchange");
    private static final Class<?> CONNECTION = jdkClass("sun.net.www.protocol.http.HttpURLConnection");
    /** HttpClient.parseHTTP reopening the server when the answer never came: the JDK's resend. */
    private static final List<Site> PARSE_RESEND = List.of(new Site(OPEN_SERVER, "openServer"), new Site(OPEN_SERVER, "parseHTTP"),
            new Site(CONNECTION, "getInputStream0"));

    @AfterEach
    void uninstall() {
        TestGate.clear();
        ResentRequests.done(null);
    }

    @Test
    void aResendOfAPermittedRequestMayConnectOnceToWhereItWasDecidedToGo() {
        Object connection = connectionDecided(Outcome.PERMIT, 8131);
        ConnectGrants.take(Host.of("localhost"), 8131, LOOPBACK, AddressClass.LOOPBACK, JDK_CLIENT); // its first connect

        Object before = ResentRequests.sending(connection);
        ResentRequests.reconnecting(PARSE_RESEND);
        ResentRequests.done(before);

        assertThat(take(8131, "com.example.Agent")).as("a raw socket of the host's").isNull();
        assertThat(take(8131, "sun.net.ftp.impl.FtpClient")).as("the JDK's FTP client").isNull();
        assertThat(take(8132, JDK_CLIENT)).as("another port").isNull();
        assertThat(take(8131, JDK_CLIENT)).as("the resend's connect").isNotNull();
        assertThat(take(8131, JDK_CLIENT)).as("a second one").isNull();
    }

    @Test
    void aClientsRetryOfARequestItWasGrantedGetsOneMoreConnect() {
        connectionDecided(Outcome.PERMIT, 8137);
        take(8137, JDK_CLIENT); // the first attempt's

        ResentRequests.resending(request(8137), MULTI_EXCHANGE);

        assertThat(take(8137, JDK_CLIENT)).as("the retry's").isNotNull();
        assertThat(take(8137, JDK_CLIENT)).isNull();
    }

    @Test
    void noDestinationANoDecisionGrantedIsGrantedByAResend() {
        // Public, so host code can call it: it must not mint a grant for a request nobody decided.
        ResentRequests.resending(new OutboundRequest("okhttp", "GET", "http", "localhost", 8138, "/", null, false, List.of(), -1, false),
                MULTI_EXCHANGE);
        connectionDecided(Outcome.SILENCE, 8139);
        ResentRequests.resending(request(8139), MULTI_EXCHANGE);

        assertThat(ConnectGrants.take(Host.of("localhost"), 8138, LOOPBACK, AddressClass.LOOPBACK,
                "okhttp3.internal.platform.Platform")).isNull();
        assertThat(take(8139, JDK_CLIENT)).isNull();
    }

    @Test
    void onlyTheJdksTwoResendsGetTheConnectAgain() {
        Object connection = connectionDecided(Outcome.PERMIT, 8143);
        take(8143, JDK_CLIENT); // its first connect
        List<Site> building = List.of(new Site(OPEN_SERVER, "openServer"), new Site(OPEN_SERVER, "<init>"),
                new Site(OPEN_SERVER, "New"), new Site(OPEN_SERVER, "New"), new Site(CONNECTION, "setNewClient"),
                new Site(CONNECTION, "setNewClient"));

        ResentRequests.sending(connection);
        ResentRequests.reconnecting(concat(building, new Site(CONNECTION, "followRedirect0"))); // a 305's proxy
        ResentRequests.reconnecting(concat(building, new Site(CONNECTION, "doTunneling0"))); // a tunnel's auth retry
        ResentRequests.reconnecting(List.of(new Site(OPEN_SERVER, "openServer"))); // no caller at all
        ResentRequests.reconnecting(List.of(new Site(CONNECTION, "writeRequests"))); // not openServer

        assertThat(take(8143, JDK_CLIENT)).as("none of those").isNull();

        ResentRequests.reconnecting(concat(building, new Site(CONNECTION, "writeRequests"))); // the write failed: resent
        assertThat(take(8143, JDK_CLIENT)).as("writeRequests' resend").isNotNull();
        ResentRequests.reconnecting(List.of(new Site(OPEN_SERVER, "openServer"), new Site(OPEN_SERVER, "parseHTTPHeader")));
        assertThat(take(8143, JDK_CLIENT)).as("parseHTTPHeader's resend").isNotNull();
        assertThat(take(8143, JDK_CLIENT)).isNull();
    }

    private static List<Site> concat(List<Site> sites, Site last) {
        List<Site> all = new java.util.ArrayList<>(sites);
        all.add(last);
        return all;
    }

    @Test
    void aRefusedRequestHasNothingToResend() {
        Object connection = connectionDecided(Outcome.SILENCE, 8133);

        ResentRequests.sending(connection);
        ResentRequests.reconnecting(PARSE_RESEND);

        assertThat(take(8133, JDK_CLIENT)).isNull();
    }

    @Test
    void theDecidedConnectItselfIsNotGrantedTwice() {
        Object connection = connectionDecided(Outcome.PERMIT, 8134);
        ResentRequests.sending(connection);
        ActionScope scope = ActionScope.enter(HttpActions.SURFACE);
        try {
            // plainConnect0 deciding the connection's next request: the decision's own grant is the one connect
            HttpActions.refusalFor(scope, request(8134));
            ResentRequests.reconnecting(PARSE_RESEND);
        } finally {
            scope.exit();
        }

        assertThat(take(8134, JDK_CLIENT)).isNotNull(); // the first request's, unused here
        assertThat(take(8134, JDK_CLIENT)).isNotNull(); // the second's
        assertThat(take(8134, JDK_CLIENT)).as("none more").isNull();
    }

    @Test
    void outsideAnyConnectionsSendingNothingIsGranted() {
        connectionDecided(Outcome.PERMIT, 8135);
        take(8135, JDK_CLIENT);

        ResentRequests.reconnecting(PARSE_RESEND);

        assertThat(take(8135, JDK_CLIENT)).isNull();
    }

    @Test
    void sendingNestsAndRestoresTheConnectionBefore() {
        Object outer = connectionDecided(Outcome.PERMIT, 8136);
        take(8136, JDK_CLIENT);
        Object inner = new Object();

        Object before = ResentRequests.sending(outer);
        Object outerBefore = ResentRequests.sending(inner);
        ResentRequests.done(outerBefore);
        ResentRequests.reconnecting(PARSE_RESEND);
        ResentRequests.done(before);

        assertThat(take(8136, JDK_CLIENT)).as("granted for the outer connection again").isNotNull();
    }

    @Test
    void calledByAnythingButTheJdksOwnClassesTheyGrantNothing() {
        Object connection = connectionDecided(Outcome.PERMIT, 8140);
        take(8140, JDK_CLIENT); // its first connect

        ResentRequests.sending(connection);
        ResentRequests.reconnecting(); // the caller is this test, as it would be host code
        ResentRequests.resending(request(8140));
        ResentRequests.reconnecting(List.of(new Site(ResentRequestsTest.class, "openServer"),
                new Site(ResentRequestsTest.class, "parseHTTP")));
        ResentRequests.resending(request(8140), OPEN_SERVER); // the other JDK class

        assertThat(take(8140, JDK_CLIENT)).isNull();
    }

    @Test
    void onlyTheDecidedRequestIsRememberedForAConnection() {
        TestGate.answerWith(request -> new Decision(Outcome.PERMIT, true, List.of("rule"), "because", "receipt-1", Obligations.NONE));
        Object connection = new Object();
        ActionScope scope = ActionScope.enter(HttpActions.SURFACE);
        try {
            HttpActions.refusalFor(scope, request(8141));
            HttpActions.decidedFor(connection, scope, request(8142)); // another request than the one decided
        } finally {
            scope.exit();
        }

        assertThat(HttpActions.permittedFor(connection)).isNull();
    }

    private static Class<?> jdkClass(String name) {
        try {
            return Class.forName(name, false, ClassLoader.getPlatformClassLoader());
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Object connectionDecided(Outcome outcome, int port) {
        TestGate.answerWith(request -> new Decision(outcome, true, List.of("rule"), "because", "receipt-1", Obligations.NONE));
        Object connection = new Object();
        ActionScope scope = ActionScope.enter(HttpActions.SURFACE);
        try {
            HttpActions.refusalFor(scope, request(port));
            HttpActions.decidedFor(connection, scope, request(port));
        } finally {
            scope.exit();
        }
        return connection;
    }

    private static OutboundRequest request(int port) {
        return new OutboundRequest("http-url-connection", "GET", "http", "localhost", port, "/", null, false, List.of(), -1, false);
    }

    private static ConnectGrants.Grant take(int port, String caller) {
        return ConnectGrants.take(Host.of("localhost"), port, LOOPBACK, AddressClass.LOOPBACK, caller);
    }
}
