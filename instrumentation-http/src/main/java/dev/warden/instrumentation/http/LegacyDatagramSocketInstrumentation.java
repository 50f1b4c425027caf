package dev.warden.instrumentation.http;

import dev.warden.bootstrap.ActionScope;
import dev.warden.bootstrap.http.DatagramActions;
import dev.warden.instrumentation.api.TypeInstrumentation;
import dev.warden.instrumentation.api.TypeTransformer;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.InetAddress;
import java.util.List;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

/**
 * The other way a {@code DatagramSocket} sends: {@code java.net.NetMulticastSocket} over a
 * {@code DatagramSocketImpl}, used when an application installs a {@code DatagramSocketImplFactory}
 * or hands a socket its own impl, and on JDK 17 whenever the system property
 * {@code jdk.net.usePlainDatagramSocketImpl} is {@code true} (read at each socket's creation, so the
 * application can set it itself). Its sends and its connect are decided like the channel's.
 */
final class LegacyDatagramSocketInstrumentation implements TypeInstrumentation {

    @Override
    public ElementMatcher<TypeDescription> typeMatcher() {
        return named("java.net.NetMulticastSocket");
    }

    @Override
    public List<String> requiredJdkTypes() {
        return List.of("java.net.NetMulticastSocket");
    }

    @Override
    public void transform(TypeTransformer transformer) {
        transformer.applyAdvice(named("send").and(takesArgument(0, DatagramPacket.class)), SendAdvice.class);
        transformer.applyAdvice(named("connectInternal").and(takesArguments(InetAddress.class, int.class)), ConnectAdvice.class);
    }

    static final class SendAdvice {

        @Advice.OnMethodEnter(skipOn = Advice.OnNonDefaultValue.class)
        static IOException onEnter(@Advice.Argument(0) DatagramPacket packet,
                                   @Advice.FieldValue("connectedAddress") InetAddress peerAddress,
                                   @Advice.FieldValue("connectedPort") int peerPort,
                                   @Advice.Local("wardenScope") ActionScope scope) {
            scope = ActionScope.enter(DatagramActions.DEPTH);
            return DatagramActions.refusalForLegacySend(scope, packet, peerAddress, peerPort);
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
        static IOException onEnter(@Advice.Argument(0) InetAddress address, @Advice.Argument(1) int port,
                                   @Advice.Local("wardenScope") ActionScope scope) {
            scope = ActionScope.enter(DatagramActions.DEPTH);
            return DatagramActions.refusalForConnect(scope, address, port, "datagram");
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
