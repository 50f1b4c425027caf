package dev.warden.instrumentation.http;

import dev.warden.bootstrap.ActionScope;
import dev.warden.bootstrap.http.DatagramActions;
import dev.warden.instrumentation.api.TypeInstrumentation;
import dev.warden.instrumentation.api.TypeTransformer;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

import java.io.IOException;

import static net.bytebuddy.matcher.ElementMatchers.declaresMethod;
import static net.bytebuddy.matcher.ElementMatchers.nameEndsWith;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

/**
 * The other way Netty's epoll datagram channel sends: when more than one datagram waits to be flushed, all of them go
 * in one {@code sendmmsg} from JNI, through {@code io.netty.channel.epoll.LinuxSocket.sendmmsg(packets, offset, len)},
 * past {@code Socket.sendTo*} ({@link NettyNativeSocketInstrumentation}) and past the JDK. Each packet's recipient is a
 * datagram {@code SEND}, decided before the call; a refusal fails the call, and Netty fails that message and sends the
 * rest again. Matched by name suffix, as the shaded copies of Netty are.
 */
final class NettyNativeDatagramInstrumentation implements TypeInstrumentation {

    @Override
    public ElementMatcher<TypeDescription> typeMatcher() {
        return nameEndsWith("io.netty.channel.epoll.LinuxSocket").and(declaresMethod(named("sendmmsg").and(takesArguments(3))));
    }

    @Override
    public void transform(TypeTransformer transformer) {
        transformer.applyAdvice(named("sendmmsg").and(takesArguments(3)).and(takesArgument(1, int.class)).and(takesArgument(2, int.class)),
                SendManyAdvice.class);
    }

    static final class SendManyAdvice {

        @Advice.OnMethodEnter(skipOn = Advice.OnNonDefaultValue.class)
        static IOException onEnter(@Advice.Argument(0) Object[] packets, @Advice.Argument(1) int offset,
                                   @Advice.Argument(2) int count, @Advice.Local("wardenScope") ActionScope scope) {
            scope = ActionScope.enter(DatagramActions.DEPTH);
            return DatagramActions.refusalForNativeSends(scope, packets, offset, count, NettyNativeSocketInstrumentation.VIA);
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
