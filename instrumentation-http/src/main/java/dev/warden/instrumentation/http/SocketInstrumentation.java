package dev.warden.instrumentation.http;

import dev.warden.bootstrap.ActionScope;
import dev.warden.bootstrap.http.NetActions;
import dev.warden.instrumentation.api.TypeInstrumentation;
import dev.warden.instrumentation.api.TypeTransformer;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

import java.io.IOException;
import java.net.SocketAddress;
import java.util.List;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.namedOneOf;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

/**
 * Blocking sockets: every {@code java.net.Socket} connect, including the JDK's TLS sockets, ends in
 * {@code connect(SocketAddress, int)}. {@code Socket} is loaded long before premain, so this relies
 * on retransformation, and on {@code java.base} reading Warden's bootstrap classes.
 */
final class SocketInstrumentation implements TypeInstrumentation {

    @Override
    public ElementMatcher<TypeDescription> typeMatcher() {
        return named("java.net.Socket");
    }

    @Override
    public List<String> requiredJdkTypes() {
        return List.of("java.net.Socket");
    }

    @Override
    public void transform(TypeTransformer transformer) {
        transformer.applyAdvice(named("connect").and(takesArguments(SocketAddress.class, int.class)), ConnectAdvice.class);
    }

    /**
     * A socket with a SOCKS proxy (its own, or one a {@code ProxySelector} chose) connects to the
     * proxy inside its {@code SocksSocketImpl}, below {@code Socket.connect} (which decides where the
     * proxy is asked to go): the proxy itself is decided here, as a connect of its own. The method
     * is {@code privilegedConnect} on JDK 17, {@code doConnect} on later JDKs.
     */
    static final class SocksProxyInstrumentation implements TypeInstrumentation {

        @Override
        public ElementMatcher<TypeDescription> typeMatcher() {
            return named("java.net.SocksSocketImpl");
        }

        @Override
        public List<String> requiredJdkTypes() {
            return List.of("java.net.SocksSocketImpl");
        }

        @Override
        public void transform(TypeTransformer transformer) {
            transformer.applyAdvice(namedOneOf("privilegedConnect", "doConnect").and(takesArguments(String.class, int.class, int.class)),
                    ProxyAdvice.class);
        }
    }

    static final class ProxyAdvice {

        @Advice.OnMethodEnter(skipOn = Advice.OnNonDefaultValue.class)
        static IOException onEnter(@Advice.Argument(0) String server, @Advice.Argument(1) int serverPort,
                                   @Advice.Local("wardenScope") ActionScope scope) {
            scope = ActionScope.enter(NetActions.SURFACE);
            return NetActions.refusalForProxy(scope, server, serverPort);
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

    static final class ConnectAdvice {

        @Advice.OnMethodEnter(skipOn = Advice.OnNonDefaultValue.class)
        static IOException onEnter(@Advice.This Object socket, @Advice.Argument(0) SocketAddress endpoint,
                                   @Advice.Local("wardenScope") ActionScope scope) {
            scope = ActionScope.enter(NetActions.SURFACE);
            return NetActions.refusalFor(scope, endpoint, "socket");
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
}
