package dev.warden.e2e.host;

import dev.warden.e2e.host.adversary.ArrivingStatement;
import net.bytebuddy.ByteBuddy;
import net.bytebuddy.dynamic.loading.ClassLoadingStrategy;
import net.bytebuddy.implementation.InvocationHandlerAdapter;

import java.io.InputStream;
import java.lang.invoke.MethodHandles;
import java.lang.reflect.InvocationHandler;
import java.sql.Statement;

import static net.bytebuddy.matcher.ElementMatchers.any;

/**
 * An application that defines a statement class of its own from its class file, once without a name
 * ({@code ClassLoader.defineClass(null, ...)}, which the JVM hands a transformer with no name) and once with it, each
 * in a loader of its own, and runs the SQL it is given through each. The class's code prints {@code ARRIVED sql} when
 * the statement reaches it. Then two more statement classes the JVM defines by other means: one that ByteBuddy makes
 * with its default naming (an implementation of a {@code java.*} interface is named {@code net.bytebuddy.renamed...}),
 * the class file defined as a hidden class ({@code Lookup.defineHiddenClass}, which no class-file hook sees), and the
 * class renamed into the package of Warden's launcher, defined beside it through a lookup of it.
 *
 * <pre>
 *   java NamelessClassHost SQL
 *   out:  nameless: OK updated=U | nameless: DENIED message=M, then the same for named, bytebuddy, hidden, launcher
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
            run(name == null ? "nameless" : "named", (Statement) defined.getDeclaredConstructor().newInstance(), args[0]);
        }
        InvocationHandler arriving = (proxy, method, arguments) -> {
            if (method.getName().startsWith("execute")) {
                System.out.println("ARRIVED " + arguments[0]);
            }
            return method.getReturnType() == int.class ? 0 : method.getReturnType() == boolean.class ? false : null;
        };
        Class<? extends Statement> made = new ByteBuddy().subclass(Statement.class).method(any())
                .intercept(InvocationHandlerAdapter.of(arriving)).make()
                .load(NamelessClassHost.class.getClassLoader(), ClassLoadingStrategy.Default.WRAPPER).getLoaded();
        System.out.println("bytebuddy class " + made.getName());
        run("bytebuddy", made.getDeclaredConstructor().newInstance(), args[0]);
        Class<?> hidden = MethodHandles.privateLookupIn(ArrivingStatement.class, MethodHandles.lookup())
                .defineHiddenClass(classFile, true).lookupClass();
        run("hidden", (Statement) hidden.getDeclaredConstructor().newInstance(), args[0]);
        // Warden's launcher is in this loader's unnamed module: a lookup of it defines a class in its package, from its jar.
        Class<?> launcher = Class.forName("dev.warden.agent.launcher.WardenLauncher");
        byte[] renamed = new ByteBuddy().redefine(ArrivingStatement.class).name("dev.warden.agent.launcher.ArrivingStatement")
                .make().getBytes();
        Class<?> beside = MethodHandles.privateLookupIn(launcher, MethodHandles.lookup()).defineClass(renamed);
        run("launcher", (Statement) beside.getDeclaredConstructor().newInstance(), args[0]);
        System.out.println("DONE");
    }

    private static void run(String label, Statement statement, String sql) {
        try {
            System.out.println(label + ": OK updated=" + statement.executeUpdate(sql));
        } catch (Exception refused) {
            System.out.println(label + ": DENIED message=" + refused.getMessage());
        }
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
