package dev.warden.instrumentation.http;

import dev.warden.bootstrap.http.NameLookups;
import dev.warden.bootstrap.http.ReachabilityProbes;
import dev.warden.instrumentation.api.TypeInstrumentation;
import dev.warden.instrumentation.api.TypeTransformer;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

import java.io.IOException;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.UnknownHostException;
import java.util.List;

import static net.bytebuddy.matcher.ElementMatchers.isStatic;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

/**
 * {@code java.net.InetAddress}: name lookups and reachability probes.
 * <ul>
 *   <li>{@code getAddressesFromNameService(String, ..)} is where every forward lookup asks the resolver
 *       ({@code getByName}, {@code getAllByName}, {@code getLocalHost}, {@code new InetSocketAddress(name, port)},
 *       every client's connect by name): on JDK 17 {@code (String, InetAddress)} over the
 *       {@code NameService}, from JDK 18 {@code (String)} over the {@code InetAddressResolver}. Only a
 *       cache miss gets there, and never a literal address;</li>
 *   <li>{@code isReachable(NetworkInterface, int, int)}: the other two overloads call it.</li>
 * </ul>
 * What the resolver answers is recorded as it returns: a connect to an address is decided for the name it carries
 * only when the resolver answered that name with it.
 */
final class InetAddressInstrumentation implements TypeInstrumentation {

    @Override
    public ElementMatcher<TypeDescription> typeMatcher() {
        return named("java.net.InetAddress");
    }

    @Override
    public List<String> requiredJdkTypes() {
        return List.of("java.net.InetAddress");
    }

    @Override
    public void transform(TypeTransformer transformer) {
        transformer.applyAdvice(isStatic().and(named("getAddressesFromNameService")).and(takesArgument(0, String.class)),
                LookupAdvice.class);
        transformer.applyAdvice(named("isReachable").and(takesArguments(NetworkInterface.class, int.class, int.class)),
                ProbeAdvice.class);
    }

    static final class LookupAdvice {

        @Advice.OnMethodEnter(skipOn = Advice.OnNonDefaultValue.class)
        static UnknownHostException onEnter(@Advice.Argument(0) String name) {
            return NameLookups.refusalFor(name);
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class)
        static void onExit(@Advice.Enter UnknownHostException denial, @Advice.Argument(0) String name,
                           @Advice.Return InetAddress[] answers, @Advice.Thrown(readOnly = false) Throwable thrown) {
            if (denial != null) {
                thrown = denial;
            } else if (thrown == null) {
                NameLookups.answered(name, answers);
            }
        }
    }

    static final class ProbeAdvice {

        @Advice.OnMethodEnter(skipOn = Advice.OnNonDefaultValue.class)
        static IOException onEnter(@Advice.This InetAddress address, @Advice.Argument(1) int ttl) {
            return ReachabilityProbes.refusalFor(address, ttl);
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class)
        static void onExit(@Advice.Enter IOException denial, @Advice.Thrown(readOnly = false) Throwable thrown) {
            if (denial != null) {
                thrown = denial;
            }
        }
    }
}
