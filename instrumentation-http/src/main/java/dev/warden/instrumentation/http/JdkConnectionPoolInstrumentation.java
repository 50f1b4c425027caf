package dev.warden.instrumentation.http;

import dev.warden.instrumentation.api.TypeInstrumentation;
import dev.warden.instrumentation.api.TypeTransformer;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.implementation.bytecode.assign.Assigner;
import net.bytebuddy.matcher.ElementMatcher;

import java.net.InetSocketAddress;
import java.util.List;

import static net.bytebuddy.matcher.ElementMatchers.isConstructor;
import static net.bytebuddy.matcher.ElementMatchers.named;

/**
 * The JDK client's pool of kept-alive connections keys a plain connection by its destination's address alone
 * ({@code ConnectionPool.CacheKey}: {@code InetSocketAddress.equals} compares resolved addresses, not names), so a
 * request to another name that resolves to the same address took a connection opened for the first: no connect, and
 * so no check of where the name leads. A request decided for {@code api.example.com}, a name DNS points at
 * 127.0.0.1, rode a pooled connection of a permitted request to {@code localhost} to the loopback server that the
 * rebinding check refuses it (HTTP.md). The key is made of the name the request gave instead (unresolved, compared
 * by name and port, as OkHttp, the Apache clients and {@code HttpURLConnection} key theirs): a connection serves
 * the name it was connected, and checked, for. Both its look-up and its return to the pool build a key, so both
 * change alike. (A secure key compares the name already; a key through a proxy holds an unresolved name.)
 */
final class JdkConnectionPoolInstrumentation implements TypeInstrumentation {

    private static final String CACHE_KEY = "jdk.internal.net.http.ConnectionPool$CacheKey";

    @Override
    public ElementMatcher<TypeDescription> typeMatcher() {
        return named(CACHE_KEY);
    }

    @Override
    public List<String> requiredJdkTypes() {
        return List.of(CACHE_KEY);
    }

    @Override
    public void transform(TypeTransformer transformer) {
        // (destination, proxy) on JDK 17; (secure, destination, proxy) on later JDKs: the destination is the first address.
        transformer.applyAdvice(isConstructor(), KeyAdvice.class);
    }

    static final class KeyAdvice {

        @Advice.OnMethodEnter
        static void onEnter(@Advice.AllArguments(readOnly = false, typing = Assigner.Typing.DYNAMIC) Object[] arguments) {
            Object[] keyed = arguments.clone();
            for (int i = 0; i < keyed.length; i++) {
                if (keyed[i] instanceof InetSocketAddress) {
                    InetSocketAddress destination = (InetSocketAddress) keyed[i];
                    keyed[i] = InetSocketAddress.createUnresolved(destination.getHostString(), destination.getPort());
                    break;
                }
            }
            arguments = keyed;
        }
    }
}
