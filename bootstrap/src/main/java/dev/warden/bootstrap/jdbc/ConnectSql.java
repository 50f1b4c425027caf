package dev.warden.bootstrap.jdbc;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * What a driver will run on the database while connecting, before the application holds the
 * connection, from the URL and the properties it is given: each driver's own rules
 * ({@link H2Settings}, {@link ServerUrlOptions}). For any other driver, an H2-style {@code INIT}
 * setting is still read as SQL, as a driver built on H2 would.
 */
final class ConnectSql {

    private ConnectSql() {
    }

    /** @return the statements, in the driver's order; empty when it runs none of the connection's making */
    static List<String> of(String url, Properties properties) {
        if (H2Settings.accepts(url)) {
            return H2Settings.connectSql(url, properties);
        }
        if (ServerUrlOptions.isMariaDbOrMySql(url)) {
            return ServerUrlOptions.mariaDbConnectSql(url, properties);
        }
        if (ServerUrlOptions.isPostgreSql(url)) {
            return ServerUrlOptions.postgreSqlConnectSql(url, properties);
        }
        List<String> init = new ArrayList<>(0);
        for (Map.Entry<String, String> setting : H2Settings.settings(url, properties)) {
            if (setting.getKey().equals("INIT")) {
                init.add(setting.getValue());
            }
        }
        return init;
    }

    /**
     * What MariaDB Connector/J runs for a {@code Configuration} it was handed (its static
     * {@code Driver.connect(Configuration)}, which every connect and data source goes through): the
     * configuration's {@code initSql} as it is, its {@code sessionVariables} as {@code SET <variables>},
     * as {@link ServerUrlOptions} reads them from a URL. Blank ones the driver ignores.
     */
    static List<String> mariaDbConfigured(String initSql, String sessionVariables, String createDatabase) {
        List<String> statements = new ArrayList<>(3);
        if (createDatabase != null) {
            statements.add(ServerUrlOptions.createDatabase(createDatabase));
        }
        if (initSql != null && !initSql.isBlank()) {
            statements.add(initSql);
        }
        if (sessionVariables != null && !sessionVariables.isBlank()) {
            statements.add("SET " + sessionVariables);
        }
        return statements;
    }

    /**
     * What pgjdbc's {@code PgConnection} runs for the properties it was constructed with, whatever URL
     * it was given: its constructor reads only the properties, so the URL's options (which
     * {@code Driver.connect} has merged into them) are read too, which can only refuse more.
     */
    static List<String> postgreSqlConnection(String url, Properties properties) {
        return ServerUrlOptions.postgreSqlConnectSql(url == null ? "" : url, properties);
    }
}
