package dev.warden.instrumentation.http;

import dev.warden.instrumentation.api.InstrumentationModule;
import dev.warden.instrumentation.api.TypeInstrumentation;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;
import net.bytebuddy.pool.TypePool;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Instrumentations of one named class require every advice: on the library versions Warden is built
 * against, each advice must match a method of its class, or that class would be refused at load.
 */
class NamedTargetsTest {

    private static final List<String> LIBRARY_TARGETS = List.of("okhttp3.internal.connection.RealCall",
            "okhttp3.internal.http.RetryAndFollowUpInterceptor", "org.apache.http.impl.execchain.ProtocolExec",
            "org.apache.hc.client5.http.impl.classic.ProtocolExec", "org.apache.hc.client5.http.impl.async.AsyncProtocolExec",
            "org.apache.hc.core5.http.impl.nio.ClientHttp1StreamHandler", "org.apache.hc.core5.http2.impl.nio.ClientH2StreamHandler");

    private final TypePool classPath = TypePool.Default.ofSystemLoader();

    @Test
    void everyAdviceOfAOneClassInstrumentationMatchesAMethodOfItsClass() {
        List<String> checked = new ArrayList<>();
        for (TypeInstrumentation instrumentation : instrumentations()) {
            if (!instrumentation.requiresEveryAdvice()) {
                continue;
            }
            List<String> targets = new ArrayList<>(instrumentation.requiredJdkTypes());
            LIBRARY_TARGETS.stream().filter(name -> instrumentation.typeMatcher().matches(classPath.describe(name).resolve()))
                    .forEach(targets::add);
            assertThat(targets).as(instrumentation.getClass().getSimpleName() + " matches one of the known targets").isNotEmpty();
            for (String target : targets) {
                TypeDescription type = classPath.describe(target).resolve();
                List<ElementMatcher<? super MethodDescription>> advices = new ArrayList<>();
                instrumentation.transform((methods, advice) -> advices.add(methods));
                for (ElementMatcher<? super MethodDescription> methods : advices) {
                    assertThat(type.getDeclaredMethods().filter(methods)).as(target + " / " + methods).isNotEmpty();
                }
                checked.add(target);
            }
        }
        assertThat(checked).containsAll(LIBRARY_TARGETS).contains("java.net.Socket", "jdk.internal.net.http.HttpClientImpl");
    }

    private static List<TypeInstrumentation> instrumentations() {
        return Stream.of(new HttpInstrumentationModule(), new NetInstrumentationModule())
                .map(InstrumentationModule::typeInstrumentations).flatMap(List::stream).toList();
    }
}
