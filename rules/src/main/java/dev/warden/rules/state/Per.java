package dev.warden.rules.state;

import java.util.Locale;

/** Whose count or spend it is. */
public enum Per {
    /** The agent acting. */
    ACTOR,
    /** The conversation or session; an action without one counts in its actor's. */
    SESSION,
    /** The user the agent acts for; an action for no user counts in its actor's. */
    USER;

    public static Per parse(Object value, String where) {
        if (value == null) {
            return ACTOR;
        }
        try {
            return Per.valueOf(String.valueOf(value).trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(where + ": per must be actor, session or user, not '" + value + "'");
        }
    }

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
