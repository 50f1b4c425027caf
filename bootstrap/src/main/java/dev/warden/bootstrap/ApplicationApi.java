package dev.warden.bootstrap;

import java.lang.ref.WeakReference;

/**
 * An optional library of the application's (OpenTelemetry's API, Spring Security), reached through a
 * class loader: Warden's bootstrap classes cannot link against it. Looked up once per loader, and
 * remembered without keeping the loader alive: per loader only a weak reference to the library's
 * entry class (or that it is absent), and the bound handles hang off that class.
 *
 * @param <T> the handles bound to the library's classes
 */
final class ApplicationApi<T> {

    /** How the handles are bound to the library's entry class. */
    interface Binder<T> {
        T bind(Class<?> entry) throws ReflectiveOperationException;
    }

    private static final Object ABSENT = new Object();

    /** The last loader asked about and its answer: the usual case is one loader, asked on every action. */
    private record Last(WeakReference<ClassLoader> loader, WeakReference<Object> found) {
    }

    private final String entryClass;
    private final Attachment<Object> byLoader = new Attachment<>();
    private final ClassValue<Object> bound;
    private volatile Last last;

    ApplicationApi(String entryClass, Binder<T> binder) {
        this.entryClass = entryClass;
        this.bound = new ClassValue<>() {
            @Override
            protected Object computeValue(Class<?> entry) {
                try {
                    T handles = binder.bind(entry);
                    return handles == null ? ABSENT : handles;
                } catch (ReflectiveOperationException | RuntimeException | LinkageError incompatible) {
                    return ABSENT; // a version without the methods: as if absent
                }
            }
        };
    }

    /** The library's handles as {@code loader} sees it, or null when it does not have the library. */
    @SuppressWarnings("unchecked")
    T get(ClassLoader loader) {
        Last cached = last;
        Object found = cached != null && cached.loader().get() == loader ? cached.found().get() : null;
        if (found == null) {
            found = find(loader);
            last = new Last(new WeakReference<>(loader), new WeakReference<>(found));
        }
        return found == ABSENT ? null : (T) found;
    }

    private Object find(ClassLoader loader) {
        Object known = byLoader.get(loader);
        if (known == ABSENT) {
            return ABSENT;
        }
        Class<?> entry = known instanceof WeakReference<?> reference ? (Class<?>) reference.get() : null;
        if (entry == null) {
            try {
                entry = Class.forName(entryClass, false, loader);
            } catch (ClassNotFoundException | LinkageError | SecurityException absent) {
                byLoader.set(loader, ABSENT);
                return ABSENT;
            }
            byLoader.set(loader, new WeakReference<>(entry));
        }
        return bound.get(entry);
    }
}
