package dev.warden.agent.reload;

/**
 * What a reload or rollback did.
 *
 * @param from    the version in force before (12 hex digits in {@link #line()})
 * @param to      the version asked for (null when the rules directory could not be read)
 * @param message why it was rejected, or what switched it
 */
public record PolicyChange(Kind kind, String from, String to, String message) {

    public enum Kind { SWITCHED, UNCHANGED, REJECTED }

    /** One line for stderr and the operator's CLI: {@code switched 1a2b3c4d5e6f -> 0f9e8d7c6b5a (rollback)}. */
    public String line() {
        return switch (kind) {
            case SWITCHED -> "switched " + shortly(from) + " -> " + shortly(to) + " (" + message + ")";
            case UNCHANGED -> "unchanged: " + shortly(from) + " is in force already (" + message + ")";
            case REJECTED -> "rejected " + shortly(to) + ", " + shortly(from) + " stays in force: " + message;
        };
    }

    /** The first 12 hex digits of a version, as the start line and explain print it. */
    static String shortly(String version) {
        return version == null ? "(unreadable)" : version.substring(0, Math.min(12, version.length()));
    }
}
