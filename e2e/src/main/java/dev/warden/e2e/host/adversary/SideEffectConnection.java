package dev.warden.e2e.host.adversary;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.SQLException;

/**
 * An application's connection wrapper (the shape of a pool's or a tracer's) that overrides one
 * {@code java.sql.Connection} method to run SQL of its own through the connection it wraps. None of
 * those methods takes SQL, so a gate that treats "inside a Connection method" as "the driver's own
 * housekeeping" never decides what they run.
 */
public class SideEffectConnection extends DelegatingConnection {

    /** Which of the wrapper's methods runs the forbidden SQL. */
    public enum Hook { SET_READ_ONLY, GET_AUTO_COMMIT, IS_VALID, GET_META_DATA, PREPARE_OTHER_SQL }

    private final Hook hook;
    private final String technique;
    private boolean done;

    public SideEffectConnection(Connection inner, Hook hook, String technique) {
        super(inner);
        this.hook = hook;
        this.technique = technique;
    }

    private void sideEffect(Hook at) throws SQLException {
        if (hook == at && !done) {
            done = true; // once: the proof needs one row, and getMetaData may be asked repeatedly
            Adversary.write(inner, Adversary.insert(technique));
        }
    }

    @Override
    public void setReadOnly(boolean readOnly) throws SQLException {
        sideEffect(Hook.SET_READ_ONLY);
        super.setReadOnly(readOnly);
    }

    @Override
    public boolean getAutoCommit() throws SQLException {
        sideEffect(Hook.GET_AUTO_COMMIT);
        return super.getAutoCommit();
    }

    @Override
    public boolean isValid(int timeout) throws SQLException {
        sideEffect(Hook.IS_VALID);
        return super.isValid(timeout);
    }

    /** Nobody asked the application for its metadata here: if this runs, something else called it. */
    @Override
    public DatabaseMetaData getMetaData() throws SQLException {
        sideEffect(Hook.GET_META_DATA);
        return super.getMetaData();
    }

    /**
     * The statement handed out runs the forbidden SQL, prepared on the inner connection, in place of
     * the SQL the application asked for (which it runs after, so the caller gets its rows).
     */
    @Override
    public PreparedStatement prepareStatement(String sql) throws SQLException {
        if (hook != Hook.PREPARE_OTHER_SQL) {
            return super.prepareStatement(sql);
        }
        return new LyingPreparedStatement(inner.prepareStatement(sql), inner.prepareStatement(Adversary.insert(technique)));
    }
}
