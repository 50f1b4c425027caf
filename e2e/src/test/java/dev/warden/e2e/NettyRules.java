package dev.warden.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The least-privilege network policy of the Netty tests: the {@code net-least} pack (the unix socket
 * {@code service.sock}, datagrams to a port labelled {@code udp-port}), one loopback TCP port, the port of the
 * metrics collector labelled, and Netty's own native transports (epoll, the incubator's io_uring, Netty 4.2's
 * io_uring), which load with the native surface on.
 */
final class NettyRules {

    private NettyRules() {
    }

    /** Writes that policy into {@code rules} (made if absent), beside whatever is there. */
    static Path into(Path rules, int tcpPort, int metricsPort) throws IOException {
        Files.createDirectories(rules);
        Files.copy(Receipts.rules("net-least").resolve("least-privilege.drl"), rules.resolve("least-privilege.drl"));
        Files.writeString(rules.resolve("netty.drl"), """
                package rules.netleast;

                import dev.warden.rules.Action;

                rule "Netty's native epoll and io_uring transports"
                when
                    Action(surface == "native", operation == "LOAD", text("native.via") == "jni",
                           text("native.file") matches "libnetty_transport_native_(epoll|io_uring|io_uring42)_x86_64.*\\\\.so")
                then
                    verdict.permit("Netty's own native transports");
                end

                rule "the one TCP service"
                when
                    Action(surface == "net", operation == "CONNECT", number("net.port") == %d, flag("address.loopback"))
                then
                    verdict.permit("the local service");
                end

                rule "the metrics collector's port" salience 100
                when
                    $a : Action(surface == "net", number("net.port") == %d, !hasLabel("udp-port"))
                then
                    modify($a) { label("udp-port") }
                end
                """.formatted(tcpPort, metricsPort));
        return rules;
    }
}
