package dev.warden.instrumentation.jdbc;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** URLs in receipts: no credentials, no SQL, however the driver escapes it. */
class JdbcUrlsTest {

    @Test
    void plainSettingsStayAndCredentialsAreMasked() {
        assertThat(JdbcUrls.withoutCredentials("jdbc:h2:mem:x;MODE=MySQL;DB_CLOSE_DELAY=-1;PASSWORD=sa"))
                .isEqualTo("jdbc:h2:mem:x;MODE=MySQL;DB_CLOSE_DELAY=-1;PASSWORD=***");
        assertThat(JdbcUrls.withoutCredentials("jdbc:postgresql://bob:pw@127.0.0.1:5432/test?currentSchema=wr&password=x"))
                .isEqualTo("jdbc:postgresql://127.0.0.1:5432/test?currentSchema=wr&password=***");
        assertThat(JdbcUrls.withoutCredentials("jdbc:sqlite:/tmp/x.db")).isEqualTo("jdbc:sqlite:/tmp/x.db");
    }

    @Test
    void sqlInASettingIsMaskedWithEverythingAfterIt() {
        assertThat(JdbcUrls.withoutCredentials("jdbc:h2:mem:x;MODE=MySQL;INIT=INSERT INTO victim VALUES('lit');DB_CLOSE_DELAY=-1"))
                .isEqualTo("jdbc:h2:mem:x;MODE=MySQL;INIT=***");
        assertThat(JdbcUrls.withoutCredentials("jdbc:h2:mem:x;IN\\IT=INSERT INTO victim VALUES('lit')"))
                .isEqualTo("jdbc:h2:mem:x;***");
        assertThat(JdbcUrls.withoutCredentials("jdbc:h2:mem:x;LOCK_TIMEOUT=1000\\;INSERT INTO victim VALUES('lit')"))
                .isEqualTo("jdbc:h2:mem:x;LOCK_TIMEOUT=***");
        // MariaDB does not split on ';': what follows is still the SQL's.
        assertThat(JdbcUrls.withoutCredentials("jdbc:mariadb://127.0.0.1:3306/wr?initSql=INSERT INTO v VALUES ('a');UPDATE t SET a='lit'"))
                .isEqualTo("jdbc:mariadb://127.0.0.1:3306/wr?initSql=***").doesNotContain("lit");
    }
}
