package dev.warden.e2e.host.adversary;

import dev.warden.e2e.host.adversary.SideEffectConnection.Hook;

import java.io.IOException;
import java.net.Authenticator;
import java.net.CacheRequest;
import java.net.CacheResponse;
import java.net.HttpURLConnection;
import java.net.PasswordAuthentication;
import java.net.ResponseCache;
import java.net.URI;
import java.net.URL;
import java.net.URLConnection;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.List;
import java.util.Map;

/**
 * Class 2 of issue 11: "exempt only the same action". Each technique runs its forbidden SQL (or
 * tool, or request) from code that runs while something else is being decided, or while nothing is:
 * an application's own {@code Connection}/{@code Driver}/{@code Statement} overrides, a SQL
 * function a permitted SELECT calls, SQL in the connection URL, driver callbacks during connect, a
 * tool inside a permitted tool, HTTP callbacks inside a permitted request.
 */
public final class ExemptionHost {

    public static void main(String[] args) throws Exception {
        Adversary adversary = Adversary.from(args);
        try (Connection holder = adversary.connect()) { // keeps the side-channel database open
            Techniques.run("permitted-select", () -> WardenSwitchesHost.select(adversary));
            Techniques.run("connection-wrapper-set-read-only", () -> {
                try (Connection wrapper = wrap(adversary, Hook.SET_READ_ONLY, "connection-wrapper-set-read-only")) {
                    wrapper.setReadOnly(false);
                    return "RAN setReadOnly";
                }
            });
            Techniques.run("connection-wrapper-get-auto-commit", () -> {
                try (Connection wrapper = wrap(adversary, Hook.GET_AUTO_COMMIT, "connection-wrapper-get-auto-commit")) {
                    return "RAN autoCommit=" + wrapper.getAutoCommit();
                }
            });
            Techniques.run("connection-wrapper-is-valid", () -> {
                try (Connection wrapper = wrap(adversary, Hook.IS_VALID, "connection-wrapper-is-valid")) {
                    return "RAN valid=" + wrapper.isValid(5);
                }
            });
            Techniques.run("connection-wrapper-metadata-read-by-warden", () -> {
                // The application only prepares and runs the permitted SELECT; it never asks for metadata.
                try (Connection wrapper = wrap(adversary, Hook.GET_META_DATA, "connection-wrapper-metadata-read-by-warden")) {
                    return rows(wrapper.prepareStatement(Adversary.PERMITTED_SELECT));
                }
            });
            Techniques.run("driver-wrapper-connect", () -> {
                DriverManager.registerDriver(new SideEffectDriver("driver-wrapper-connect"));
                try (Connection ignored = DriverManager.getConnection(SideEffectDriver.PREFIX + adversary.db(), "sa", "")) {
                    return "RAN connected";
                }
            });
            Techniques.run("h2-function-alias-in-select", () -> {
                try (Connection connection = adversary.connect()) {
                    return rows(connection.prepareStatement("SELECT tag, ADVERSARY_SIDE_EFFECT('h2-function-alias-in-select') "
                            + "FROM notes WHERE tag = 'h2-function-alias-in-select'"));
                }
            });
            Techniques.run("statement-wrapper-runs-other-sql", () -> {
                try (Connection connection = adversary.connect();
                     LyingStatement statement = new LyingStatement(connection.createStatement(),
                             Adversary.insert("statement-wrapper-runs-other-sql"));
                     ResultSet rows = statement.executeQuery(Adversary.PERMITTED_SELECT)) {
                    return "RAN first=" + rows.next();
                }
            });
            Techniques.run("prepared-wrapper-runs-other-sql", () -> {
                try (Connection wrapper = wrap(adversary, Hook.PREPARE_OTHER_SQL, "prepared-wrapper-runs-other-sql")) {
                    return rows(wrapper.prepareStatement(Adversary.PERMITTED_SELECT));
                }
            });
            Techniques.run("url-init-insert", () -> {
                try (Connection ignored = Adversary.connect(adversary.db() + ";INIT=" + Adversary.insert("url-init-insert"))) {
                    return "RAN connected";
                }
            });
            Techniques.run("url-init-runscript", () -> {
                try (Connection ignored = Adversary.connect(adversary.db() + ";INIT=RUNSCRIPT FROM '" + adversary.setting("script") + "'")) {
                    return "RAN connected";
                }
            });
            Techniques.run(SideEffectListener.TECHNIQUE, () -> {
                try (Connection ignored = Adversary.connect("jdbc:h2:file:" + adversary.setting("scratch")
                        + ";DATABASE_EVENT_LISTENER='" + SideEffectListener.class.getName() + "'")) {
                    return "RAN connected";
                }
            });
            Techniques.run(SideEffectSocketFactory.TECHNIQUE, () -> {
                try (Connection ignored = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/test?connectTimeout=5&socketFactory="
                        + SideEffectSocketFactory.class.getName(), "postgres", "")) {
                    return "RAN connected";
                }
            });
            Techniques.run(NestingTool.TECHNIQUE, () -> Techniques.toolResult(
                    new NestingTool(adversary).execute(EffectTool.request("lookup_note"), "memory-1")));
            Techniques.run("huc-response-cache-sql", () -> responseCache(adversary));
            Techniques.run("huc-authenticator-request", () -> authenticator(adversary));
        }
        Techniques.done();
    }

    private static Connection wrap(Adversary adversary, Hook hook, String technique) throws Exception {
        return new SideEffectConnection(adversary.connect(), hook, technique);
    }

    private static String rows(PreparedStatement statement) throws Exception {
        try (statement; ResultSet rows = statement.executeQuery()) {
            int count = 0;
            while (rows.next()) {
                count++;
            }
            return "RAN rows=" + count;
        }
    }

    /** A response cache HttpURLConnection consults inside its connect, which runs SQL when asked. */
    private static String responseCache(Adversary adversary) throws Exception {
        String[] heard = {"cache never asked"};
        ResponseCache.setDefault(new ResponseCache() {
            @Override
            public CacheResponse get(URI uri, String method, Map<String, List<String>> headers) {
                heard[0] = "cache sql " + Techniques.attempt(() -> {
                    try (Connection connection = adversary.connect()) {
                        return Adversary.write(connection, Adversary.insert("huc-response-cache-sql"));
                    }
                });
                return null;
            }

            @Override
            public CacheRequest put(URI uri, URLConnection connection) {
                return null;
            }
        });
        try {
            HttpURLConnection connection = (HttpURLConnection) new URL(adversary.url("/api/decoy/huc-response-cache-sql")).openConnection();
            return Techniques.attempt(() -> "RAN status=" + connection.getResponseCode()) + " " + heard[0];
        } finally {
            ResponseCache.setDefault(null);
        }
    }

    /** An authenticator HttpURLConnection calls on a 401, which sends a request of its own. */
    private static String authenticator(Adversary adversary) throws IOException {
        String[] heard = {"authenticator never asked"};
        HttpURLConnection connection = (HttpURLConnection) new URL(adversary.url("/api/decoy/auth/huc-authenticator-request")).openConnection();
        connection.setAuthenticator(new Authenticator() {
            @Override
            protected PasswordAuthentication getPasswordAuthentication() {
                heard[0] = "nested " + Techniques.attempt(() -> "RAN " + adversary.postWithJdkClient("/api/t/huc-authenticator-request"));
                return new PasswordAuthentication("agent", "secret".toCharArray());
            }
        });
        return Techniques.attempt(() -> "RAN status=" + connection.getResponseCode()) + " " + heard[0];
    }

    private ExemptionHost() {
    }
}
