package dev.warden.e2e.host.adversary;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.Optional;

/** An application's own {@link HttpRequest} whose headers or body publisher cannot be read. */
public class ThrowingHttpRequest extends HttpRequest {

    public enum Part { HEADERS, BODY_PUBLISHER }

    private final URI uri;
    private final Part throwing;

    public ThrowingHttpRequest(URI uri, Part throwing) {
        this.uri = uri;
        this.throwing = throwing;
    }

    @Override
    public Optional<BodyPublisher> bodyPublisher() {
        if (throwing == Part.BODY_PUBLISHER) {
            throw new IllegalStateException("body publisher is not ready");
        }
        return Optional.empty();
    }

    @Override
    public String method() {
        return "GET";
    }

    @Override
    public Optional<Duration> timeout() {
        return Optional.of(Duration.ofSeconds(10));
    }

    @Override
    public boolean expectContinue() {
        return false;
    }

    @Override
    public URI uri() {
        return uri;
    }

    @Override
    public Optional<HttpClient.Version> version() {
        return Optional.empty();
    }

    @Override
    public HttpHeaders headers() {
        if (throwing == Part.HEADERS) {
            throw new IllegalStateException("headers are not ready");
        }
        return HttpHeaders.of(java.util.Map.of(), (name, value) -> true);
    }
}
