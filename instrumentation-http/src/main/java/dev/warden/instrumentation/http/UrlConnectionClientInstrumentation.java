package dev.warden.instrumentation.http;

import dev.warden.bootstrap.http.ResentRequests;
import dev.warden.bootstrap.http.UrlConnectionHeads;
import dev.warden.instrumentation.api.TypeInstrumentation;
import dev.warden.instrumentation.api.TypeTransformer;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URL;
import java.util.List;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

/**
 * {@code sun.net.www.http.HttpClient}, {@code HttpURLConnection}'s connection (plain or TLS). {@code openServer()} opens
 * it: inside the decided {@code plainConnect0} for a request's first connect, and outside it when the JDK sends the
 * request again over a new connection ({@link ResentRequests}), which then continues the request's decision.
 * {@code writeRequests} writes each head, resends included, after the connection set its own framing: refused when
 * the head does not frame the body written after it ({@link UrlConnectionHeads}). The JDK drops an application's
 * {@code Content-Length} and {@code Transfer-Encoding} unless {@code sun.net.http.allowRestrictedHeaders} is set; with
 * it, a bodiless {@code GET}'s {@code Content-Length} was written as given, and an application's {@code Host} asked
 * the server for another host than the connection's URL names (refused too).
 */
final class UrlConnectionClientInstrumentation implements TypeInstrumentation {

    @Override
    public ElementMatcher<TypeDescription> typeMatcher() {
        return named("sun.net.www.http.HttpClient");
    }

    @Override
    public List<String> requiredJdkTypes() {
        return List.of("sun.net.www.http.HttpClient");
    }

    @Override
    public void transform(TypeTransformer transformer) {
        transformer.applyAdvice(named("openServer").and(takesArguments(0)), ReconnectAdvice.class);
        // The two-argument form: the three-argument one sets the streaming flag and calls it, and so do the resends.
        transformer.applyAdvice(named("writeRequests").and(takesArguments(2)), HeadAdvice.class);
    }

    static final class ReconnectAdvice {

        @Advice.OnMethodEnter
        static void onEnter() {
            ResentRequests.reconnecting();
        }
    }

    static final class HeadAdvice {

        @Advice.OnMethodEnter
        static void onEnter(@Advice.Argument(0) Object head, @Advice.Argument(1) ByteArrayOutputStream posted,
                            @Advice.FieldValue("streaming") boolean streaming,
                            @Advice.FieldValue("url") URL url) throws IOException {
            IOException refusal = UrlConnectionHeads.refusalOf(head, url, posted == null ? -1L : posted.size(), streaming);
            if (refusal != null) {
                throw refusal;
            }
        }
    }
}
