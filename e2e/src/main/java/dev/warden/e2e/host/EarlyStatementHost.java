package dev.warden.e2e.host;

import java.lang.reflect.Proxy;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * An application whose first line runs SQL through a statement class it defines itself (a proxy implementing
 * {@code java.sql.Statement}): the class is loaded, and its statement run, within a few milliseconds of {@code main}.
 * The statement's own code prints what reaches it, to standard output (a file it wrote would be a gated action too).
 *
 * With {@code own-interface}, the proxy implements an interface of the application's that extends {@code Statement}:
 * that the class is a statement, only that interface's class file tells.
 *
 * <pre>
 *   java EarlyStatementHost SQL [own-interface]
 *   out:  MAIN, then ARRIVED sql (from the statement's code) and OK updated=U, or DENIED message=M
 * </pre>
 */
public final class EarlyStatementHost {

    /** A statement interface of the application's own. */
    public interface OwnStatement extends Statement {
    }

    public static void main(String[] args) throws Exception {
        System.out.println("MAIN");
        Class<?> statementInterface = args.length > 1 && args[1].equals("own-interface") ? OwnStatement.class : Statement.class;
        Statement statement = (Statement) Proxy.newProxyInstance(EarlyStatementHost.class.getClassLoader(),
                new Class<?>[] {statementInterface}, (proxy, method, arguments) -> {
                    if (method.getName().startsWith("execute") && arguments != null && arguments[0] instanceof String sql) {
                        System.out.println("ARRIVED " + sql);
                        return method.getReturnType() == int.class ? 1 : method.getReturnType() == boolean.class ? false : null;
                    }
                    return method.getReturnType() == boolean.class ? false : method.getReturnType() == int.class ? 0 : null;
                });
        try {
            System.out.println("OK updated=" + statement.executeUpdate(args[0]));
        } catch (SQLException | RuntimeException refused) {
            System.out.println("DENIED message=" + refused.getMessage());
        }
        System.out.println("DONE");
    }
}
