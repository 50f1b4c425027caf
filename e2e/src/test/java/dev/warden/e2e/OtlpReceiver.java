package dev.warden.e2e;

import com.sun.net.httpserver.HttpServer;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.trace.v1.Span;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;

/** An OTLP/HTTP (protobuf) receiver on 127.0.0.1 that keeps what it was sent, decoded. */
final class OtlpReceiver implements AutoCloseable {

    private final HttpServer server;
    private final List<Span> spans = new CopyOnWriteArrayList<>();
    private final List<Metric> metrics = new CopyOnWriteArrayList<>();
    private final List<LogRecord> logs = new CopyOnWriteArrayList<>();

    OtlpReceiver() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/v1/traces", exchange -> receive(exchange, body -> ExportTraceServiceRequest.parseFrom(body)
                .getResourceSpansList().forEach(resource -> resource.getScopeSpansList().forEach(scope -> spans.addAll(scope.getSpansList())))));
        server.createContext("/v1/metrics", exchange -> receive(exchange, body -> ExportMetricsServiceRequest.parseFrom(body)
                .getResourceMetricsList().forEach(resource -> resource.getScopeMetricsList().forEach(scope -> metrics.addAll(scope.getMetricsList())))));
        server.createContext("/v1/logs", exchange -> receive(exchange, body -> ExportLogsServiceRequest.parseFrom(body)
                .getResourceLogsList().forEach(resource -> resource.getScopeLogsList().forEach(scope -> logs.addAll(scope.getLogRecordsList())))));
        server.start();
    }

    private interface Decoder {
        void decode(byte[] body) throws IOException;
    }

    private void receive(com.sun.net.httpserver.HttpExchange exchange, Decoder decoder) throws IOException {
        try (exchange) {
            decoder.decode(exchange.getRequestBody().readAllBytes());
            exchange.sendResponseHeaders(200, -1);
        } catch (IOException | RuntimeException undecodable) {
            exchange.sendResponseHeaders(400, -1);
        } finally {
            synchronized (this) {
                notifyAll(); // wakes await: something arrived
            }
        }
    }

    String endpoint() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    List<Span> spans() {
        return spans;
    }

    List<LogRecord> logs() {
        return logs;
    }

    /**
     * The latest value of a cumulative counter, summed over the data points whose attributes hold {@code where}
     * (the newest export of each attribute set).
     */
    long counter(String name, Map<String, String> where) {
        Map<Map<String, String>, NumberDataPoint> latest = new java.util.HashMap<>();
        for (Metric metric : metrics) {
            if (metric.getName().equals(name)) {
                for (NumberDataPoint point : metric.getSum().getDataPointsList()) {
                    Map<String, String> attributes = attributes(point.getAttributesList());
                    if (attributes.entrySet().containsAll(where.entrySet())) {
                        latest.merge(attributes, point, (a, b) -> a.getTimeUnixNano() >= b.getTimeUnixNano() ? a : b);
                    }
                }
            }
        }
        return latest.values().stream().mapToLong(NumberDataPoint::getAsInt).sum();
    }

    /** The newest value of a gauge, or -1 before it arrived. */
    long gauge(String name) {
        return metrics.stream().filter(metric -> metric.getName().equals(name))
                .flatMap(metric -> metric.getGauge().getDataPointsList().stream())
                .max(java.util.Comparator.comparingLong(NumberDataPoint::getTimeUnixNano)).map(NumberDataPoint::getAsInt).orElse(-1L);
    }

    boolean hasMetric(String name) {
        return metrics.stream().anyMatch(metric -> metric.getName().equals(name));
    }

    static Map<String, String> attributes(List<KeyValue> attributes) {
        return attributes.stream().collect(Collectors.toMap(KeyValue::getKey, pair -> text(pair.getValue()), (a, b) -> b));
    }

    private static String text(AnyValue value) {
        return switch (value.getValueCase()) {
            case STRING_VALUE -> value.getStringValue();
            case BOOL_VALUE -> Boolean.toString(value.getBoolValue());
            case INT_VALUE -> Long.toString(value.getIntValue());
            case ARRAY_VALUE -> value.getArrayValue().getValuesList().stream().map(OtlpReceiver::text).collect(Collectors.joining(","));
            default -> value.toString();
        };
    }

    /** Waits until {@code condition} holds, checked after each request that arrives; fails with {@code what} after {@code seconds}. */
    synchronized void await(String what, long seconds, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!condition.getAsBoolean()) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError("never arrived: " + what);
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
