package dev.warden.bootstrap.http;

import dev.warden.bootstrap.ActionRequest;
import dev.warden.bootstrap.ActionScope;
import dev.warden.bootstrap.Decision;
import dev.warden.bootstrap.Gate;

import java.lang.invoke.MethodType;
import java.net.DatagramPacket;
import java.util.Iterator;
import java.util.Set;

/**
 * Whether a datagram, a datagram connect or a JNDI DNS query is the own part of the decided datagram call enclosing it
 * (a {@code DatagramSocket}'s send passing through its channel's, a DNS query's datagrams), and so inherits its decision:
 * only when nothing but JDK code runs between the two. Host code can run there: a {@code DatagramSocketImpl} of the
 * application's (its own socket subclass, or a {@code DatagramSocketImplFactory}, which the JDK's DNS client uses too),
 * or a {@code SecurityManager} the JDK asks while it sends (JDK 17). Until a review of 2026-12-07 a datagram such code
 * sent inherited the permitted one's decision, wherever it went. Now it is decided on its own.
 * <p>
 * Every call of this depth is an advised JDK method, one frame each on the stack: the walk passes the inner call's,
 * then requires JDK frames only until the enclosing decided call's.
 */
final class DatagramParts {

    private static final StackWalker FRAMES = StackWalker.getInstance(Set.of(StackWalker.Option.RETAIN_CLASS_REFERENCE,
            StackWalker.Option.SHOW_HIDDEN_FRAMES, StackWalker.Option.SHOW_REFLECT_FRAMES));
    private static final ClassLoader PLATFORM = ClassLoader.getPlatformClassLoader();

    private DatagramParts() {
    }

    /** Decides the call, inheriting the enclosing decided call's decision only when it is that call's own part. */
    static Decision decide(ActionScope scope, ActionRequest request) {
        if (Gate.isInternal()) {
            return null;
        }
        int distance = scope.distanceToDecided();
        if (distance == 0 || onlyJdkCodeOut(distance)) {
            return scope.decideAsPartOfEnclosing(request);
        }
        return scope.decide(request);
    }

    private static boolean onlyJdkCodeOut(int distance) {
        return FRAMES.walk(frames -> {
            Iterator<StackWalker.StackFrame> iterator = frames.iterator();
            boolean pastInner = false;
            int left = distance;
            while (iterator.hasNext()) {
                StackWalker.StackFrame frame = iterator.next();
                boolean advised = isAdvised(frame);
                if (!pastInner) {
                    pastInner = advised; // Warden's frames above the inner call's own
                } else if (advised) {
                    if (--left == 0) {
                        return true;
                    }
                } else if (!isJdk(frame.getDeclaringClass())) {
                    return false;
                }
            }
            return false; // not found as expected: decided on its own
        });
    }

    /** The JDK methods whose advice opens a scope of {@link DatagramActions#DEPTH}. */
    private static boolean isAdvised(StackWalker.StackFrame frame) {
        Class<?> type = frame.getDeclaringClass();
        if (!isJdk(type)) {
            return false;
        }
        String method = frame.getMethodName();
        MethodType signature = frame.getMethodType();
        switch (type.getName()) {
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

    /** A class of the JDK's: the boot or platform loader's, in a named module (Warden's bootstrap classes are in neither). */
    private static boolean isJdk(Class<?> type) {
        ClassLoader loader = type.getClassLoader();
        return (loader == null || loader == PLATFORM) && type.getModule().isNamed();
    }
}
