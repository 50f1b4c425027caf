package dev.warden.rules.state;

/** At most {@code max} of the actions {@code scopes} covers, per actor, session or user, in a window ({@code limits:}). */
public record Limit(String name, Per per, long max, Window window, ScopeList scopes) {
}
