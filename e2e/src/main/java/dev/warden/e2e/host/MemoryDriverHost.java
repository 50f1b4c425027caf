package dev.warden.e2e.host;

import java.io.File;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Driver;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;

/**
 * A JDBC application whose driver is defined by a {@link MemoryClassLoader}: the driver jar (found
 * on the class path by its file name prefix) is read into memory, and no class file of the driver
 * can be read back from its loader. Prints one line per step, as {@link JdbcHost} does:
 *
 * <pre>
 *   java MemoryDriverHost JAR-PREFIX DRIVER-CLASS URL USER PASSWORD STEP...
 *   STEP = query:SQL | update:SQL
 *   out:  LOADER first-statement-class-loader-name
 *         OK step=N rows=R | OK step=N updated=U | DENIED step=N ... | ERROR step=N ...
 * </pre>
 */
public final class MemoryDriverHost {

    public static void main(String[] args) throws Exception {
        Path jar = onClassPath(args[0]);
        // The platform loader as parent: the driver's classes are found nowhere but in memory.
        MemoryClassLoader loader = MemoryClassLoader.ofJar(jar, ClassLoader.getPlatformClassLoader());
        Driver driver = (Driver) Class.forName(args[1], true, loader).getDeclaredConstructor().newInstance();
        Properties credentials = new Properties();
        credentials.setProperty("user", args[3]);
        credentials.setProperty("password", args[4]);
        List<String> steps = Arrays.asList(args).subList(5, args.length);
        try (Connection connection = driver.connect(args[2], credentials)) {
            try (Statement statement = connection.createStatement()) {
                System.out.println("LOADER " + statement.getClass().getName() + " in " + statement.getClass().getClassLoader().getName());
            }
            for (int step = 0; step < steps.size(); step++) {
                System.out.println(run(connection, step, steps.get(step)));
            }
        }
        System.out.println("DONE");
    }

    private static Path onClassPath(String prefix) {
        return Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator)).map(Path::of)
                .filter(path -> path.getFileName().toString().startsWith(prefix) && path.toString().endsWith(".jar"))
                .findFirst().orElseThrow(() -> new IllegalStateException("no " + prefix + "*.jar on the class path"));
    }

    private static String run(Connection connection, int step, String instruction) {
        String kind = instruction.substring(0, instruction.indexOf(':'));
        String sql = instruction.substring(instruction.indexOf(':') + 1);
        try (Statement statement = connection.createStatement()) {
            if (kind.equals("query")) {
                try (ResultSet results = statement.executeQuery(sql)) {
                    int rows = 0;
                    while (results.next()) {
                        rows++;
                    }
                    return "OK step=" + step + " rows=" + rows;
                }
            }
            return "OK step=" + step + " updated=" + statement.executeUpdate(sql);
        } catch (SQLException e) {
            if ("42501".equals(e.getSQLState()) && e.getMessage().startsWith("warden:")) {
                return "DENIED step=" + step + " message=" + e.getMessage();
            }
            return "ERROR step=" + step + " state=" + e.getSQLState() + " message=" + e.getMessage();
        } catch (RuntimeException | LinkageError e) {
            return "ERROR step=" + step + " " + e;
        }
    }
}
