package dev.warden.e2e;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A syslog receiver over TCP (RFC 6587 octet counting) on 127.0.0.1, run by the test, and RFC 5424's
 * parse of what arrives, trusting nothing the host says about it.
 */
final class SyslogReceiver implements AutoCloseable {

    /** RFC 5424's header: PRI VERSION TIMESTAMP HOSTNAME APP-NAME PROCID MSGID STRUCTURED-DATA, then the MSG. */
    private static final Pattern RFC_5424 = Pattern.compile(
            "<([0-9]{1,3})>([1-9][0-9]{0,2}) (\\S+) (\\S{1,255}) (\\S{1,48}) (\\S{1,128}) (\\S{1,32}) (-|\\[.*?\\])(?: (.*))?", Pattern.DOTALL);

    record Message(int facility, int severity, int version, String timestamp, String hostname, String appName,
                   String procId, String msgId, String structuredData, String msg) {

        static Message parse(String text) {
            Matcher m = RFC_5424.matcher(text);
            if (!m.matches()) {
                throw new AssertionError("not an RFC 5424 message: " + text);
            }
            int pri = Integer.parseInt(m.group(1));
            return new Message(pri / 8, pri % 8, Integer.parseInt(m.group(2)), m.group(3), m.group(4), m.group(5),
                    m.group(6), m.group(7), m.group(8), m.group(9));
        }
    }

    private final ServerSocket server;
    private final List<String> messages = new ArrayList<>();
    private final List<String> errors = new ArrayList<>();
    private int probesSent;
    private int probesSeen;

    SyslogReceiver() throws IOException {
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread receiver = new Thread(this::receive, "syslog-tcp-" + server.getLocalPort());
        receiver.setDaemon(true);
        receiver.start();
    }

    int port() {
        return server.getLocalPort();
    }

    /** One connection after another, each read to its end: the order of the messages is the order they were sent. */
    private void receive() {
        while (!server.isClosed()) {
            try (Socket connection = server.accept()) {
                List<String> frames = frames(connection.getInputStream());
                synchronized (this) {
                    if (frames.isEmpty()) {
                        probesSeen++;
                    }
                    messages.addAll(frames);
                    notifyAll();
                }
            } catch (IOException e) {
                synchronized (this) {
                    if (!server.isClosed()) {
                        errors.add(String.valueOf(e));
                    }
                }
            }
        }
    }

    private static List<String> frames(InputStream in) throws IOException {
        List<String> frames = new ArrayList<>();
        DataInputStream data = new DataInputStream(in);
        for (int c = data.read(); c != -1; c = data.read()) {
            StringBuilder length = new StringBuilder();
            for (; c != ' '; c = data.read()) {
                if (c < '0' || c > '9' || length.length() > 9) {
                    throw new IOException("not an octet-counted frame: " + (char) c + " after " + frames.size() + " frames");
                }
                length.append((char) c);
            }
            byte[] message = new byte[Integer.parseInt(length.toString())];
            try {
                data.readFully(message);
            } catch (EOFException e) {
                throw new IOException("a frame cut short after " + frames.size() + " frames", e);
            }
            frames.add(new String(message, StandardCharsets.UTF_8));
        }
        return frames;
    }

    /**
     * The messages of every connection made and closed before this call: an empty connection of ours
     * is read after them (connections are read one after another), so once it is, they all were.
     */
    List<String> messagesBeforeNow() throws Exception {
        int probe;
        synchronized (this) {
            probe = ++probesSent;
        }
        new Socket(InetAddress.getLoopbackAddress(), port()).close();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        synchronized (this) {
            while (probesSeen < probe) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError("the receiver never read its probe; messages so far: " + messages);
                }
                TimeUnit.NANOSECONDS.timedWait(this, left);
            }
            if (!errors.isEmpty()) {
                throw new AssertionError("unreadable syslog streams: " + errors);
            }
            return List.copyOf(messages);
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
