package dev.warden.instrumentation.http;

import dev.warden.bootstrap.ActionScope;
import dev.warden.bootstrap.http.DatagramActions;
import dev.warden.instrumentation.api.TypeInstrumentation;
import dev.warden.instrumentation.api.TypeTransformer;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

import java.io.IOException;

import static net.bytebuddy.matcher.ElementMatchers.declaresMethod;
import static net.bytebuddy.matcher.ElementMatchers.nameEndsWith;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

/**
 * Netty's io_uring datagram channel (the incubator's {@code IOUringDatagramChannel}; Netty 4.2's
 * {@code IoUringDatagramChannel} by name, not run) never calls {@code Socket.sendTo*}: its write loop writes each
 * datagram's recipient into native memory and submits {@code sendmsg} to the ring. That loop cannot refuse one write (a
 * throw there is "should never happen"), so each write is decided where it enters the channel, in
 * {@code filterOutboundMessage}, before it is queued: Netty's {@code AbstractUnsafe.write} fails that write's promise
 * with what this throws and releases the message. Until a twelfth review, 2026-12-07, these datagrams were not decided.
 * Matched by name suffix, for shaded copies.
 */
final class NettyIoUringDatagramInstrumentation implements TypeInstrumentation {

    private static final ElementMatcher.Junction<MethodDescription> FILTER = named("filterOutboundMessage")
            .and(takesArguments(1)).and(takesArgument(0, Object.class));

    @Override
    public ElementMatcher<TypeDescription> typeMatcher() {
        return nameEndsWith("io.netty.incubator.channel.uring.IOUringDatagramChannel")
                .or(nameEndsWith("io.netty.channel.uring.IoUringDatagramChannel"))
                .and(declaresMethod(FILTER));
    }

    @Override
    public void transform(TypeTransformer transformer) {
        transformer.applyAdvice(FILTER, FilterAdvice.class);
    }

    static final class FilterAdvice {

        @Advice.OnMethodEnter(skipOn = Advice.OnNonDefaultValue.class)
        static IOException onEnter(@Advice.This Object channel, @Advice.Argument(0) Object message,
                                   @Advice.Local("wardenScope") ActionScope scope) {
            scope = ActionScope.enter(DatagramActions.DEPTH);
            return DatagramActions.refusalForRingWrite(scope, channel, message, NettyIoUringConnectInstrumentation.VIA);
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
