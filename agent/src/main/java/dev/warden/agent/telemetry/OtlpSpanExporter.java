package dev.warden.agent.telemetry;

import io.opentelemetry.exporter.internal.otlp.traces.TraceRequestMarshaler;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;

import java.util.Collection;

/** Spans as OTLP/HTTP protobuf, sent by {@link OtlpHttp}. */
public record OtlpSpanExporter(OtlpHttp http) implements SpanExporter {

    @Override
    public CompletableResultCode export(Collection<SpanData> spans) {
        return http.send(TraceRequestMarshaler.create(spans));
    }

    @Override
    public CompletableResultCode flush() {
        return CompletableResultCode.ofSuccess();
    }

    @Override
    public CompletableResultCode shutdown() {
        return CompletableResultCode.ofSuccess();
    }
}
