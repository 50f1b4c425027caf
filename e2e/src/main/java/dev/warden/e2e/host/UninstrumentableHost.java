package dev.warden.e2e.host;

import net.bytebuddy.ByteBuddy;
import net.bytebuddy.description.modifier.Visibility;
import net.bytebuddy.implementation.MethodCall;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Defines a class named like a Warden target that Warden cannot advise: OkHttp's
 * {@code okhttp3.internal.connection.RealCall}, as a later version might ship it, without the
 * {@code execute}/{@code enqueue} methods Warden advises. Its {@code send} writes a marker file, the
 * side channel a test reads to know whether it ran.
 *
 * <pre>
 *   java UninstrumentableHost MARKER-FILE
 *   out:  RAN | REFUSED error=...
 * </pre>
 */
public final class UninstrumentableHost {

    public static void main(String[] args) throws Exception {
        System.setProperty("marker", args[0]);
        byte[] bytes = new ByteBuddy().subclass(Object.class).name("okhttp3.internal.connection.RealCall")
                .defineMethod("send", void.class, Visibility.PUBLIC)
                .intercept(MethodCall.invoke(UninstrumentableHost.class.getMethod("touchMarker")))
                .make().getBytes();
        ClassLoader loader = new MemoryClassLoader(Map.of("okhttp3/internal/connection/RealCall.class", bytes),
                UninstrumentableHost.class.getClassLoader());
        try {
            Object call = Class.forName("okhttp3.internal.connection.RealCall", true, loader).getDeclaredConstructor().newInstance();
            call.getClass().getMethod("send").invoke(call);
            System.out.println("RAN");
        } catch (Throwable refused) {
            Throwable cause = refused.getCause() != null ? refused.getCause() : refused;
            System.out.println("REFUSED error=" + refused.getClass().getSimpleName() + ": " + cause.getMessage());
        }
        System.out.println("DONE");
    }

    public static void touchMarker() throws Exception {
        Files.writeString(Path.of(System.getProperty("marker")), "ran");
    }
}
