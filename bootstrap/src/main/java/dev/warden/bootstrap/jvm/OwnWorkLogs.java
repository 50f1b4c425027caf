package dev.warden.bootstrap.jvm;

import dev.warden.bootstrap.Gate;

/**
 * {@code java.util.logging}'s handlers and filters are the application's to add ({@code Logger.addHandler},
 * {@code setFilter}, {@code setLevel}: public, on any logger, the root's and the JDK's own included), and the JDK logs
 * its own work through them: {@code HttpURLConnection} its request and answer heads at {@code FINE}. Warden's own work
 * (its OTLP export and witnesses over {@code HttpURLConnection}) runs where actions pass ungated, so a handler of the
 * application's called there acted ungated (a thirteenth review: a handler on {@code HttpURLConnection}'s logger wrote
 * files from the export's threads under a policy that permits none). A record logged on Warden's own work is dropped
 * before any filter or handler sees it: the JDK's debug lines about Warden's requests are not the application's to read
 * either. Warden's own lines never go through {@code java.util.logging}.
 */
public final class OwnWorkLogs {

    private OwnWorkLogs() {
    }

    /** Whether a record logged now goes to no filter and no handler: it is logged on Warden's own work. */
    public static boolean dropped() {
        return Gate.isInternal();
    }
}
