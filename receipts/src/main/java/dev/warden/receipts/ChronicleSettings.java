package dev.warden.receipts;

import net.openhft.chronicle.core.io.BackgroundResourceReleaser;

import net.openhft.chronicle.queue.ChronicleQueue;
import net.openhft.posix.PosixAPI;
import net.openhft.chronicle.queue.RollCycles;
import net.openhft.chronicle.queue.impl.StoreFileListener;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;

import java.nio.file.Path;
import java.time.Clock;

/**
 * The one place Chronicle Queue is configured, so that the host's process stays quiet: no
 * analytics call home, no banner, no threads of Chronicle's own (they would be unmarked threads
 * doing I/O inside the host), no native libraries. Chronicle reads these properties in static initialisers, so
 * {@link #initialise()} runs before any Chronicle class is touched.
 */
final class ChronicleSettings {
    /** The queue lives in a sub-directory so that the log's own files never mix with Chronicle's. */
    static final String QUEUE_DIRECTORY = "queue";

    /** The property Chronicle's first initialisation reads, naming a properties file or resource to load. */
    static final String PROPERTIES_FILE = "system.properties";
    /** An empty resource beside this class: found by its class loader before any file of that name is looked for. */
    static final String NO_PROPERTIES = "dev/warden/receipts/no-system.properties";

    private static boolean initialised;
    private static Throwable initialisation;

    private ChronicleSettings() {
    }

    private static void quiet() {
        setIfAbsent("chronicle.analytics.disable", "true");
        setIfAbsent("chronicle.announcer.disable", "true");
        setIfAbsent("chronicle.disk.monitor.disable", "true");
        // Release memory mappings on close rather than from a "background~resource~releaser" thread
        // that the agent could not mark as its own.
        setIfAbsent("background.releaser", "false");
        // Chronicle's POSIX layer loads jffi's native stub through jnr (a restricted System::load that
        // JDK 22+ warns about on the host's stderr) only for msync and clock_gettime, neither of which
        // the log uses: an append is durable against a process crash once it is in the page cache.
        PosixAPI.useNoOpPosixApi();
    }

    /**
     * Configures Chronicle ({@link #quiet}) and initialises it, once. Chronicle registers its one shutdown hook when its
     * resource releaser is first initialised, and once the JVM has begun to exit that registration throws, so no queue
     * could be opened: a claim made before the host's main runs (which may return at once) initialises it then, for the
     * queue opened alongside the host's start.
     *
     * <p>That first initialisation (Chronicle's {@code Jvm}) also loads a {@code system.properties} file from the
     * working directory or its parent, or the one the property of that name names, into the JVM's system properties:
     * a file an application under Warden wrote there would set the next start's properties (a trust store, a proxy,
     * Warden's own {@code warden.*} settings, a {@code chronicle.postinit.runnable} Chronicle runs). So while it
     * initialises the property names an empty resource of Warden's, and is put back after. A failure is kept and given
     * again to every later call: a class whose initialisation failed answers "could not initialize" without the cause.
     *
     * @throws IllegalStateException when Chronicle could not be initialised (the cause attached)
     */
    static synchronized void initialise() {
        if (initialisation != null) {
            throw new IllegalStateException("Chronicle Queue could not be initialised", initialisation);
        }
        if (initialised) {
            return;
        }
        quiet();
        String named = System.setProperty(PROPERTIES_FILE, NO_PROPERTIES);
        try {
            BackgroundResourceReleaser.releasePendingResources();
            initialised = true;
        } catch (RuntimeException | LinkageError failed) {
            initialisation = failed;
            throw new IllegalStateException("Chronicle Queue could not be initialised", failed);
        } finally {
            if (named == null) {
                System.clearProperty(PROPERTIES_FILE);
            } else {
                System.setProperty(PROPERTIES_FILE, named); // the host's own Chronicle, if any, is another class
            }
        }
    }

    static ChronicleQueue openForWriting(Path directory, Clock rollClock, StoreFileListener onRoll) {
        initialise();
        SingleChronicleQueueBuilder builder = builder(directory).storeFileListener(onRoll);
        if (!rollClock.equals(Clock.systemUTC())) {
            builder.timeProvider(rollClock::millis); // a test's clock; otherwise Chronicle's own system clock
        }
        return builder.build();
    }

    static ChronicleQueue openReadOnly(Path directory) {
        initialise();
        return builder(directory).readOnly(true).build();
    }

    /** Where the cycle files of the receipts in {@code directory} are. */
    static Path queueDirectory(Path directory) {
        return directory.resolve(QUEUE_DIRECTORY);
    }

    private static SingleChronicleQueueBuilder builder(Path directory) {
        return ChronicleQueue.singleBuilder(queueDirectory(directory))
                .rollCycle(RollCycles.FAST_DAILY)
                // The gate's threads may be interrupted by the host; that must not lose a receipt.
                .checkInterrupts(false);
    }

    private static void setIfAbsent(String key, String value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
    }
}
