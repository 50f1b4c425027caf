package dev.warden.earlyloads;

import dev.warden.instrumentation.api.InstrumentationModule;

import java.io.IOException;
import java.io.InputStream;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;

/** Classes of an application, outside Warden's own packages, as they reach Warden while ByteBuddy is being installed. */
public final class Fixtures {

    private Fixtures() {
    }

    /** The surfaces' modules, as the agent finds them. */
    public static List<InstrumentationModule> modules() {
        List<InstrumentationModule> modules = new ArrayList<>();
        ServiceLoader.load(InstrumentationModule.class).forEach(modules::add);
        if (modules.size() < 5) {
            throw new IllegalStateException("the surfaces' modules are not on the test class path: " + modules);
        }
        return modules;
    }

    /** The name the JVM hands a transformer. */
    public static String internalName(Class<?> type) {
        return type.getName().replace('.', '/');
    }

    /** The class file a transformer is handed when {@code type} loads. */
    public static byte[] classFile(Class<?> type) throws IOException {
        try (InputStream in = ClassLoader.getSystemResourceAsStream(internalName(type) + ".class")) {
            return in.readAllBytes();
        }
    }

    public static final class Plain {
        String greet() {
            return "hello";
        }
    }

    public static final class Implementing implements Runnable {
        @Override
        public void run() {
        }
    }

    public static class Base {
    }

    public static class Extending extends Base {
    }

    /** An application's own rows, no {@code java.sql.ResultSet}. */
    public static final class Rows {
    }

    /**
     * Extends Object and implements nothing, and is no statement to the JDBC surface only because its
     * executeQuery(String) returns no ResultSet, which only the class file of {@link Rows} tells.
     */
    public static final class ReturnsItsOwnRows {
        public Rows executeQuery(String sql) {
            return null;
        }
    }

    /** Extends Object, implements nothing, and is a statement to the JDBC surface by its executeQuery(String). */
    public static final class LooksLikeAStatement {
        public ResultSet executeQuery(String sql) {
            return null;
        }
    }
}
