package dev.warden.instrumentation.api;

import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.ClassFileLocator;
import net.bytebuddy.jar.asm.ClassWriter;
import net.bytebuddy.jar.asm.Opcodes;
import net.bytebuddy.matcher.ElementMatcher;
import net.bytebuddy.matcher.ElementMatchers;
import net.bytebuddy.pool.TypePool;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.Serializable;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/** Which names a type's hierarchy holds, found once per type and class loader, and never otherwise than a full walk. */
class SuperTypesTest {

    /** Reaches Statement only through its super class and an interface that extends another. */
    abstract static class Wrapper extends Base implements Serializable {
    }

    abstract static class Base implements PreparedStatement {
    }

    abstract static class OtherWrapper extends Base {
    }

    /** Implemented by nothing the tests match before one of them first asks about it. */
    interface AskedLate {
    }

    abstract static class ImplementsAskedLate extends Base implements AskedLate {
    }

    private final TypePool pool = TypePool.Default.ofSystemLoader(); // from class files, as the installer describes

    private TypeDescription described(Class<?> type) {
        return pool.describe(type.getName()).resolve();
    }

    /** A loader's memo, counting what the walk asks of it. */
    static final class CountingMemo implements SuperTypes.Memo {
        final Map<String, SuperTypes.Kept> kept = new HashMap<>();
        final List<String> keeps = new ArrayList<>();
        int found;

        @Override
        public SuperTypes.Kept find(String typeName) {
            SuperTypes.Kept hierarchy = kept.get(typeName);
            found += hierarchy != null ? 1 : 0;
            return hierarchy;
        }

        @Override
        public void keep(String typeName, SuperTypes.Kept hierarchy) {
            keeps.add(typeName);
            kept.put(typeName, hierarchy);
        }
    }

    @Test
    void aTypeIsMatchedByEveryTypeAboveItInterfacesOfSuperClassesIncluded() {
        TypeDescription wrapper = described(Wrapper.class);

        assertThat(SuperTypes.hasSuperTypeNamed(Statement.class.getName()).matches(wrapper)).isTrue();
        assertThat(SuperTypes.hasSuperTypeNamed(AutoCloseable.class.getName()).matches(wrapper)).isTrue();
        assertThat(SuperTypes.hasSuperTypeNamed(Wrapper.class.getName()).matches(wrapper)).isTrue();
        assertThat(SuperTypes.hasSuperTypeNamed(Object.class.getName()).matches(wrapper)).isTrue();
        assertThat(SuperTypes.hasSuperTypeNamed(Runnable.class.getName()).matches(wrapper)).isFalse();
        assertThat(SuperTypes.hasSuperTypeNamed(Statement.class.getName()).matches(described(String.class))).isFalse();
        assertThat(SuperTypes.hasSuperTypeNamed(Statement.class.getName()).matches(null)).isFalse();
    }

    @Test
    void aLoadersMemoKeepsEachTypeOnceAndAnswersItsSubTypesFromWhatItKept() {
        ElementMatcher<TypeDescription> statement = SuperTypes.hasSuperTypeNamed(Statement.class.getName());
        CountingMemo memo = new CountingMemo();

        assertThat(SuperTypes.matchingIn(memo, () -> statement.matches(described(Wrapper.class)))).isTrue();
        assertThat(memo.keeps).contains(Wrapper.class.getName(), Base.class.getName(), Statement.class.getName(),
                Object.class.getName()).doesNotHaveDuplicates();

        memo.keeps.clear();
        assertThat(SuperTypes.matchingIn(memo, () -> statement.matches(described(OtherWrapper.class)))).isTrue();
        assertThat(memo.keeps).as("Base was kept: only the new class is walked").containsExactly(OtherWrapper.class.getName());
    }

    @Test
    void aTypeBeingMatchedIsWalkedFromItsOwnDescriptionNotTakenFromWhatWasKeptUnderItsName() {
        // A class defined from other bytes than its loader's class file (another agent's transformer, a loader of its
        // own) may have been kept as that file said, when a subclass of it was matched first.
        ElementMatcher<TypeDescription> statement = SuperTypes.hasSuperTypeNamed(Statement.class.getName());
        CountingMemo memo = new CountingMemo();
        SuperTypes.matchingIn(memo, () -> statement.matches(described(Wrapper.class)));
        SuperTypes.Kept kept = memo.kept.get(Wrapper.class.getName());
        memo.kept.put(Wrapper.class.getName(), new SuperTypes.Kept(0, kept.named()));
        SuperTypes.matchingIn(memo, () -> statement.matches(described(String.class))); // another type matched meanwhile

        assertThat(SuperTypes.matchingIn(memo, () -> statement.matches(described(Wrapper.class)))).isTrue();
        assertThat(memo.kept.get(Wrapper.class.getName()).bits()).as("kept again, as its own description says").isNotZero();
    }

    @Test
    void aNameAskedAboutAfterAHierarchyWasKeptIsFoundInItAgain() {
        CountingMemo memo = new CountingMemo();
        ElementMatcher<TypeDescription> statement = SuperTypes.hasSuperTypeNamed(Statement.class.getName());
        assertThat(SuperTypes.matchingIn(memo, () -> statement.matches(described(ImplementsAskedLate.class)))).isTrue();

        ElementMatcher<TypeDescription> late = SuperTypes.hasSuperTypeNamed(AskedLate.class.getName());

        assertThat(SuperTypes.matchingIn(memo, () -> late.matches(described(ImplementsAskedLate.class)))).isTrue();
        assertThat(SuperTypes.matchingIn(memo, () -> late.matches(described(Wrapper.class)))).isFalse();
    }

    @Test
    void aHierarchyThatIsACycleIsWalkedOnceEachNameOnceAndNothingOfItIsShared() {
        // As the class files tell it (a crafted jar; or a child-first loader whose class extends a parent's that
        // extends the parent's class of the child's name): ByteBuddy's own matcher visits each name once.
        Map<String, byte[]> classFiles = Map.of(
                "cycle.A", classFile("cycle/A", "cycle/B", "java/sql/Statement"),
                "cycle.B", classFile("cycle/B", "cycle/A"));
        TypePool cyclic = new TypePool.Default(new TypePool.CacheProvider.Simple(),
                new ClassFileLocator.Compound(new ClassFileLocator.Simple(classFiles), ClassFileLocator.ForClassLoader.ofSystemLoader()),
                TypePool.Default.ReaderMode.FAST);
        ElementMatcher<TypeDescription> statement = SuperTypes.hasSuperTypeNamed(Statement.class.getName());
        ElementMatcher<TypeDescription> thread = SuperTypes.hasSuperTypeNamed(Thread.class.getName());
        CountingMemo memo = new CountingMemo();

        for (String name : List.of("cycle.A", "cycle.B")) {
            TypeDescription type = cyclic.describe(name).resolve();
            assertThat(statement.matches(type)).as(name).isEqualTo(ElementMatchers.hasSuperType(ElementMatchers.named(
                    Statement.class.getName())).matches(type)).isTrue();
            assertThat(SuperTypes.matchingIn(memo, () -> statement.matches(cyclic.describe(name).resolve()))).as(name).isTrue();
            assertThat(SuperTypes.matchingIn(memo, () -> thread.matches(cyclic.describe(name).resolve()))).as(name).isFalse();
        }
        assertThat(memo.keeps).as("kept from a walk that met a name again").isEmpty();
    }

    @Test
    void aHierarchyOfDiamondsIsWalkedOnceATypeWhateverTheMemoForgets() {
        // 40 layers of two interfaces, each extending both of the next: 2^40 paths, 80 types. A loader's memo that is
        // full forgets everything; the walk must not depend on it to visit each type once.
        Map<String, byte[]> classFiles = new HashMap<>();
        int layers = 40;
        for (int layer = 0; layer < layers; layer++) {
            String[] above = layer + 1 < layers ? new String[] {"d/I" + (layer + 1) + "a", "d/I" + (layer + 1) + "b"}
                    : new String[] {"java/sql/Statement"};
            for (String side : List.of("a", "b")) {
                classFiles.put("d.I" + layer + side, interfaceFile("d/I" + layer + side, above));
            }
        }
        classFiles.put("d.Root", classFile("d/Root", "java/lang/Object", "d/I0a", "d/I0b"));
        TypePool diamonds = new TypePool.Default(new TypePool.CacheProvider.Simple(),
                new ClassFileLocator.Compound(new ClassFileLocator.Simple(classFiles), ClassFileLocator.ForClassLoader.ofSystemLoader()),
                TypePool.Default.ReaderMode.FAST);
        SuperTypes.Memo forgetful = new SuperTypes.Memo() {
            @Override
            public SuperTypes.Kept find(String typeName) {
                return null;
            }

            @Override
            public void keep(String typeName, SuperTypes.Kept kept) {
            }
        };
        ElementMatcher<TypeDescription> statement = SuperTypes.hasSuperTypeNamed(Statement.class.getName());

        assertTimeoutPreemptively(java.time.Duration.ofSeconds(30), () -> {
            assertThat(SuperTypes.matchingIn(forgetful, () -> statement.matches(diamonds.describe("d.Root").resolve()))).isTrue();
            assertThat(statement.matches(diamonds.describe("d.I0a").resolve())).isTrue();
        });
    }

    @Test
    void nothingAWalkFindsAboveAClassDescribedAsLoadedIsSharedUnderItsNames() {
        // A loader that serves no class file has its classes described as loaded: their super types are those their
        // own loader resolved, which the loader being matched may resolve to other types of the same names.
        ElementMatcher<TypeDescription> statement = SuperTypes.hasSuperTypeNamed(Statement.class.getName());
        CountingMemo memo = new CountingMemo();

        assertThat(SuperTypes.matchingIn(memo, () -> statement.matches(TypeDescription.ForLoadedType.of(Wrapper.class)))).isTrue();
        assertThat(memo.keeps).isEmpty();

        // As the installer's pool has it: a class file whose super class was described as loaded.
        TypePool.CacheProvider cache = new TypePool.CacheProvider.Simple();
        cache.register(Base.class.getName(), new TypePool.Resolution.Simple(TypeDescription.ForLoadedType.of(Base.class)));
        TypePool fallingBack = new TypePool.Default(cache, ClassFileLocator.ForClassLoader.ofSystemLoader(), TypePool.Default.ReaderMode.FAST);

        assertThat(SuperTypes.matchingIn(memo, () -> statement.matches(fallingBack.describe(Wrapper.class.getName()).resolve()))).isTrue();
        assertThat(memo.keeps).as("kept from a walk through a class described as loaded").isEmpty();
    }

    @Test
    void withAMemoOrWithoutEveryClassOfAJarIsMatchedAsByteBuddysOwnMatcherMatchesIt() throws IOException, URISyntaxException {
        List<String> asked = List.of(Statement.class.getName(), Runnable.class.getName(), Thread.class.getName(),
                Iterable.class.getName(), AutoCloseable.class.getName(), Comparable.class.getName(),
                "net.bytebuddy.matcher.ElementMatcher", "net.bytebuddy.description.type.TypeDefinition");
        List<ElementMatcher<TypeDescription>> ours = asked.stream()
                .<ElementMatcher<TypeDescription>>map(SuperTypes::hasSuperTypeNamed).toList();
        List<ElementMatcher<TypeDescription>> theirs = asked.stream()
                .<ElementMatcher<TypeDescription>>map(name -> ElementMatchers.hasSuperType(ElementMatchers.named(name))).toList();
        CountingMemo memo = new CountingMemo();
        TypePool fresh = new TypePool.Default(TypePool.CacheProvider.NoOp.INSTANCE, ClassFileLocator.ForClassLoader.ofSystemLoader(),
                TypePool.Default.ReaderMode.FAST);
        int compared = 0;
        for (String name : classesOf(ElementMatcher.class)) {
            TypeDescription type = pool.describe(name).resolve();
            for (int index = 0; index < asked.size(); index++) {
                int i = index;
                ElementMatcher<TypeDescription> matcher = ours.get(i);
                String expected = outcome(() -> theirs.get(i).matches(type));
                assertThat(outcome(() -> matcher.matches(type))).as("%s has %s above it", name, asked.get(i)).isEqualTo(expected);
                TypeDescription again = fresh.describe(name).resolve(); // another description: no answer remembered for it
                assertThat(outcome(() -> SuperTypes.matchingIn(memo, () -> matcher.matches(again))))
                        .as("%s has %s above it, with a memo", name, asked.get(i)).isEqualTo(expected);
                compared++;
            }
        }
        assertThat(compared).as("ByteBuddy's classes were matched").isGreaterThan(10_000);
        assertThat(memo.found).as("super types answered from the memo").isGreaterThan(10_000);
    }

    /** "true", "false", or "refused" for a hierarchy that cannot be described (ByteBuddy's optional JNA types). */
    private static String outcome(java.util.function.BooleanSupplier matching) {
        try {
            return String.valueOf(matching.getAsBoolean());
        } catch (IllegalStateException undescribable) {
            return "refused";
        }
    }

    private static List<String> classesOf(Class<?> inJar) throws IOException, URISyntaxException {
        List<String> names = new ArrayList<>();
        try (JarFile jar = new JarFile(Path.of(inJar.getProtectionDomain().getCodeSource().getLocation().toURI()).toFile())) {
            for (JarEntry entry : java.util.Collections.list(jar.entries())) {
                String file = entry.getName();
                if (file.endsWith(".class") && !file.endsWith("module-info.class") && !file.startsWith("META-INF/")) {
                    names.add(file.substring(0, file.length() - ".class".length()).replace('/', '.'));
                }
            }
        }
        return names;
    }

    private static byte[] interfaceFile(String name, String... interfaces) {
        ClassWriter writer = new ClassWriter(0);
        writer.visit(Opcodes.V17, Opcodes.ACC_PUBLIC | Opcodes.ACC_INTERFACE | Opcodes.ACC_ABSTRACT, name, null,
                "java/lang/Object", interfaces);
        writer.visitEnd();
        return writer.toByteArray();
    }

    private static byte[] classFile(String name, String superName, String... interfaces) {
        ClassWriter writer = new ClassWriter(0);
        writer.visit(Opcodes.V17, Opcodes.ACC_PUBLIC, name, null, superName, interfaces);
        writer.visitEnd();
        return writer.toByteArray();
    }
}
