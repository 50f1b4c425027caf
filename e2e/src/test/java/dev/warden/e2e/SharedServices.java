package dev.warden.e2e;

/**
 * Services on 127.0.0.1 that every run of the suite shares ({@code scripts/services.sh} starts them), as the names of
 * JUnit's resource locks: test classes that change what one holds take its lock, so they run one after another
 * while the rest of the suite runs beside them.
 */
public final class SharedServices {

    /** The PostgreSQL and MariaDB servers: their tables and schemas. */
    public static final String DATABASES = "PostgreSQL and MariaDB on 127.0.0.1";

    private SharedServices() {
    }
}
