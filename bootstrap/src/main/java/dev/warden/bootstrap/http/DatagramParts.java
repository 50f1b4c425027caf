package dev.warden.bootstrap.http;

import dev.warden.bootstrap.ActionRequest;
import dev.warden.bootstrap.ActionScope;
import dev.warden.bootstrap.Decision;
import dev.warden.bootstrap.OwnParts;

import java.lang.invoke.MethodType;
import java.net.DatagramPacket;

/**
 * Whether a datagram, a datagram connect or a JNDI DNS query is the own part of the decided datagram call enclosing it
 * (a {@code DatagramSocket}'s send passing through its channel's, a DNS query's datagrams), and so inherits its decision:
 * only when nothing but JDK code runs between the two. Host code can run there: a {@code DatagramSocketImpl} of the
 * application's (its own socket subclass, or a {@code DatagramSocketImplFactory}, which the JDK's DNS client uses too),
 * or a {@code SecurityManager} the JDK asks while it sends (JDK 17). Until a review of 2026-12-07 a datagram such code
 * sent inherited the permitted one's decision, wherever it went. Now it is decided on its own.
 * ({@link OwnParts}).
 */
final class DatagramParts {

    private DatagramParts() {
    }

    /** Decides the call, inheriting the enclosing decided call's decision only when it is that call's own part. */
    static Decision decide(ActionScope scope, ActionRequest request) {
        return OwnParts.decide(scope, request, DatagramParts::isAdvised);
    }

    /** The JDK methods whose advice opens a scope of {@link DatagramActions#DEPTH}. */
    private static boolean isAdvised(StackWalker.StackFrame frame) {
        String method = frame.getMethodName();
        MethodType signature = frame.getMethodType();
        switch (frame.getDeclaringClass().getName()) {
            case "sun.nio.ch.DatagramChannelImpl":
                return method.equals("blockingSend") || (method.equals("send") || method.equals("connect")) && signature.parameterCount() == 2;
            case "java.net.NetMulticastSocket":
                return method.equals("connectInternal")
                        || method.equals("send") && signature.parameterCount() > 0 && signature.parameterType(0) == DatagramPacket.class;
            case "com.sun.jndi.dns.DnsClient":
                return method.equals("query") && signature.parameterCount() == 5;
            default:
                return false;
        }
    }
}
