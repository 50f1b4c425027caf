package dev.warden.e2e.host;

/**
 * An application that only reports system properties, as its {@code main} sees them.
 *
 * <pre>
 *   java PropertiesHost NAME...
 *   out:  NAME=value (or NAME=null), one line each
 * </pre>
 */
public final class PropertiesHost {

    public static void main(String[] args) {
        for (String name : args) {
            System.out.println(name + "=" + System.getProperty(name));
        }
    }
}
