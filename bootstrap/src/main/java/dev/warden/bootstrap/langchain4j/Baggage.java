package dev.warden.bootstrap.langchain4j;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.Map;

/**
 * OpenTelemetry baggage ({@code enduser.id}, {@code session.id}) as identity hints, when the
 * application has the OpenTelemetry API: looked up reflectively through the thread's context class
 * loader (Warden's bootstrap classes cannot link against the application's), once per loader.
 */
final class Baggage {

    /** The last loader asked about, and its handles (null when it has no OpenTelemetry API). */
    private record Lookup(ClassLoader loader, MethodHandle current, MethodHandle entryValue) {
    }

    private static volatile Lookup last;

    private Baggage() {
    }

    /** Adds {@code actor} and {@code session} from the current baggage where the call named none. */
    static void addTo(Map<String, Object> attributes) {
        if (attributes.containsKey("actor") && attributes.containsKey("session")) {
            return;
        }
        Lookup lookup = lookup(Thread.currentThread().getContextClassLoader());
        if (lookup.current() == null) {
            return;
        }
        try {
            Object baggage = lookup.current().invoke();
            putIfAbsent(attributes, "actor", lookup.entryValue().invoke(baggage, "enduser.id"));
            putIfAbsent(attributes, "session", lookup.entryValue().invoke(baggage, "session.id"));
        } catch (Throwable unreadable) {
            // Baggage is a hint: without it the configured actor applies.
        }
    }

    private static void putIfAbsent(Map<String, Object> attributes, String name, Object value) {
        if (value instanceof String && !((String) value).isEmpty()) {
            attributes.putIfAbsent(name, value);
        }
    }

    private static Lookup lookup(ClassLoader loader) {
        Lookup cached = last;
        if (cached != null && cached.loader() == loader) {
            return cached;
        }
        Lookup found = new Lookup(loader, null, null);
        try {
            Class<?> baggage = Class.forName("io.opentelemetry.api.baggage.Baggage", false, loader);
            MethodHandles.Lookup lookup = MethodHandles.publicLookup();
            found = new Lookup(loader, lookup.findStatic(baggage, "current", MethodType.methodType(baggage)),
                    lookup.findVirtual(baggage, "getEntryValue", MethodType.methodType(String.class, String.class)));
        } catch (ReflectiveOperationException | LinkageError | SecurityException absent) {
            // No OpenTelemetry API in this application: remembered as such.
        }
        last = found;
        return found;
    }
}
