package dev.warden.e2e.host;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.Socket;
import java.net.URL;
import java.nio.charset.StandardCharsets;

/**
 * An application whose tools reach services on this machine, given addresses by the agent: each step connects
 * to one and, over a raw socket, asks Redis to {@code SET} a key of its own (RESP), or sends it an HTTP request.
 *
 * <pre>
 *   java StateStoreHost raw|HOST|PORT|KEY ... http|HOST|PORT ...
 *   out: OK step=N reply=R | OK step=N status=S | REFUSED step=N message=M
 * </pre>
 */
public final class StateStoreHost {

    public static void main(String[] args) {
        for (int step = 0; step < args.length; step++) {
            String[] parts = args[step].split("\\|");
            try {
                System.out.println("OK step=" + step + " " + (parts[0].equals("raw") ? set(parts[1], Integer.parseInt(parts[2]), parts[3])
                        : get(parts[1], Integer.parseInt(parts[2]))));
            } catch (Exception refused) {
                System.out.println("REFUSED step=" + step + " message=" + String.valueOf(refused.getMessage()).replace('\n', ' '));
            }
        }
        System.out.println("DONE");
    }

    private static String set(String host, int port, String key) throws Exception {
        try (Socket socket = new Socket(host, port)) {
            OutputStream out = socket.getOutputStream();
            out.write(("*3\r\n$3\r\nSET\r\n$" + key.length() + "\r\n" + key + "\r\n$1\r\n1\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            return "reply=" + new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII)).readLine();
        }
    }

    private static String get(String host, int port) throws Exception {
        HttpURLConnection connection = (HttpURLConnection) new URL("http://" + host + ":" + port + "/").openConnection();
        connection.setReadTimeout(10_000);
        try {
            return "status=" + connection.getResponseCode();
        } finally {
            connection.disconnect();
        }
    }
}
