package dev.warden.bootstrap;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;

/** OpenTelemetry's current baggage, when the application has the OpenTelemetry API. */
final class Baggage {

    static final ApplicationApi<Baggage> API = new ApplicationApi<>("io.opentelemetry.api.baggage.Baggage", Baggage::bind);

    private final MethodHandle current;
    private final MethodHandle entryValue;

    private Baggage(MethodHandle current, MethodHandle entryValue) {
        this.current = current;
        this.entryValue = entryValue;
    }

    private static Baggage bind(Class<?> baggage) throws ReflectiveOperationException {
        MethodHandles.Lookup lookup = MethodHandles.publicLookup();
        return new Baggage(lookup.findStatic(baggage, "current", MethodType.methodType(baggage)),
                lookup.findVirtual(baggage, "getEntryValue", MethodType.methodType(String.class, String.class)));
    }

    /** The value of one entry of the current baggage, or null (also when the baggage cannot be read). */
    String entry(String name) {
        try {
            Object value = entryValue.invoke(current.invoke(), name);
            return value instanceof String && !((String) value).isEmpty() ? (String) value : null;
        } catch (Throwable unreadable) {
            return null; // baggage is a hint: without it the next source applies
        }
    }
}
