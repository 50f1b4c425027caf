package dev.warden.e2e;

/**
 * Services on 127.0.0.1 that every run of the suite shares ({@code scripts/services.sh} starts them), as the names of
 * JUnit's resource locks: test classes that use one take its lock, so they run one after another
 * while the rest of the suite runs beside them.
 */
public final class SharedServices {

    /** The PostgreSQL and MariaDB servers: their tables, schemas and databases, and the connections they accept. */
    public static final String DATABASES = "PostgreSQL and MariaDB on 127.0.0.1";

    private SharedServices() {
    }
}
