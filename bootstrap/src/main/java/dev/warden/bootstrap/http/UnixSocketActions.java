package dev.warden.bootstrap.http;

import dev.warden.bootstrap.ActionRequest;
import dev.warden.bootstrap.Decision;
import dev.warden.bootstrap.Gate;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

/**
 * Unix-domain socket connects under {@code net}: {@code CONNECT unix:<absolute path>}. They do not
 * leave the machine, but what listens there is a server all the same (Docker's socket runs
 * containers as root, a database's socket takes SQL).
 */
public final class UnixSocketActions {

    private UnixSocketActions() {
    }

    /**
     * @param path the socket file, as the application named it (relative to the working directory, or absolute)
     * @return the exception the connect must fail with, or null when it may proceed
     */
    public static IOException refusalFor(Path path) {
        if (Gate.isInternal()) {
            return null;
        }
        try {
            Map<String, Object> attributes = Endpoints.base("unix", "unix");
            String written = path == null ? "" : path.toString();
            String absolute = written.isEmpty() ? "" : path.toAbsolutePath().normalize().toString();
            attributes.put("net.path", Host.printable(absolute));
            if (absolute.isEmpty()) {
                attributes.put("url.error", "empty socket path");
            }
            Decision decision = Gate.decide(new ActionRequest(NetActions.SURFACE, "CONNECT", "unix:" + Host.printable(absolute), attributes));
            return decision.blocks() ? HttpActions.refusal(decision) : null;
        } catch (RuntimeException | Error failure) {
            return HttpActions.refusal(Decision.failClosed("could not describe the unix socket connect: " + failure, null));
        }
    }
}
