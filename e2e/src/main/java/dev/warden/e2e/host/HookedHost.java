package dev.warden.e2e.host;

import java.net.CookieHandler;
import java.net.URI;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * An application that installs the JDK-wide HTTP hooks a host may set, a {@code CookieHandler}, a
 * {@code URLStreamHandlerFactory}, a {@code SocketImplFactory}, a {@code java.util.logging} handler on the logger
 * {@code HttpURLConnection} logs its heads to (at {@code FINE}) and, for {@code https}, the default TLS socket factory
 * and host name verifier, whose code writes a marker file named after the thread it runs on, then makes one
 * JDBC statement and exits. Its own threads write no marker (the policy refuses its file writes); a marker appears
 * only if a hook ran on a thread whose actions pass ungated: Warden's, making its own OTLP export.
 * <p>
 * Under the OpenTelemetry agent, whose {@code InstrumentationHolder} hands its {@code Instrumentation} to any code, the
 * host also adds a transformer that may retransform, which gives the JDK's file system provider its class file as the
 * JDK ships it (Warden's advice off), retransforms it and writes a marker from {@code main}: a marker appears only if
 * the write was not decided.
 *
 * <pre>
 *   java HookedHost MARKER_DIRECTORY
 *   out:  SOCKET FACTORY installed|refused: MESSAGE | TRANSFORMER none|added|refused: MESSAGE | HOOKED | STATEMENT ok | DONE
 * </pre>
 */
public final class HookedHost {

    private HookedHost() {
    }

    public static void main(String[] args) throws Exception {
        Path markers = Path.of(args[0]);
        URL.setURLStreamHandlerFactory(protocol -> {
            if (protocol.startsWith("http")) {
                mark(markers, "handler-factory");
            }
            return null; // the JDK's own handler: this host only wants to run where it is called
        });
        CookieHandler.setDefault(new CookieHandler() {
            @Override
            public Map<String, List<String>> get(URI uri, Map<String, List<String>> requestHeaders) {
                mark(markers, "cookie-handler");
                return Map.of();
            }

            @Override
            public void put(URI uri, Map<String, List<String>> responseHeaders) {
                mark(markers, "cookie-handler");
            }
        });
        try {
            // Every new Socket's implementation, from then on: this one marks, and makes none.
            java.net.Socket.setSocketImplFactory(() -> {
                mark(markers, "socket-impl-factory");
                throw new IllegalStateException("the host's socket factory makes no socket");
            });
            System.out.println("SOCKET FACTORY installed");
        } catch (SecurityException refused) {
            System.out.println("SOCKET FACTORY refused: " + refused.getMessage());
        }
        java.util.logging.Logger heads = java.util.logging.Logger.getLogger("sun.net.www.protocol.http.HttpURLConnection");
        heads.setLevel(java.util.logging.Level.FINE);
        heads.addHandler(new java.util.logging.Handler() {
            @Override
            public void publish(java.util.logging.LogRecord record) {
                mark(markers, "log-handler");
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        });
        javax.net.ssl.HttpsURLConnection.setDefaultSSLSocketFactory(new MarkingSocketFactory(markers));
        javax.net.ssl.HttpsURLConnection.setDefaultHostnameVerifier((host, session) -> {
            mark(markers, "hostname-verifier");
            return true;
        });
        System.out.println("TRANSFORMER " + retransformFileWrites(markers));
        System.out.println("HOOKED");
        try (var connection = java.sql.DriverManager.getConnection("jdbc:h2:mem:hooked", "sa", "");
             var statement = connection.createStatement()) {
            statement.execute("CREATE TABLE orders (id INT PRIMARY KEY)");
            statement.executeQuery("SELECT id FROM orders").close();
        }
        System.out.println("STATEMENT ok");
        System.out.println("DONE");
    }

    /** Takes Warden's advice off the JDK's file system provider with the OpenTelemetry agent's instrumentation, then writes. */
    private static String retransformFileWrites(Path markers) throws Exception {
        java.lang.instrument.Instrumentation instrumentation;
        try {
            instrumentation = (java.lang.instrument.Instrumentation) Class.forName(
                    "io.opentelemetry.javaagent.bootstrap.InstrumentationHolder", true, null).getMethod("getInstrumentation").invoke(null);
        } catch (ClassNotFoundException alone) {
            return "none";
        }
        Class<?> provider = Class.forName("sun.nio.fs.UnixFileSystemProvider");
        byte[] shipped;
        try (var in = Object.class.getModule().getResourceAsStream("sun/nio/fs/UnixFileSystemProvider.class")) {
            shipped = in.readAllBytes();
        }
        java.lang.instrument.ClassFileTransformer unadvise = new java.lang.instrument.ClassFileTransformer() {
            @Override
            public byte[] transform(Module module, ClassLoader loader, String name, Class<?> redefined,
                                    java.security.ProtectionDomain domain, byte[] classFile) {
                return redefined == provider ? shipped : null;
            }
        };
        try {
            instrumentation.addTransformer(unadvise, true);
        } catch (SecurityException refused) {
            return "refused: " + refused.getMessage();
        }
        try {
            instrumentation.retransformClasses(provider);
        } finally {
            instrumentation.removeTransformer(unadvise);
        }
        mark(markers, "transformer");
        return "added";
    }

    static void mark(Path markers, String hook) {
        try {
            Files.writeString(markers.resolve(hook + "-on-" + Thread.currentThread().getName()), "ran");
        } catch (Exception refused) {
            // the host's own threads are refused: only an ungated thread leaves a marker
        }
    }
}
