package dev.warden.instrumentation.http;

import dev.warden.bootstrap.ActionScope;
import dev.warden.bootstrap.http.NetActions;
import dev.warden.instrumentation.api.TypeInstrumentation;
import dev.warden.instrumentation.api.TypeTransformer;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.implementation.bytecode.assign.Assigner;
import net.bytebuddy.matcher.ElementMatcher;

import java.io.IOException;
import java.net.SocketAddress;
import java.nio.channels.CompletionHandler;
import java.util.concurrent.CompletableFuture;
import java.util.List;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

/**
 * NIO.2's {@code AsynchronousSocketChannel}: both public {@code connect} methods are final in
 * {@code sun.nio.ch.AsynchronousSocketChannelImpl}, whatever the platform's subclass, and connect
 * natively without going through {@code SocketChannelImpl}. A refused connect fails as an
 * asynchronous connect fails: the returned future fails, or the handler's {@code failed} is called.
 * The handler is called on the initiating thread (the group's threads are out of reach of advice),
 * as Warden answers OkHttp's callbacks.
 */
final class AsynchronousSocketChannelInstrumentation implements TypeInstrumentation {

    static final String VIA = "async-channel";

    @Override
    public ElementMatcher<TypeDescription> typeMatcher() {
        return named("sun.nio.ch.AsynchronousSocketChannelImpl");
    }

    @Override
    public List<String> requiredJdkTypes() {
        return List.of("sun.nio.ch.AsynchronousSocketChannelImpl");
    }

    @Override
    public void transform(TypeTransformer transformer) {
        transformer.applyAdvice(named("connect").and(takesArguments(SocketAddress.class)), FutureConnectAdvice.class);
        transformer.applyAdvice(named("connect").and(takesArguments(3)).and(takesArgument(0, SocketAddress.class)),
                HandlerConnectAdvice.class);
    }

    /** {@code Future<Void> connect(remote)}: a refusal is a failed future. */
    static final class FutureConnectAdvice {

        @Advice.OnMethodEnter(skipOn = Advice.OnNonDefaultValue.class)
        static IOException onEnter(@Advice.This Object channel, @Advice.Argument(0) SocketAddress endpoint,
                                   @Advice.Local("wardenScope") ActionScope scope) {
            scope = ActionScope.enter(NetActions.SURFACE);
            return NetActions.refusalFor(scope, endpoint, VIA);
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class)
        static void onExit(@Advice.Enter IOException denial, @Advice.Local("wardenScope") ActionScope scope,
                           @Advice.Return(readOnly = false, typing = Assigner.Typing.DYNAMIC) Object result) {
            scope.exit();
            if (denial != null) {
                result = CompletableFuture.failedFuture(denial);
            }
        }
    }

    /** {@code connect(remote, attachment, handler)}: a refusal is the handler's {@code failed}. */
    static final class HandlerConnectAdvice {

        @Advice.OnMethodEnter(skipOn = Advice.OnNonDefaultValue.class)
        static IOException onEnter(@Advice.This Object channel, @Advice.Argument(0) SocketAddress endpoint,
                                   @Advice.Argument(2) CompletionHandler<Void, Object> handler,
                                   @Advice.Local("wardenScope") ActionScope scope) {
            scope = ActionScope.enter(NetActions.SURFACE);
            if (handler == null) {
                return null; // a null handler: the method throws its own NullPointerException, nothing connects
            }
            return NetActions.refusalFor(scope, endpoint, VIA);
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class)
        static void onExit(@Advice.Enter IOException denial, @Advice.Local("wardenScope") ActionScope scope,
                           @Advice.Argument(1) Object attachment,
                           @Advice.Argument(2) CompletionHandler<Void, Object> handler) {
            scope.exit();
            if (denial != null) {
                handler.failed(denial, attachment);
            }
        }
    }
}
