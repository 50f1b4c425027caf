package dev.warden.earlyloads;

import java.sql.ResultSet;

/** Classes of an application, outside Warden's own packages, as they reach Warden while ByteBuddy is being installed. */
public final class Fixtures {

    private Fixtures() {
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

    /** Extends Object, implements nothing, and is a statement to the JDBC surface by its executeQuery(String). */
    public static final class LooksLikeAStatement {
        public ResultSet executeQuery(String sql) {
            return null;
        }
    }
}
