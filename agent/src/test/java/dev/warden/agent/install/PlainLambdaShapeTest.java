package dev.warden.agent.install;

import dev.warden.instrumentation.api.InstrumentationModule;
import dev.warden.instrumentation.api.TypeInstrumentation;
import net.bytebuddy.ByteBuddy;
import net.bytebuddy.description.type.TypeDescription;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import java.util.function.Supplier;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

class PlainLambdaShapeTest {

    @Test
    void noTypeInstrumentationMatchesAClassOfThatShape() throws IOException {
        List<TypeInstrumentation> instrumentations = new ArrayList<>();
        ServiceLoader.load(InstrumentationModule.class).forEach(module -> instrumentations.addAll(module.typeInstrumentations()));
        assertThat(instrumentations).hasSizeGreaterThan(50);

        for (String name : interfacesOfTheShape()) {
            TypeDescription lambda = new ByteBuddy().subclass(Object.class).implement(loaded(name))
                    .name("com.example.Assistant$$Lambda$1").make().getTypeDescription();
            for (TypeInstrumentation instrumentation : instrumentations) {
                assertThat(instrumentation.typeMatcher().matches(lambda))
                        .as(instrumentation.getClass().getName() + " matches a class implementing " + name).isFalse();
            }
        }
    }

    @Test
    void aLambdaOfTheJdksFunctionalInterfacesIsOfThatShape() throws IOException {
        assertThat(PlainLambdaShape.matchesNoTarget(classFile(Plain.class))).isTrue();
        assertThat(PlainLambdaShape.matchesNoTarget(new ByteBuddy().subclass(Object.class).implement(Runnable.class, Supplier.class)
                .name("com.example.Assistant$$Lambda$2").make().getBytes())).isTrue();
    }

    @Test
    void anythingElseIsWoven() throws IOException {
        assertThat(PlainLambdaShape.matchesNoTarget(classFile(Gated.class))).as("a gated interface").isFalse();
        assertThat(PlainLambdaShape.matchesNoTarget(new ByteBuddy().subclass(Thread.class)
                .name("com.example.Worker").make().getBytes())).as("another super class").isFalse();
        assertThat(PlainLambdaShape.matchesNoTarget(new ByteBuddy().subclass(Object.class).implement(java.util.function.Function.class,
                java.sql.Statement.class).name("com.example.Both").make().getBytes())).as("one interface gated").isFalse();
        assertThat(PlainLambdaShape.matchesNoTarget(new byte[] {1, 2, 3})).as("no class file").isFalse();
    }

    /** The fixed list and every interface of {@code java.util.function}, as the running JDK has them. */
    private static List<String> interfacesOfTheShape() throws IOException {
        List<String> names = new ArrayList<>(PlainLambdaShape.INTERFACES);
        Path functions = FileSystems.getFileSystem(URI.create("jrt:/")).getPath("/modules/java.base/java/util/function");
        try (Stream<Path> files = Files.list(functions)) {
            files.map(file -> file.getFileName().toString()).filter(file -> file.endsWith(".class"))
                    .forEach(file -> names.add(PlainLambdaShape.FUNCTIONS + file.substring(0, file.length() - ".class".length())));
        }
        assertThat(names).contains("java/util/function/Supplier", "java/util/function/BiFunction");
        return names;
    }

    private static Class<?> loaded(String internalName) {
        try {
            return Class.forName(internalName.replace('/', '.'));
        } catch (ClassNotFoundException e) {
            throw new AssertionError(e);
        }
    }

    private static byte[] classFile(Class<?> type) throws IOException {
        try (var in = type.getResourceAsStream(type.getName().substring(type.getName().lastIndexOf('.') + 1) + ".class")) {
            return in.readAllBytes();
        }
    }

    private static final class Plain implements Runnable, java.io.Serializable {
        @Override
        public void run() {
        }
    }

    private abstract static class Gated implements java.sql.Statement {
    }
}
