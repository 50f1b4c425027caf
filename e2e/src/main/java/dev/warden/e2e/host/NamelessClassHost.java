package dev.warden.e2e.host;

import dev.warden.e2e.host.adversary.ArrivingStatement;

import java.io.InputStream;
import java.sql.Statement;

/**
 * An application that defines a statement class of its own from its class file, once without a name
 * ({@code ClassLoader.defineClass(null, ...)}, which the JVM hands a transformer with no name) and once with it, each
 * in a loader of its own, and runs the SQL it is given through each. The class's code prints {@code ARRIVED sql} when
 * the statement reaches it.
 *
 * <pre>
 *   java NamelessClassHost SQL
 *   out:  nameless: OK updated=U | nameless: DENIED message=M, then the same for named
 * </pre>
 */
public final class NamelessClassHost {

    public static void main(String[] args) throws Exception {
        byte[] classFile;
        try (InputStream in = NamelessClassHost.class.getResourceAsStream("/" + ArrivingStatement.class.getName().replace('.', '/') + ".class")) {
            classFile = in.readAllBytes();
        }
        for (String name : new String[] {null, ArrivingStatement.class.getName()}) {
            Class<?> defined = new Defining().define(name, classFile);
            Statement statement = (Statement) defined.getDeclaredConstructor().newInstance();
            String label = name == null ? "nameless" : "named";
            try {
                System.out.println(label + ": OK updated=" + statement.executeUpdate(args[0]));
            } catch (Exception refused) {
                System.out.println(label + ": DENIED message=" + refused.getMessage());
            }
        }
        System.out.println("DONE");
    }

    private static final class Defining extends ClassLoader {
        Defining() {
            super(NamelessClassHost.class.getClassLoader());
        }

        Class<?> define(String name, byte[] classFile) {
            return defineClass(name, classFile, 0, classFile.length);
        }
    }
}
