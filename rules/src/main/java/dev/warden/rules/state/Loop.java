package dev.warden.rules.state;

/** The same action (same digest) at most {@code max} times in a session within a window ({@code loops:}). */
public record Loop(String name, long max, Window within) {
}
