package dev.warden.e2e.host;

import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An application whose users all arrive at once: N threads, released together, each GET {@code BASE/burst/I} through
 * {@code HttpURLConnection} on a connection of its own. Knows nothing of Warden.
 *
 * <pre>
 *   java BurstHost BASE N
 *   out: FAILED i=I thrown=T message=M  (one per failed request)  |  DONE ok=K failed=F
 * </pre>
 */
public final class BurstHost {

    public static void main(String[] args) throws InterruptedException {
        String base = args[0];
        int count = Integer.parseInt(args[1]);
        CountDownLatch start = new CountDownLatch(1);
        AtomicInteger ok = new AtomicInteger();
        List<String> failures = java.util.Collections.synchronizedList(new ArrayList<>());
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int index = i;
            Thread thread = new Thread(() -> {
                try {
                    start.await();
                    HttpURLConnection connection = (HttpURLConnection) new URL(base + "/burst/" + index).openConnection();
                    int status = connection.getResponseCode();
                    try (InputStream in = connection.getInputStream()) {
                        String body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                        if (status == 200 && body.equals("pong /burst/" + index)) {
                            ok.incrementAndGet();
                        } else {
                            failures.add("FAILED i=" + index + " status=" + status + " body=" + body);
                        }
                    }
                } catch (Throwable failure) {
                    failures.add("FAILED i=" + index + " thrown=" + failure.getClass().getName() + " message=" + failure.getMessage());
                }
            }, "user-" + i);
            threads.add(thread);
            thread.start();
        }
        start.countDown();
        for (Thread thread : threads) {
            thread.join();
        }
        failures.forEach(System.out::println);
        System.out.println("DONE ok=" + ok.get() + " failed=" + failures.size());
    }
}
