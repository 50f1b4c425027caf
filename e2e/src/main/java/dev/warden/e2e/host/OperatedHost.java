package dev.warden.e2e.host;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;

/**
 * An application an operator switches while it runs, driven line by line on stdin: {@code sql STATEMENT}
 * runs it and prints {@code OK value=V} (a query's first value) or {@code OK}; {@code http URL} sends a
 * GET and prints {@code OK status=S}; a refusal prints {@code REFUSED <message>}; {@code impersonate} tries to replace
 * Warden's agent MBean with one of its own under the same name (which claims shadow mode and switches nothing),
 * {@code squat} to register that one under another name of Warden's domain, {@code unregister-default} to unregister
 * {@code :type=Agent} (a name in the server's default domain), each printing {@code OK} when it could; {@code forge}
 * has its own MBean server ({@link ImpostorServerBuilder}) rewrite what Warden attests, {@code hide-attest} hide that
 * Warden attests; {@code unlock FILE} dumps the heap to FILE through the JDK's public management API, looks in it
 * for Warden's control key (its hex, checked against Warden's answer to a challenge) and signs a switch of the whole
 * agent to shadow with it, printing {@code OK shadow} when the switch took; {@code attach-unlock} does the same with
 * the key its JVM's attach listener hands out over a unix socket, once an operator's {@code control} or {@code jcmd}
 * started it; {@code memory-unlock FILE} does the same with the JVM's own memory, read through FILE
 * ({@code /proc/self/mem} or another name of it) at the addresses {@code /proc/self/maps} lists;
 * {@code set-option NAME VALUE} sets a manageable VM option;
 * {@code exit} ends it.
 * Argument: the JDBC URL. Prints {@code READY} once connected.
 */
public final class OperatedHost {

    public static void main(String[] args) throws Exception {
        if (System.getProperty("javax.management.builder.initial") != null) {
            // An application with a builder of its own makes the platform server itself: the JDK loads the builder
            // through the context class loader of whichever thread asks first.
            java.lang.management.ManagementFactory.getPlatformMBeanServer();
        }
        HttpClient http = HttpClient.newHttpClient();
        try (Connection connection = DriverManager.getConnection(args[0], "sa", "");
             BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
            System.out.println("READY");
            for (String line = in.readLine(); line != null && !line.equals("exit"); line = in.readLine()) {
                try {
                    System.out.println(line.equals("impersonate") ? impersonate() : line.equals("squat") ? squat()
                            : line.equals("unregister-default") ? unregisterByDefaultDomain()
                            : line.startsWith("unlock ") ? unlock(line.substring(7))
                            : line.startsWith("oom-unlock ") ? oomUnlock(line.substring(11))
                            : line.startsWith("set-option ") ? setOption(line.substring(11).split(" ", 2))
                            : line.equals("attach-unlock") ? attachUnlock()
                            : line.startsWith("memory-unlock ") ? memoryUnlock(line.substring(14))
                            : line.equals("forge") ? forge() : line.equals("hide-attest") ? hideAttest()
                            : line.startsWith("sql ") ? sql(connection, line.substring(4)) : http(http, line.substring(5)));
                } catch (Exception e) {
                    System.out.println("REFUSED " + e.getMessage());
                }
            }
        }
        System.out.println("BYE");
    }

    private static String impersonate() throws Exception {
        javax.management.MBeanServer server = java.lang.management.ManagementFactory.getPlatformMBeanServer();
        javax.management.ObjectName agent = new javax.management.ObjectName("dev.warden:type=Agent");
        server.unregisterMBean(agent);
        server.registerMBean(new Impostor(), agent);
        return "OK";
    }

    private static String oomUnlock(String file) throws Exception {
        awaitWardensControls();
        try {
            System.out.println("allocated " + new long[Integer.MAX_VALUE - 8].length);
        } catch (OutOfMemoryError expected) {
            // HotSpot dumped the heap where the operator's -XX:HeapDumpPath says
        }
        return unlocked(file);
    }

    /** A manageable VM option, as {@code HotSpotDiagnosticMXBean} sets it: {@code NAME VALUE}. */
    private static String setOption(String[] nameAndValue) {
        java.lang.management.ManagementFactory.getPlatformMXBean(com.sun.management.HotSpotDiagnosticMXBean.class)
                .setVMOption(nameAndValue[0], nameAndValue[1]);
        return "OK set";
    }

    /** Host code with public JDK API only: the heap holds the control key, whose MAC the challenge lets it check. */
    private static String unlock(String file) throws Exception {
        awaitWardensControls();
        java.lang.management.ManagementFactory.getPlatformMXBean(com.sun.management.HotSpotDiagnosticMXBean.class)
                .dumpHeap(file, true);
        return unlocked(file);
    }

    /** Warden registers its MBeans, and makes the control key, just after the start: the attacks begin after that. */
    private static void awaitWardensControls() throws Exception {
        javax.management.MBeanServer server = java.lang.management.ManagementFactory.getPlatformMBeanServer();
        javax.management.ObjectName agent = new javax.management.ObjectName("dev.warden:type=Agent");
        java.util.concurrent.CountDownLatch registered = new java.util.concurrent.CountDownLatch(1);
        javax.management.NotificationListener listener = (notification, handback) -> {
            if (notification instanceof javax.management.MBeanServerNotification registration
                    && registration.getMBeanName().equals(agent)) {
                registered.countDown();
            }
        };
        server.addNotificationListener(javax.management.MBeanServerDelegate.DELEGATE_NAME, listener, null, null);
        try {
            if (!server.isRegistered(agent) && !registered.await(60, java.util.concurrent.TimeUnit.SECONDS)) {
                throw new IllegalStateException("Warden's controls were not registered");
            }
        } finally {
            server.removeNotificationListener(javax.management.MBeanServerDelegate.DELEGATE_NAME, listener);
        }
    }

    private static String unlocked(String file) throws Exception {
        String[] challenge = challenge();
        return switchedWith(keyIn(java.nio.file.Files.readAllBytes(java.nio.file.Path.of(file)), challenge), challenge);
    }

    /**
     * Public JDK API only: {@code /proc/self/mem} is this process's memory, readable by the process itself at the
     * addresses {@code /proc/self/maps} lists (no ptrace rule keeps a process from itself); the heap is in it.
     */
    private static String memoryUnlock(String file) throws Exception {
        awaitWardensControls();
        String[] challenge = challenge();
        byte[] chunk = new byte[16 << 20];
        try (java.io.RandomAccessFile memory = new java.io.RandomAccessFile(file, "r")) {
            for (String region : java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/self/maps"))) {
                String[] fields = region.split("\\s+");
                String[] range = fields[0].split("-");
                long end = Long.parseUnsignedLong(range[1], 16);
                if (!fields[1].startsWith("rw") || fields.length > 5) {
                    continue; // anonymous writable memory: the heap's committed parts among it
                }
                // Chunks overlapping by a key's length, so that no key is cut in two.
                for (long at = Long.parseUnsignedLong(range[0], 16); at < end; at += chunk.length - 64) {
                    int length = (int) Math.min(chunk.length, end - at);
                    try {
                        memory.seek(at);
                        memory.readFully(chunk, 0, length);
                    } catch (java.io.IOException unreadable) {
                        break;
                    }
                    byte[] key = keyIn(java.util.Arrays.copyOf(chunk, length), challenge);
                    if (key != null) {
                        return switchedWith(key, challenge);
                    }
                    if (length < chunk.length) {
                        break;
                    }
                }
            }
        }
        return "OK no key";
    }

    private static String[] challenge() throws Exception {
        return ((String) java.lang.management.ManagementFactory.getPlatformMBeanServer().invoke(
                new javax.management.ObjectName("dev.warden:type=Agent"), "challenge", new Object[] {"host"},
                new String[] {"java.lang.String"})).split(" ");
    }

    /** Each run of 64 lower-case hex digits, tried as the control key against Warden's answer to the challenge. */
    private static byte[] keyIn(byte[] heap, String[] challenge) throws Exception {
        java.util.HexFormat hex = java.util.HexFormat.of();
        for (int start = 0, run = 0; start < heap.length; start++) {
            run = Character.digit(heap[start], 16) >= 0 && !Character.isUpperCase(heap[start]) ? run + 1 : 0;
            boolean ends = start + 1 == heap.length || Character.digit(heap[start + 1], 16) < 0;
            if (run == 64 && ends) {
                byte[] key = hex.parseHex(new String(heap, start - 63, 64, StandardCharsets.US_ASCII));
                if (mac(key, "warden-control agent", "host", challenge[0]).equals(challenge[1])) {
                    return key;
                }
            }
        }
        return null;
    }

    private static String switchedWith(byte[] key, String[] challenge) throws Exception {
        if (key == null) {
            return "OK no key";
        }
        String proof = challenge[0] + ":" + mac(key, "warden-control operator", challenge[0], "mode", "shadow", "all", "host");
        java.lang.management.ManagementFactory.getPlatformMBeanServer().invoke(new javax.management.ObjectName("dev.warden:type=Agent"),
                "mode", new Object[] {"shadow", "all", "host", proof},
                new String[] {"java.lang.String", "java.lang.String", "java.lang.String", "java.lang.String"});
        return "OK shadow";
    }

    /** Public JDK API only: a running attach listener serves the agent properties, the control key among them. */
    private static String attachUnlock() throws Exception {
        long pid = ProcessHandle.current().pid();
        java.nio.file.Path socket = java.nio.file.Path.of("/tmp/.java_pid" + pid);
        if (!java.nio.file.Files.exists(socket)) {
            return "OK no listener";
        }
        String properties;
        try (java.nio.channels.SocketChannel channel = java.nio.channels.SocketChannel.open(java.net.UnixDomainSocketAddress.of(socket))) {
            channel.write(java.nio.ByteBuffer.wrap("1\0agentProperties\0\0\0\0".getBytes(StandardCharsets.US_ASCII)));
            java.io.ByteArrayOutputStream answer = new java.io.ByteArrayOutputStream();
            java.nio.ByteBuffer buffer = java.nio.ByteBuffer.allocate(8192);
            while (channel.read(buffer.clear()) > 0) {
                answer.write(buffer.array(), 0, buffer.position());
            }
            properties = answer.toString(StandardCharsets.ISO_8859_1);
        }
        java.util.regex.Matcher key = java.util.regex.Pattern.compile("dev\\.warden\\.control\\.key=([0-9a-f]{64})").matcher(properties);
        if (!key.find()) {
            return "OK no key";
        }
        javax.management.MBeanServer server = java.lang.management.ManagementFactory.getPlatformMBeanServer();
        javax.management.ObjectName agent = new javax.management.ObjectName("dev.warden:type=Agent");
        String nonce = ((String) server.invoke(agent, "challenge", new Object[] {"host"}, new String[] {"java.lang.String"})).split(" ")[0];
        String proof = nonce + ":" + mac(java.util.HexFormat.of().parseHex(key.group(1)), "warden-control operator", nonce, "mode",
                "shadow", "all", "host");
        server.invoke(agent, "mode", new Object[] {"shadow", "all", "host", proof},
                new String[] {"java.lang.String", "java.lang.String", "java.lang.String", "java.lang.String"});
        return "OK shadow";
    }

    /** Warden's SwitchProof, as anyone may write it from its documentation. */
    private static String mac(byte[] key, String purpose, String... words) throws Exception {
        StringBuilder text = new StringBuilder(purpose);
        for (String word : words) {
            text.append('\n').append('+').append(word.length()).append(':').append(word);
        }
        javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
        mac.init(new javax.crypto.spec.SecretKeySpec(key, "HmacSHA256"));
        return java.util.HexFormat.of().formatHex(mac.doFinal(text.toString().getBytes(StandardCharsets.UTF_8)));
    }

    private static String hideAttest() {
        ImpostorServerBuilder.hideAttest();
        return "OK";
    }

    private static String forge() {
        ImpostorServerBuilder.forge();
        return "OK";
    }

    private static String unregisterByDefaultDomain() throws Exception {
        java.lang.management.ManagementFactory.getPlatformMBeanServer().unregisterMBean(new javax.management.ObjectName(":type=Agent"));
        return "OK";
    }

    private static String squat() throws Exception {
        java.lang.management.ManagementFactory.getPlatformMBeanServer().registerMBean(new Impostor(),
                new javax.management.ObjectName("dev.warden:type=Agent,name=shadow"));
        return "OK";
    }

    /** Answers as Warden's agent MBean does, without its key. */
    public interface ImpostorMBean {
        String challenge(String callerNonce);

        void kill(String surface, String reason, String operator);

        String status();
    }

    static final class Impostor implements ImpostorMBean {
        @Override
        public String challenge(String callerNonce) {
            return "00112233445566778899aabbccddeeff " + "ab".repeat(32);
        }

        @Override
        public void kill(String surface, String reason, String operator) {
        }

        @Override
        public String status() {
            return "mode shadow\n";
        }
    }

    private static String sql(Connection connection, String sql) throws Exception {
        try (Statement statement = connection.createStatement()) {
            if (!statement.execute(sql)) {
                return "OK";
            }
            try (ResultSet rows = statement.getResultSet()) {
                return rows.next() ? "OK value=" + rows.getString(1) : "OK";
            }
        }
    }

    private static String http(HttpClient http, String url) throws Exception {
        return "OK status=" + http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }
}
