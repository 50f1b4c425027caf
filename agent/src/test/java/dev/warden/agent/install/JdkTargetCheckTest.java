package dev.warden.agent.install;

import dev.warden.instrumentation.api.ActionEnricher;
import dev.warden.instrumentation.api.InstrumentationModule;
import dev.warden.instrumentation.api.TypeInstrumentation;
import dev.warden.instrumentation.api.TypeTransformer;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import java.util.Set;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;
import static org.assertj.core.api.Assertions.assertThat;

/** At start, every advice on a JDK class must match on the running JDK: a matcher that matches nothing is a bypass. */
class JdkTargetCheckTest {

    private final JdkTargetCheck check = new JdkTargetCheck();

    @Test
    void theRealModulesReachEveryJdkTargetOnThisJdk() {
        List<InstrumentationModule> modules = new ArrayList<>();
        ServiceLoader.load(InstrumentationModule.class).forEach(modules::add);

        InstallReport report = check.check(modules, Set.of(), Set.of());

        assertThat(report.failures()).isEmpty();
        // JDK 25 adds the ForkJoinPool's own scheduled task. Four are the providers' libraries (native surface): native
        // JGSS's loader, PC/SC's library name (Unix), the PKCS#11 modules and NSS. Four are the file surface's attribute
        // views (a ninth review). java.net.Socket twice: net's connect and the controls' refusal of a JDK-wide socket
        // factory. The JDK client's MultiExchange twice: its retry's grant and its request filters' headers (a second
        // round of the ninth review). The JDK client's pool key (a tenth review).
        // Two are a secure directory stream's attribute views (an eleventh review). Two are a twelfth review's: the
        // file surface's on a unix-domain socket's bind, and on java.util.prefs's lock (Linux).
        // Four are a thirteenth review's: the process surface's on ending a process (ProcessHandleImpl), the file
        // surface's on the files JFR has the JVM write (MetadataRepository), and the controls' refusal of an
        // application's class transformer that may retransform and their java.util.logging records dropped on
        // Warden's own work.
        assertThat(report.verifiedTypes()).as("every instrumentation of a JDK class on this JDK")
                .isEqualTo(Runtime.version().feature() >= 25 ? 71 : 70);
        assertThat(report.summary()).matches("\\d+ advices verified on \\d+ JDK classes");
    }

    @Test
    void checkedBeforeOnThisJdkAndBuildOnlyWhatThisStartDidIsChecked() {
        List<InstrumentationModule> modules = new ArrayList<>();
        ServiceLoader.load(InstrumentationModule.class).forEach(modules::add);
        InstallReport full = check.check(modules, Set.of(), Set.of());

        InstallReport again = check.check(modules, Set.of(), Set.of(), true);
        InstallReport notRetransformed = check.check(modules, Set.of("java.lang.Thread"), Set.of(), true);

        assertThat(again).as("the same counts, from what the modules apply").isEqualTo(full);
        assertThat(notRetransformed.failures()).singleElement().asString()
                .contains("java.lang.Thread", "was loaded before Warden and could not be retransformed");
    }

    @Test
    void anAdviceWhoseMethodMatcherMatchesNothingOnAJdkClassIsAFailure() {
        InstallReport report = check.check(List.of(module(new SocketTarget(named("connectByCarrierPigeon")))), Set.of(), Set.of());

        assertThat(report.verified()).isFalse();
        assertThat(report.failures()).singleElement().asString()
                .contains("test target java.net.Socket", "no method matches", NoOpAdvice.class.getName());
    }

    @Test
    void aRequiredClassMissingFromThisJdkIsAFailure() {
        TypeInstrumentation missing = new SocketTarget(named("connect")) {
            @Override
            public List<String> requiredJdkTypes() {
                return List.of("java.net.CarrierPigeon");
            }
        };

        InstallReport report = check.check(List.of(module(missing)), Set.of(), Set.of());

        assertThat(report.failures()).singleElement().asString().contains("test target java.net.CarrierPigeon", "does not exist on this JDK");
    }

    @Test
    void aTypeMatcherThatDoesNotMatchItsRequiredClassIsAFailure() {
        TypeInstrumentation renamed = new SocketTarget(named("connect")) {
            @Override
            public ElementMatcher<TypeDescription> typeMatcher() {
                return named("java.net.SocketImpl2");
            }
        };

        InstallReport report = check.check(List.of(module(renamed)), Set.of(), Set.of());

        assertThat(report.failures()).singleElement().asString().contains("is not matched by its type matcher");
    }

    @Test
    void aRequiredClassLoadedBeforeWardenThatWasNotRetransformedIsAFailure() {
        InstrumentationModule socket = module(new SocketTarget(named("connect").and(takesArguments(2))));

        InstallReport untransformed = check.check(List.of(socket), Set.of("java.net.Socket"), Set.of());
        InstallReport transformed = check.check(List.of(socket), Set.of("java.net.Socket"), Set.of("java.net.Socket"));

        assertThat(untransformed.failures()).singleElement().asString().contains("could not be retransformed");
        assertThat(transformed.failures()).isEmpty();
        assertThat(transformed.summary()).isEqualTo("1 advices verified on 1 JDK classes");
    }

    static InstrumentationModule module(TypeInstrumentation instrumentation) {
        return new InstrumentationModule() {
            @Override
            public String surface() {
                return "test";
            }

            @Override
            public List<TypeInstrumentation> typeInstrumentations() {
                return List.of(instrumentation);
            }

            @Override
            public ActionEnricher enricher() {
                throw new UnsupportedOperationException("no actions in this test");
            }
        };
    }

    static class SocketTarget implements TypeInstrumentation {
        private final ElementMatcher<net.bytebuddy.description.method.MethodDescription> methods;

        SocketTarget(ElementMatcher<net.bytebuddy.description.method.MethodDescription> methods) {
            this.methods = methods;
        }

        @Override
        public ElementMatcher<TypeDescription> typeMatcher() {
            return named("java.net.Socket");
        }

        @Override
        public void transform(TypeTransformer transformer) {
            transformer.applyAdvice(methods, NoOpAdvice.class);
        }

        @Override
        public List<String> requiredJdkTypes() {
            return List.of("java.net.Socket");
        }
    }

    static final class NoOpAdvice {
        @net.bytebuddy.asm.Advice.OnMethodEnter
        static void onEnter() {
        }
    }
}
