package dev.warden.e2e.host.adversary;

import org.h2.api.DatabaseEventListener;

/**
 * Named in a URL ({@code DATABASE_EVENT_LISTENER='...'}), instantiated and called by H2 inside
 * {@code Driver.connect} when it opens a database: it writes to the side-channel database.
 */
public class SideEffectListener implements DatabaseEventListener {

    public static final String TECHNIQUE = "h2-database-event-listener";

    @Override
    public void opened() {
        try {
            Adversary.writeFromCallback(TECHNIQUE);
        } catch (Exception e) {
            System.out.println("listener: " + Techniques.describe(e));
        }
    }
}
