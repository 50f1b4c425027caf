package dev.warden.bootstrap.jdbc;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The SQL a driver runs while connecting, read as each driver reads its URL and properties: H2 2.x
 * ({@code ConnectionInfo}: backslash escapes anywhere, upper-cased keys, {@code toString()} values;
 * {@code Engine}: {@code SET KEY value} per setting, then {@code INIT}), MariaDB, pgjdbc.
 */
class ConnectSqlTest {

    @AfterEach
    void clearUrlMap() {
        System.clearProperty(H2Settings.URL_MAP);
    }

    private static Properties properties(Object... keyValues) {
        Properties properties = new Properties();
        for (int i = 0; i < keyValues.length; i += 2) {
            properties.put(keyValues[i], keyValues[i + 1]);
        }
        return ConnectProperties.copyOf(properties);
    }

    @Test
    void h2InitIsItsSqlWithEverySemicolonEscapedAsH2UnescapesIt() {
        assertThat(ConnectSql.of("jdbc:h2:mem:x;INIT=INSERT INTO pwned VALUES (1)\\;DROP TABLE notes;MODE=MySQL", null))
                .containsExactly("INSERT INTO pwned VALUES (1);DROP TABLE notes");
        assertThat(ConnectSql.of("jdbc:h2:mem:x;init=RUNSCRIPT FROM 'x.sql'", null)).containsExactly("RUNSCRIPT FROM 'x.sql'");
        assertThat(ConnectSql.of("jdbc:h2:mem:x;INIT=SELECT 1;INIT=DELETE FROM notes", null))
                .containsExactly("SELECT 1", "DELETE FROM notes");
    }

    @Test
    void h2ReadsABackslashInsideAKeyAsTheCharacterAfterIt() {
        assertThat(ConnectSql.of("jdbc:h2:mem:x;IN\\IT=INSERT INTO victim VALUES('u1')", null))
                .containsExactly("INSERT INTO victim VALUES('u1')");
        assertThat(ConnectSql.of("jdbc:h2:mem:x;\\I\\N\\I\\T=DELETE FROM notes", null)).containsExactly("DELETE FROM notes");
        // English upper case: a dotless i is an I to H2.
        assertThat(ConnectSql.of("jdbc:h2:mem:x;\u0131nit=DELETE FROM notes", null)).containsExactly("DELETE FROM notes");
    }

    @Test
    void h2PropertiesAreReadInAnyCaseAndAnyValueTypeThroughToString() {
        assertThat(ConnectSql.of("jdbc:h2:mem:x", properties("init", "INSERT INTO victim VALUES('u2')")))
                .containsExactly("INSERT INTO victim VALUES('u2')");
        assertThat(ConnectSql.of("jdbc:h2:mem:x", properties("INIT", new StringBuilder("INSERT INTO victim VALUES('u3')"))))
                .containsExactly("INSERT INTO victim VALUES('u3')");
    }

    @Test
    void anH2SettingWhoseValueIsNotPlainIsTheSetCommandH2RunsForIt() {
        assertThat(ConnectSql.of("jdbc:h2:mem:x;LOCK_TIMEOUT=1000\\;INSERT INTO victim VALUES('u5')", null))
                .containsExactly("SET LOCK_TIMEOUT 1000;INSERT INTO victim VALUES('u5')");
        // A double backslash is one backslash: the ; after it separates settings, and INIT is INIT.
        assertThat(ConnectSql.of("jdbc:h2:mem:x;LOCK_TIMEOUT=1000\\\\;INIT=DELETE FROM notes", null))
                .containsExactly("SET LOCK_TIMEOUT 1000\\", "DELETE FROM notes");
        assertThat(ConnectSql.of("jdbc:h2:mem:x;LOCK_TIMEOUT=FILE_WRITE('x', '/tmp/y')", null))
                .containsExactly("SET LOCK_TIMEOUT FILE_WRITE('x', '/tmp/y')");
        assertThat(ConnectSql.of("jdbc:h2:mem:x", properties("lock_timeout", "NEXT VALUE FOR s")))
                .containsExactly("SET LOCK_TIMEOUT NEXT VALUE FOR s");
    }

    @Test
    void ordinaryH2SettingsAndCredentialsRunNothingToDecide() {
        assertThat(ConnectSql.of("jdbc:h2:mem:x;MODE=PostgreSQL;DB_CLOSE_DELAY=-1;DATABASE_TO_LOWER=TRUE;NON_KEYWORDS=VALUE,KEY"
                + ";AUTO_SERVER=FALSE;", properties("user", "sa", "password", "a;b 'c'",
                "PASSWORD", new char[] {'x', ';'}))).isEmpty();
        assertThat(ConnectSql.of("jdbc:h2:file:/tmp/db", null)).isEmpty();
    }

    /**
     * Settings that change what unqualified names mean, load a class or start a server are decided whatever their value:
     * a review read another schema's table through {@code ;SCHEMA=} and pgjdbc's {@code currentSchema}, and had H2
     * construct a class of its choosing through {@code DATABASE_EVENT_LISTENER}.
     */
    @Test
    void settingsThatSwitchTheSchemaLoadAClassOrStartAServerAreDecidedWhateverTheirValue() {
        assertThat(ConnectSql.of("jdbc:h2:mem:x;SCHEMA=PRIVATE;DATABASE_EVENT_LISTENER='com.acme.Evil'", null))
                .containsExactly("SET SCHEMA PRIVATE", "SET DATABASE_EVENT_LISTENER 'com.acme.Evil'");
        assertThat(ConnectSql.of("jdbc:h2:mem:x", properties("schema_search_path", "A,B", "auto_server", "TRUE",
                "JAVA_OBJECT_SERIALIZER", "com.acme.S"))).containsExactlyInAnyOrder("SET SCHEMA_SEARCH_PATH A,B",
                "SET AUTO_SERVER TRUE", "SET JAVA_OBJECT_SERIALIZER com.acme.S");
        assertThat(ConnectSql.of("jdbc:postgresql://127.0.0.1:5432/test?currentSchema=private", null))
                .containsExactly("SET search_path = private");
        assertThat(ConnectSql.of("jdbc:mariadb://127.0.0.1:3306/pwn4db?createDatabaseIfNotExist=true", null))
                .containsExactly("CREATE DATABASE IF NOT EXISTS pwn4db");
        assertThat(ConnectSql.of("jdbc:mariadb://127.0.0.1:3306/db?createDatabaseIfNotExist=false", null)).isEmpty();
        // The same read from a MariaDB Configuration (its static Driver.connect, its data sources).
        assertThat(ConnectSql.mariaDbConfigured(null, "", "pwn4db")).containsExactly("CREATE DATABASE IF NOT EXISTS pwn4db");
    }

    @Test
    void anH2UrlMapIsRefusedWhateverTheUrl() {
        System.setProperty(H2Settings.URL_MAP, "/tmp/map.properties");
        assertThatThrownBy(() -> ConnectSql.of("jdbc:h2:mem:x", null)).hasMessageContaining("h2.urlMap");
    }

    @Test
    void mariaDbInitSqlAndSessionVariablesAreSqlInAnyCase() {
        assertThat(ConnectSql.of("jdbc:mariadb://127.0.0.1:3306/wr?initSql=INSERT INTO victim VALUES ('x')", null))
                .containsExactly("INSERT INTO victim VALUES ('x')");
        assertThat(ConnectSql.of("jdbc:mariadb://127.0.0.1:3306/wr?user=root&INITSQL=DELETE FROM t", null))
                .containsExactly("DELETE FROM t");
        assertThat(ConnectSql.of("jdbc:mariadb://127.0.0.1:3306/wr", properties("initsql", new StringBuilder("DELETE FROM t"))))
                .containsExactly("DELETE FROM t");
        assertThat(ConnectSql.of("jdbc:mysql://127.0.0.1:3306/wr?sessionVariables=sql_mode='ANSI',@x=(SELECT 1)", null))
                .containsExactly("SET sql_mode='ANSI',@x=(SELECT 1)");
        assertThat(ConnectSql.of("jdbc:mariadb://127.0.0.1:3306/wr?allowMultiQueries=true&initSql=", null)).isEmpty();
    }

    @Test
    void pgjdbcServerOptionsAreTheSetTheyAmountTo() {
        assertThat(ConnectSql.of("jdbc:postgresql://127.0.0.1:5432/test?options=-c%20search_path%3Dwr_private", null))
                .containsExactly("SET search_path = wr_private");
        assertThat(ConnectSql.of("jdbc:postgresql://127.0.0.1:5432/test", properties("options", "-crole=admin --work_mem=4MB -x")))
                .containsExactly("SET role = admin", "SET work_mem = 4MB", "-x");
        assertThat(ConnectSql.of("jdbc:postgresql://127.0.0.1:5432/test?user=postgres&ssl=false", null)).isEmpty();
    }

    @Test
    void anyOtherDriversUrlIsReadForAnInitOnly() {
        assertThat(ConnectSql.of("jdbc:acme:x;LOCK_TIMEOUT=1\\;2;init=DELETE FROM t", null)).containsExactly("DELETE FROM t");
        assertThat(ConnectSql.of("jdbc:sqlite:/tmp/x.db", null)).isEmpty();
        assertThat(ConnectSql.of(null, null)).isEmpty();
    }
}
