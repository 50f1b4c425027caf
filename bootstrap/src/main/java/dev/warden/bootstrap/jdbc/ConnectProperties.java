package dev.warden.bootstrap.jdbc;

import java.util.Properties;

/**
 * The properties a connect is decided on and the driver then receives: a plain copy taken once, so
 * that what was decided is what the driver reads. A host's {@code Properties} subclass could answer
 * Warden one way and the driver another, and a mutable value (a {@code StringBuilder}) could change
 * in between; drivers read values through {@code toString()} (H2, MariaDB), so the copy holds that
 * text. A {@code char[]} stays as it is: H2 takes a password that way.
 */
final class ConnectProperties {

    private ConnectProperties() {
    }

    /** @return null for null; throws whatever the host's properties throw */
    static Properties copyOf(Properties properties) {
        if (properties == null) {
            return null;
        }
        // Drivers that read getProperty (pgjdbc) see the defaults too; H2 and MariaDB read only the table.
        Properties defaults = new Properties();
        for (String name : properties.stringPropertyNames()) {
            defaults.setProperty(name, properties.getProperty(name));
        }
        Properties copy = new Properties(defaults);
        for (Object key : properties.keySet().toArray()) {
            Object value = properties.get(key);
            if (key != null && value != null) {
                copy.put(key.toString(), value instanceof char[] ? value : value.toString());
            }
        }
        return copy;
    }
}
