package dev.warden.e2e.host.adversary;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * A user-defined SQL function: the test declares it in the database
 * ({@code CREATE ALIAS ADVERSARY_SIDE_EFFECT FOR "...SqlFunctions.sideEffect"}) before the host
 * runs, and H2 runs it, inside the host, whenever a statement calls it. It writes through the
 * connection H2 hands it ({@code jdbc:default:connection}), i.e. as part of the calling statement.
 */
public final class SqlFunctions {

    private SqlFunctions() {
    }

    public static int sideEffect(Connection connection, String technique) throws SQLException {
        Adversary.write(connection, Adversary.insert(technique));
        return 1;
    }
}
