package dev.warden.e2e.host;

import com.fasterxml.jackson.databind.ObjectMapper;
import net.bytebuddy.ByteBuddy;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;

/**
 * An application with its own Jackson and ByteBuddy on the class path, in versions Warden does not
 * use. Prints which versions it sees, whether Warden's libraries leak into its class path, and then
 * runs one statement so the agent is known to be active.
 */
public final class IsolationHost {

    public static void main(String[] args) throws Exception {
        System.out.println("jackson=" + com.fasterxml.jackson.databind.cfg.PackageVersion.VERSION);
        System.out.println("jackson.mapper=" + new ObjectMapper().writeValueAsString(java.util.Map.of("k", 1)));
        System.out.println("bytebuddy from " + jarOf(ByteBuddy.class));
        // Warden's own ByteBuddy would define its Nexus in this loader before main, where the host's ByteBuddy then
        // finds it; and declining that must leave no ByteBuddy setting behind.
        System.out.println("nexus from " + jarOf(Class.forName("net.bytebuddy.dynamic.Nexus", false,
                ClassLoader.getSystemClassLoader())));
        System.out.println("net.bytebuddy.nexus.disabled=" + System.getProperty("net.bytebuddy.nexus.disabled"));
        for (String name : new String[] {"org.drools.core.impl.RuleBaseFactory", "net.openhft.chronicle.queue.ChronicleQueue",
                "org.bouncycastle.crypto.signers.Ed25519Signer", "dev.warden.agent.WardenAgent", "dev.warden.rules.Action"}) {
            System.out.println("visible " + name + "=" + visible(name));
        }
        try (Connection connection = DriverManager.getConnection(args[0], "sa", "");
             Statement statement = connection.createStatement();
             ResultSet results = statement.executeQuery("SELECT COUNT(*) FROM orders")) {
            results.next();
            System.out.println("orders=" + results.getLong(1));
        } catch (java.sql.SQLException e) {
            System.out.println("denied=" + e.getMessage());
        }
    }

    private static String jarOf(Class<?> type) {
        java.security.CodeSource source = type.getProtectionDomain().getCodeSource();
        return source == null || source.getLocation() == null ? "nowhere"
                : source.getLocation().getPath().replaceAll(".*/", "");
    }

    private static boolean visible(String className) {
        try {
            Class.forName(className, false, IsolationHost.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }
}
