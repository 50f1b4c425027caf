package dev.warden.agent.install;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.Callable;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A target Warden cannot advise is defined so that none of its code can run. */
class UnusableClassTest {

    /** Stands in for a driver class: it has state, a constructor, and an action. */
    public static class Target extends Thread implements Callable<String> {
        static final String READY = "ready";

        @Override
        public String call() {
            return "ran ungated";
        }
    }

    @Test
    void itKeepsTheNameAndTheTypeHierarchyButCannotBeInitialised() throws Exception {
        byte[] unusable = UnusableClass.replacing(classFile(Target.class), "warden: could not instrument Target: refused");

        Class<?> defined = new DefiningLoader().define(Target.class.getName(), unusable);

        assertThat(defined.getName()).isEqualTo(Target.class.getName());
        assertThat(defined.getSuperclass()).isEqualTo(Thread.class);
        assertThat(defined.getInterfaces()).containsExactly(Callable.class);
        assertThat(defined.getDeclaredMethods()).isEmpty();
        assertThat(defined.getDeclaredFields()).isEmpty();
        assertThatThrownBy(() -> Class.forName(defined.getName(), true, defined.getClassLoader()))
                .isInstanceOf(ExceptionInInitializerError.class)
                .cause().isInstanceOf(IllegalStateException.class).hasMessage("warden: could not instrument Target: refused");
        assertThatThrownBy(() -> defined.getDeclaredConstructor()).isInstanceOf(NoSuchMethodException.class);
    }

    private static byte[] classFile(Class<?> type) throws IOException {
        try (InputStream in = UnusableClassTest.class.getClassLoader().getResourceAsStream(type.getName().replace('.', '/') + ".class")) {
            return in.readAllBytes();
        }
    }


    private static final class DefiningLoader extends ClassLoader {
        DefiningLoader() {
            super(UnusableClassTest.class.getClassLoader());
        }

        Class<?> define(String name, byte[] bytes) {
            return defineClass(name, bytes, 0, bytes.length);
        }
    }
}
