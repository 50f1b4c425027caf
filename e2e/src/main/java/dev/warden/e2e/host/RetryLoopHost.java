package dev.warden.e2e.host;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.util.concurrent.TimeUnit;

/**
 * An application whose retry policy retries every IOException at once, for as long as it is told:
 * the pattern that, under a deny-all policy, once wrote one full receipt per identical refusal.
 *
 * <pre>
 *   java RetryLoopHost URL SECONDS
 *   out: first=MESSAGE | last=MESSAGE | answered=STATUS | refusals=N answered=A other=O
 * </pre>
 * A refusal is an IOException whose message is Warden's ({@code warden: ...}); anything else is "other".
 */
public final class RetryLoopHost {

    public static void main(String[] args) throws Exception {
        URI uri = URI.create(args[0]);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(Long.parseLong(args[1]));
        long refusals = 0;
        long answered = 0;
        long other = 0;
        String last = null;
        while (System.nanoTime() < deadline) {
            try {
                HttpURLConnection connection = (HttpURLConnection) uri.toURL().openConnection();
                int status = connection.getResponseCode();
                connection.getInputStream().readAllBytes();
                if (answered++ == 0) {
                    System.out.println("answered=" + status);
                }
            } catch (IOException e) {
                String message = String.valueOf(e.getMessage());
                if (!message.startsWith("warden: ")) {
                    if (other++ == 0) {
                        System.out.println("other=" + e);
                    }
                    continue;
                }
                if (refusals++ == 0) {
                    System.out.println("first=" + message);
                }
                last = message;
            }
        }
        if (last != null) {
            System.out.println("last=" + last);
        }
        System.out.println("refusals=" + refusals + " answered=" + answered + " other=" + other);
    }
}
