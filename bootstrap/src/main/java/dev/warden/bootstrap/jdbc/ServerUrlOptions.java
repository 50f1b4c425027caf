package dev.warden.bootstrap.jdbc;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

/**
 * The SQL the MariaDB, MySQL and PostgreSQL drivers run, or the session state they set, while
 * connecting, read from the URL's {@code ?key=value&...} options and the properties, keys in any
 * case (MariaDB Connector/J compares them case-insensitively; reading more can only refuse):
 * <ul>
 *   <li>{@code initSql} (MariaDB): run as it is;</li>
 *   <li>{@code sessionVariables} (MariaDB, MySQL Connector/J): run as {@code SET <variables>}, any
 *       expression in them included;</li>
 *   <li>{@code createDatabaseIfNotExist} (MariaDB): a {@code CREATE DATABASE IF NOT EXISTS} of the URL's database;</li>
 *   <li>{@code currentSchema} (pgjdbc): the {@code search_path}, decided as that {@code SET};</li>
 *   <li>{@code options} (pgjdbc): server settings for the session ({@code -c search_path=...},
 *       {@code -c role=...}): not SQL, but what a {@code SET} does, so decided as that {@code SET};
 *       anything in them that is not {@code -c name=value} is decided as it is, which no rule
 *       that reads SQL can classify.</li>
 * </ul>
 */
final class ServerUrlOptions {

    private ServerUrlOptions() {
    }

    static boolean isMariaDbOrMySql(String url) {
        return url != null && (url.startsWith("jdbc:mariadb:") || url.startsWith("jdbc:mysql:"));
    }

    static boolean isPostgreSql(String url) {
        return url != null && url.startsWith("jdbc:postgresql:");
    }

    static List<String> mariaDbConnectSql(String url, Properties properties) {
        List<String> statements = new ArrayList<>(1);
        for (Map.Entry<String, String> option : options(url, properties, false)) {
            String key = option.getKey().toLowerCase(Locale.ROOT);
            if (option.getValue().isBlank()) {
                continue; // the driver ignores an empty option
            }
            if (key.equals("initsql")) {
                statements.add(option.getValue());
            } else if (key.equals("sessionvariables")) {
                statements.add("SET " + option.getValue());
            } else if (key.equals("createdatabaseifnotexist") && !option.getValue().equalsIgnoreCase("false")) {
                statements.add(createDatabase(database(url)));
            }
        }
        return statements;
    }

    static List<String> postgreSqlConnectSql(String url, Properties properties) {
        List<String> statements = new ArrayList<>(1);
        for (Map.Entry<String, String> option : options(url, properties, true)) {
            if (option.getKey().equalsIgnoreCase("options") && !option.getValue().isBlank()) {
                statements.addAll(serverSettings(option.getValue()));
            } else if (option.getKey().equalsIgnoreCase("currentSchema") && !option.getValue().isBlank()) {
                // The schemas unqualified names resolve in: what SET search_path does, decided as it.
                statements.add("SET search_path = " + option.getValue());
            }
        }
        return statements;
    }

    /** {@code -c name=value}, {@code -cname=value} and {@code --name=value} as {@code SET name = value}; anything else as it is. */
    static List<String> serverSettings(String options) {
        List<String> statements = new ArrayList<>();
        String[] words = options.trim().split("\\s+");
        for (int i = 0; i < words.length; i++) {
            String word = words[i];
            String setting = word.equals("-c") && i + 1 < words.length ? words[++i]
                    : word.startsWith("--") ? word.substring(2)
                    : word.startsWith("-c") ? word.substring(2) : null;
            int equals = setting == null ? -1 : setting.indexOf('=');
            statements.add(equals > 0 ? "SET " + setting.substring(0, equals) + " = " + setting.substring(equals + 1) : word);
        }
        return statements;
    }

    /** What MariaDB's {@code createDatabaseIfNotExist} runs for {@code database}. */
    static String createDatabase(String database) {
        return "CREATE DATABASE IF NOT EXISTS " + database;
    }

    /** The database of {@code jdbc:mariadb://host[,host...]/database?...}; empty when it names none. */
    static String database(String url) {
        int hosts = url.indexOf("//");
        int slash = hosts < 0 ? -1 : url.indexOf('/', hosts + 2);
        if (slash < 0) {
            return "";
        }
        int query = url.indexOf('?', slash);
        return url.substring(slash + 1, query < 0 ? url.length() : query);
    }

    /** The properties' options, then the URL's (which the drivers let override them); duplicates kept. */
    private static List<Map.Entry<String, String>> options(String url, Properties properties, boolean decode) {
        List<Map.Entry<String, String>> options = new ArrayList<>();
        if (properties != null) {
            for (String name : properties.stringPropertyNames()) {
                options.add(Map.entry(name, properties.getProperty(name)));
            }
        }
        int query = url.indexOf('?');
        if (query >= 0) {
            for (String option : url.substring(query + 1).split("&")) {
                int equals = option.indexOf('=');
                if (equals > 0) {
                    String value = option.substring(equals + 1);
                    options.add(Map.entry(option.substring(0, equals), decode ? decoded(value) : value));
                }
            }
        }
        return options;
    }

    /** pgjdbc decodes option values; one it cannot decode fails the connect, so the raw text is as good. */
    private static String decoded(String value) {
        try {
            return URLDecoder.decode(value, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException undecodable) {
            return value;
        }
    }
}
