package dev.warden.agent.install;

import dev.warden.agent.logging.WardenLog;
import dev.warden.instrumentation.api.InstrumentationModule;
import dev.warden.instrumentation.api.TypeInstrumentation;
import net.bytebuddy.ByteBuddy;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.DynamicType;
import net.bytebuddy.dynamic.NexusAccessor;
import net.bytebuddy.dynamic.scaffold.TypeValidation;
import net.bytebuddy.utility.JavaModule;

import java.io.IOException;
import java.lang.instrument.Instrumentation;
import java.lang.instrument.UnmodifiableClassException;
import java.lang.invoke.MethodHandles;
import java.time.Duration;
import java.util.ArrayList;
import java.util.concurrent.CompletableFuture;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadFactory;
import java.util.function.Supplier;
import java.util.concurrent.ConcurrentHashMap;


/**
 * Installs every module's advice with retransformation, so classes loaded before premain (JDK
 * classes, a driver on the boot path) are covered too. Warden's own classes, its loader, and
 * ByteBuddy are never instrumented.
 *
 * <p>What cannot be instrumented fails closed: a type a loader does not serve the class file of is
 * described from the loaded class ({@link LoadedTypeFallbackPool}); a target that still cannot be
 * transformed is defined unusable ({@link RefusingTransformer}); the JDK targets are verified before
 * the application starts ({@link JdkTargetCheck}). Classes that are not targets are none of Warden's
 * business and produce no output.
 *
 * <p>Every class the JVM loads passes the matchers, so the cheap checks come first: Warden's own classes
 * (told by their loader, not their names: {@link WardenTypes}) are ignored before any class file is read, a surface's matcher is skipped in a JDK loader that cannot
 * see the types it needs ({@link JdkLoaderVisibility}), and type descriptions are shared per loader
 * ({@link TypeCache}).
 */
public final class AgentInstaller {

    private static final String NEXUS_DISABLED_PROPERTY = "net.bytebuddy.nexus.disabled";

    private AgentInstaller() {
    }

    /** Installs the advice and verifies the JDK targets, all before returning; the caller refuses to start unless {@link InstallReport#verified()}. */
    public static InstallReport install(Instrumentation instrumentation, List<InstrumentationModule> modules) {
        Installation installation = Installation.begin(instrumentation, modules);
        installation.install(modules, null, Thread::new, new StartLane(), true, Set.of(Thread.currentThread()), false);
        return installation.beforeMain();
    }

    /**
     * Installs ByteBuddy with {@code instrumentation} (its transformer handed to Warden's registered one) and verifies
     * the JDK targets, replaying what an earlier start with the same JDK and build did to the JDK classes already
     * loaded when {@code cache} is given ({@link JdkTransformCache}), and keeping what this one learned there, written
     * by a thread of {@code threads}. No cache beside another agent (the OpenTelemetry agent's extension): the JDK
     * classes Warden is handed are then that agent's making.
     */
    static InstallReport installByteBuddy(Instrumentation instrumentation, List<InstrumentationModule> modules,
                                          JdkTransformCache cache, JdkTransforms known, ThreadFactory threads) {
        return installByteBuddy(instrumentation, modules, cache, known, threads, Set::of);
    }

    /**
     * As {@link #installByteBuddy(Instrumentation, List, JdkTransformCache, JdkTransforms, ThreadFactory)}, leaving the
     * loaded JDK classes {@code replayedBefore} names alone: before ByteBuddy was installed they were given what an
     * earlier install made of their very class files, and carry their advice.
     */
    static InstallReport installByteBuddy(Instrumentation instrumentation, List<InstrumentationModule> modules,
                                          JdkTransformCache cache, JdkTransforms known, ThreadFactory threads,
                                          Supplier<Set<String>> replayedBefore) {
        ClassLoader agentLoader = AgentInstaller.class.getClassLoader();
        AgentBuilder.CircularityLock circularityLock = new AgentBuilder.CircularityLock.Default();
        TypeCache types = new TypeCache(TypeCache.PER_LOADER);
        AgentBuilder.PoolStrategy typePools = new LoadedTypeFallbackPool(circularityLock, types);
        RefusingTransformer[] refusing = new RefusingTransformer[1];
        CachedJdkTransformer[] replaying = new CachedJdkTransformer[1];
        Set<String> required = requiredJdkTypes(modules);
        Set<String> transformed = ConcurrentHashMap.newKeySet();
        AgentBuilder builder = new AgentBuilder.Default(new ByteBuddy().with(TypeValidation.DISABLED))
                .disableClassFormatChanges()
                .with(AgentBuilder.RedefinitionStrategy.RETRANSFORMATION)
                // Only classes that could be targets are described at install, Warden's own thousands are not, nor
                // the JDK classes an earlier install of this JDK and build left alone.
                .with(new LoadedClassDiscovery(agentLoader, known.ignored(), replayedBefore))
                .with(AgentBuilder.InitializationStrategy.NoOp.INSTANCE)
                .with(AgentBuilder.TypeStrategy.Default.DECORATE)
                // Describe already-loaded types from their class files, read only when a matcher needs more
                // than the name: describing them by reflection loads the types they mention (SocketChannelImpl
                // mentions java.net.Socket), and a class loaded while a transformation is under way is skipped
                // by the circularity guard, so it would stay unadvised for the life of the JVM.
                .with(new LazyDescriptions())
                .with(circularityLock)
                .with(typePools)
                // Locators hold loaders weakly: the shared type cache's descriptions reach them.
                .with(AgentBuilder.LocationStrategy.ForClassLoader.WEAK)
                .with(new FailureListener(refusing, replaying, required, transformed))
                .with(RefusingTransformer.decorator(refusing))
                // Cheapest first: the loader, then names. Synthetic classes are not ignored: one that implements
                // java.sql.Statement is a statement like any other, and asking would parse every class loaded.
                // Hidden classes reach the same transformer through HiddenClassModule.
                .ignore(WardenTypes.own(agentLoader));
        if (cache != null) {
            builder = builder.with(CachedJdkTransformer.decorator(replaying, known, transformed));
        }
        JdkLoaderVisibility jdkLoaders = new JdkLoaderVisibility();
        for (InstrumentationModule module : modules) {
            for (TypeInstrumentation typeInstrumentation : module.typeInstrumentations()) {
                builder = builder.type(new SurfaceMatcher(module.surface(), typeInstrumentation.typeMatcher(),
                                typeInstrumentation.visibleTypes(), jdkLoaders, types))
                        .transform(new AdviceTransformer(typeInstrumentation, agentLoader, typePools));
            }
        }
        builder.installOn(instrumentation);
        CachedJdkTransformer replayer = replaying[0];
        Set<String> replayed = replayedBefore.get(); // settled once ByteBuddy's transformer was handed on
        transformed.addAll(replayed);
        // A verified entry exists only for a start that passed the check of every class file on this JDK and build.
        InstallReport report = new JdkTargetCheck().check(modules, loaded(instrumentation, required), transformed,
                known != JdkTransforms.NONE);
        if (replayer == null) {
            return report;
        }
        report = report.replaying(replayer.replayed() + replayed.size(), replayer.transformedAnew());
        JdkTransforms learned = replayer.installed();
        if (cache != null && learned != null && report.verified()) {
            Thread keeping = threads.newThread(() -> keep(cache, learned));
            keeping.setDaemon(false); // a host whose main returns at once still leaves the entry behind (written atomically)
            keeping.start();
        }
        return report;
    }

    /**
     * The JDK classes a thread may load in the middle of running code the transformer runs too. A method handle invoked
     * often enough is customised on the invoking thread, which loads {@code MethodHandle$1} the first time; that load
     * passes through the transformer, which invokes method handles itself, and if one of them is the one being
     * customised the JVM sees the class's load recursing on that thread and throws {@code ClassCircularityError} there:
     * three times a start refused because its rules did not compile (Drools compiling alongside the install). Loaded
     * before any transformer is installed, it never passes through one.
     */
    static void loadBeforeTransforming() {
        for (String name : List.of("java.lang.invoke.MethodHandle$1")) {
            try {
                Class.forName(name, false, null);
            } catch (ClassNotFoundException | LinkageError absent) {
                // another JDK: nothing to load
            }
        }
    }

    /**
     * ByteBuddy's agent builder, when first made, defines ByteBuddy's {@code Nexus} in the system class loader through
     * reflection (preparing that injection generated classes and took a fifth of an install's time), where the host's
     * own ByteBuddy would then find Warden's. Warden registers no type initialisers (its advice is inlined, its
     * initialisation strategy none), so its own copy's {@code NexusAccessor} is initialised here, by the thread starting
     * Warden before any code of the host runs, with the property that tells it Nexus is disabled: it then prepares no
     * injection at all. The property is restored at once (the host's own ByteBuddy, if any, is another class). Not
     * beside another agent, whose ByteBuddy may be initialised meanwhile.
     */
    static void declineClassInjection(boolean besideAnotherAgent) {
        if (besideAnotherAgent) {
            return;
        }
        String disabled = System.getProperty(NEXUS_DISABLED_PROPERTY);
        System.setProperty(NEXUS_DISABLED_PROPERTY, "true");
        try {
            MethodHandles.lookup().ensureInitialized(NexusAccessor.class);
        } catch (IllegalAccessException | RuntimeException | LinkageError unavailable) {
            // Then the agent builder cannot be made either, and the install fails: the start is refused.
        } finally {
            if (disabled == null) {
                System.clearProperty(NEXUS_DISABLED_PROPERTY);
            } else {
                System.setProperty(NEXUS_DISABLED_PROPERTY, disabled);
            }
        }
    }

    /**
     * No cache without a directory, or where the launch options or the build cannot be told; a directory that cannot
     * be used safely is reported by the policy's cache.
     */
    static JdkTransformCache openCache(Path directory, List<InstrumentationModule> modules) {
        if (directory == null) {
            return null;
        }
        try {
            return JdkTransformCache.open(directory, modules).orElse(null);
        } catch (IOException | RuntimeException unusable) {
            return null;
        }
    }

    static JdkTransforms known(JdkTransformCache cache) {
        if (cache == null) {
            return JdkTransforms.NONE;
        }
        JdkTransformCache.Lookup lookup = cache.read();
        if (lookup.rejected() != null) {
            WardenLog.warn("JDK transform cache entry rejected: " + lookup.rejected() + "; the JDK classes are transformed anew");
        }
        return lookup.transforms() != null ? lookup.transforms() : JdkTransforms.NONE;
    }

    private static void keep(JdkTransformCache cache, JdkTransforms learned) {
        try {
            cache.write(learned);
        } catch (IOException | RuntimeException notKept) {
            WardenLog.warn("could not keep the JDK transforms in " + cache.file() + " (" + notKept + "); the next start makes them again");
        }
    }

    static Set<String> requiredJdkTypes(List<InstrumentationModule> modules) {
        Set<String> required = new HashSet<>();
        modules.forEach(module -> module.typeInstrumentations().forEach(each -> required.addAll(each.requiredJdkTypes())));
        return Set.copyOf(required);
    }

    static Set<String> loaded(Instrumentation instrumentation, Set<String> required) {
        Set<String> loaded = new HashSet<>();
        if (required.isEmpty()) {
            return loaded;
        }
        for (Class<?> type : instrumentation.getAllLoadedClasses()) {
            if (required.contains(type.getName())) {
                loaded.add(type.getName());
            }
        }
        return loaded;
    }

    /**
     * Reports a failed transformation only for a type a surface matched: one line naming the type,
     * the surface and the refusal. Everything else (another agent's classes, generated classes,
     * classes that do not parse) fails without a word: it is not gated, so nothing runs ungated.
     */
    private static final class FailureListener extends AgentBuilder.Listener.Adapter {
        private final RefusingTransformer[] refusing;
        private final CachedJdkTransformer[] replaying;
        private final Set<String> required;
        private final Set<String> transformed;

        FailureListener(RefusingTransformer[] refusing, CachedJdkTransformer[] replaying, Set<String> required,
                        Set<String> transformed) {
            this.refusing = refusing;
            this.replaying = replaying;
            this.required = required;
            this.transformed = transformed;
        }

        @Override
        public void onIgnored(TypeDescription typeDescription, ClassLoader classLoader, JavaModule module, boolean loaded) {
            // A loaded JDK class left alone at install: the next start need not look at it again.
            if (loaded && replaying[0] != null && module != null
                    && CachedJdkTransformer.isJdk(classLoader, (Module) module.unwrap())) {
                replaying[0].ignored(typeDescription.getName());
            }
        }

        @Override
        public void onTransformation(TypeDescription typeDescription, ClassLoader classLoader, JavaModule module,
                                     boolean loaded, DynamicType dynamicType) {
            // Only what the start check needs: the JDK targets.
            if (required.contains(typeDescription.getName())) {
                transformed.add(typeDescription.getName());
            }
        }

        @Override
        public void onError(String typeName, ClassLoader loader, JavaModule module, boolean loaded, Throwable error) {
            List<String> surfaces = MatchedTypes.surfacesOf(typeName, loader);
            if (surfaces.isEmpty()) {
                return;
            }
            String cause = error.getMessage() != null ? error.getMessage() : error.toString();
            if (loaded) {
                WardenLog.warn("could not instrument " + typeName + ", already loaded, for surface " + String.join(", ", surfaces)
                        + ": " + cause);
                return;
            }
            String why = "warden: could not instrument " + typeName + " for surface " + String.join(", ", surfaces) + " ("
                    + cause + "): its actions are refused, the class is defined unusable";
            WardenLog.warn(why.substring("warden: ".length()));
            RefusingTransformer transformer = refusing[0];
            if (transformer != null) {
                transformer.refuse(typeName, loader, why);
            }
        }
    }
}
