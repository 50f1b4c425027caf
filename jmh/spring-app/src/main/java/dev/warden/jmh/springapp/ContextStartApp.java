package dev.warden.jmh.springapp;

import java.time.Duration;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A small, ordinary Spring Boot application: component scan, an embedded H2 DataSource with a repository
 * queried at start, and a web endpoint on an embedded Tomcat (port 0). It prints how long its context took
 * to start, from before {@link SpringApplication#run} until it returns (the application is ready, its
 * runners have run), and exits: jmh/otel-side-by-side.sh times it with and without each agent.
 */
@SpringBootApplication
public class ContextStartApp {

    public static void main(String[] args) {
        long cpuBefore = processCpu().toMillis();
        long start = System.nanoTime();
        ConfigurableApplicationContext context = SpringApplication.run(ContextStartApp.class, args);
        long millis = (System.nanoTime() - start) / 1_000_000;
        // The process's CPU time too (every thread: an agent's and the JIT's included): on a shared machine
        // the wall time says as much about the other work as about this start.
        long cpuMillis = processCpu().toMillis() - cpuBefore;
        // The harness parses this line; everything else is Spring's log.
        System.out.println("context started in " + millis + " ms, " + cpuMillis + " ms CPU");
        System.exit(SpringApplication.exit(context));
    }

    private static Duration processCpu() {
        return ProcessHandle.current().info().totalCpuDuration()
            .orElseThrow(() -> new IllegalStateException("this platform reports no process CPU time"));
    }
}
