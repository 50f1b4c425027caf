package dev.warden.agent.install;

import dev.warden.earlyloads.Fixtures;
import dev.warden.earlyloads.Fixtures.Extending;
import dev.warden.earlyloads.Fixtures.Implementing;
import dev.warden.earlyloads.Fixtures.LooksLikeAStatement;
import dev.warden.earlyloads.Fixtures.Plain;
import dev.warden.earlyloads.Fixtures.ReturnsItsOwnRows;
import dev.warden.instrumentation.api.InstrumentationModule;
import dev.warden.instrumentation.api.TypeInstrumentation;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.ClassFileLocator;
import net.bytebuddy.pool.TypePool;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import static dev.warden.earlyloads.Fixtures.classFile;
import static dev.warden.earlyloads.Fixtures.internalName;
import static org.assertj.core.api.Assertions.assertThat;

/** What may load before ByteBuddy is installed, told from a class file alone, and never wrongly. */
class EarlyLoadsTest {

    private static final List<InstrumentationModule> MODULES = Fixtures.modules();
    private final EarlyLoads early = prepared(MODULES);

    @Test
    void everyJdkClassATypeMatcherMatchesIsNamedByItsInstrumentation() throws IOException {
        // A matcher that cannot answer for a JDK class (every super type of which is the JDK's) fails the test: at
        // start such a class would wait for ByteBuddy.
        Set<String> named = new TreeSet<>();
        List<TypeInstrumentation> instrumentations = new ArrayList<>();
        MODULES.forEach(module -> instrumentations.addAll(module.typeInstrumentations()));
        instrumentations.forEach(each -> {
            named.addAll(each.requiredJdkTypes());
            named.addAll(each.optionalJdkTypes());
        });
        TypePool jdk = TypePool.Default.of(ClassFileLocator.ForClassLoader.ofPlatformLoader());
        Set<String> matched = new TreeSet<>();
        Set<String> matchedButUnnamed = new TreeSet<>();
        int described = 0;
        FileSystem jrt = FileSystems.getFileSystem(URI.create("jrt:/"));
        for (String module : bootLayerModulesOfTheJdkLoaders()) {
            try (Stream<Path> files = Files.walk(jrt.getPath("/modules", module))) {
                for (Path file : (Iterable<Path>) files::iterator) {
                    String path = jrt.getPath("/modules", module).relativize(file).toString();
                    if (!path.endsWith(".class") || path.equals("module-info.class")) {
                        continue;
                    }
                    String name = path.substring(0, path.length() - ".class".length()).replace('/', '.');
                    TypeDescription type = jdk.describe(name).resolve();
                    described++;
                    for (TypeInstrumentation each : instrumentations) {
                        if (each.typeMatcher().matches(type)) {
                            matched.add(name);
                            if (!named.contains(name)) {
                                matchedButUnnamed.add(name + " (" + each.getClass().getSimpleName() + ")");
                            }
                        }
                    }
                }
            }
        }
        assertThat(described).as("the JDK's classes were read").isGreaterThan(10_000);
        assertThat(matched).as("the matchers were asked").contains("java.io.FileOutputStream", "java.net.Socket",
                "com.sun.jndi.dns.DnsClient", "jdk.internal.net.http.HttpClientImpl");
        assertThat(matchedButUnnamed).as("JDK classes a type matcher matches that no instrumentation names").isEmpty();
    }

    @Test
    void aClassExtendingObjectAndImplementingNothingThatNoMatcherMatchesLoadsAtOnce() throws IOException {
        assertThat(mayBeTarget(early, false, internalName(Plain.class), classFile(Plain.class))).isFalse();
    }

    @Test
    void aClassImplementingAnInterfaceOrExtendingAnotherClassMayBeATarget() throws IOException {
        assertThat(mayBeTarget(early, false, internalName(Implementing.class), classFile(Implementing.class))).isTrue();
        assertThat(mayBeTarget(early, false, internalName(Extending.class), classFile(Extending.class))).isTrue();
    }

    /** So that an earlier start's answer for its very class file holds (EarlyPasses). */
    @Test
    void aClassExtendingObjectAloneIsDecidedByItsClassFileAndTheJdksAlone() throws IOException {
        assertThat(early.answerWithoutAsking(false, internalName(ReturnsItsOwnRows.class), classFile(ReturnsItsOwnRows.class)))
                .as("the matchers are asked").isNull();
        assertThat(mayBeTarget(early, false, internalName(ReturnsItsOwnRows.class), classFile(ReturnsItsOwnRows.class)))
                .as("what its executeQuery returns is not the JDK's: unresolved, so it may be a target").isTrue();
    }

    @Test
    void aClassThatAMatcherMatchesByItsMethodsAloneMayBeATarget() throws IOException {
        assertThat(mayBeTarget(early, false, internalName(LooksLikeAStatement.class), classFile(LooksLikeAStatement.class))).isTrue();
    }

    @Test
    void aJdkClassMayBeATargetOnlyIfAnInstrumentationNamesIt() throws IOException {
        assertThat(mayBeTarget(early, true, "java/io/FileOutputStream", classFile(java.io.FileOutputStream.class))).isTrue();
        assertThat(mayBeTarget(early, true, "java/util/ArrayList", classFile(ArrayList.class))).isFalse();
    }

    @Test
    void aClassNamedLikeWarden_sOrWhoseClassFileDoesNotParseMayBeATarget() throws IOException {
        // Warden's own are told by their loader before this is asked (WardenTypes): a name like theirs is anyone's.
        assertThat(mayBeTarget(early, false, "dev/warden/agent/install/Anything", new byte[] {1, 2, 3})).isTrue();
        assertThat(mayBeTarget(early, false, "com/example/Broken", new byte[] {(byte) 0xca, (byte) 0xfe, 0, 0})).isTrue();
        assertThat(mayBeTarget(early, false, null, new byte[0])).isTrue();
    }

    @Test
    void aJdkClassWhoseAskingFailsToLoadAClassIsHeldOnlyIfAnInstrumentationNamesIt() throws IOException {
        // As when Drools' first LinkedList loads: it, or its AbstractSequentialList, is asked about, and the matchers
        // need the LinkedList this thread is defining. Held, ByteBuddy's install could not load LinkedList either.
        LinkageError reported = new NoClassDefFoundError("Could not initialize class net.bytebuddy.utility.QueueFactory");
        reported.initCause(new ExceptionInInitializerError(new ClassCircularityError("java/util/LinkedList")));
        for (LinkageError failed : List.of(new ClassCircularityError("java/util/LinkedList"), reported)) {
            EarlyLoads asked = withMatcherThrowing(failed);

            assertThat(mayBeTarget(asked, true, "java/util/AbstractSequentialList",
                    classFile(java.util.AbstractSequentialList.class))).as("a JDK class no instrumentation names").isFalse();
            assertThat(mayBeTarget(asked, true, "java/io/FileOutputStream", classFile(java.io.FileOutputStream.class)))
                    .as("a JDK class an instrumentation names").isTrue();
            assertThat(mayBeTarget(asked, false, internalName(Plain.class), classFile(Plain.class)))
                    .as("an application's class").isTrue();
        }
    }

    @Test
    void aJdkClassAMatcherFailsOnOtherwiseMayBeATarget() throws IOException {
        assertThat(mayBeTarget(withMatcherThrowing(new IllegalStateException("a matcher's bug")), true,
                "java/util/AbstractSequentialList", classFile(java.util.AbstractSequentialList.class))).isTrue();
    }

    @Test
    void beforeItsMatchersAreMadeItAnswersOnlyWhatNeedsNoMatcher() throws IOException {
        EarlyLoads unprepared = EarlyLoads.of(MODULES);

        assertThat(unprepared.answerWithoutAsking(true, "java/io/FileOutputStream", classFile(java.io.FileOutputStream.class)))
                .as("a JDK class an instrumentation names").isTrue();
        assertThat(unprepared.answerWithoutAsking(false, internalName(Implementing.class), classFile(Implementing.class)))
                .as("a class implementing an interface").isTrue();
        assertThat(unprepared.answerWithoutAsking(false, "dev/warden/agent/install/Anything", new byte[0]))
                .as("a name like Warden's is anyone's: Warden's own classes are told by their loader").isTrue();
        assertThat(unprepared.answerWithoutAsking(true, "java/util/ArrayList", classFile(ArrayList.class)))
                .as("a JDK class no instrumentation names: the matchers would be asked").isNull();
        assertThat(unprepared.answerWithoutAsking(false, internalName(Plain.class), classFile(Plain.class)))
                .as("a class extending Object alone: the matchers would be asked").isNull();
        assertThat(unprepared.prepared()).isFalse();
        org.assertj.core.api.Assertions.assertThatIllegalStateException()
                .isThrownBy(() -> unprepared.ask(false, internalName(Plain.class), classFile(Plain.class)));

        unprepared.prepare();

        assertThat(unprepared.prepared()).isTrue();
        assertThat(unprepared.ask(false, internalName(LooksLikeAStatement.class), classFile(LooksLikeAStatement.class))).isTrue();
        assertThat(unprepared.ask(false, internalName(Plain.class), classFile(Plain.class))).isFalse();
    }

    /** As Warden's first transformer asks once the matchers are made. */
    private static boolean mayBeTarget(EarlyLoads early, boolean jdk, String className, byte[] classFile) {
        Boolean known = early.answerWithoutAsking(jdk, className, classFile);
        return known != null ? known : early.ask(jdk, className, classFile);
    }

    private static EarlyLoads prepared(List<InstrumentationModule> modules) {
        EarlyLoads early = EarlyLoads.of(modules);
        early.prepare();
        return early;
    }

    private static EarlyLoads withMatcherThrowing(Throwable failure) {
        List<InstrumentationModule> modules = new ArrayList<>(MODULES);
        modules.add(new ThrowingModule(failure));
        return prepared(modules);
    }

    /** A surface whose matcher fails as the JVM reports it. */
    private record ThrowingModule(Throwable failure) implements InstrumentationModule {
        @Override
        public String surface() {
            return "throwing";
        }

        @Override
        public List<TypeInstrumentation> typeInstrumentations() {
            return List.of(new TypeInstrumentation() {
                @Override
                public net.bytebuddy.matcher.ElementMatcher<TypeDescription> typeMatcher() {
                    return type -> {
                        if (failure instanceof RuntimeException runtime) {
                            throw runtime;
                        }
                        throw (Error) failure;
                    };
                }

                @Override
                public void transform(dev.warden.instrumentation.api.TypeTransformer transformer) {
                }
            });
        }

        @Override
        public dev.warden.instrumentation.api.ActionEnricher enricher() {
            return null;
        }
    }

    private static List<String> bootLayerModulesOfTheJdkLoaders() {
        List<String> modules = new ArrayList<>();
        ClassLoader platform = ClassLoader.getPlatformClassLoader();
        for (Module module : ModuleLayer.boot().modules()) {
            ClassLoader loader = module.getClassLoader();
            if (loader == null || loader == platform) {
                modules.add(module.getName());
            }
        }
        return modules;
    }

}
