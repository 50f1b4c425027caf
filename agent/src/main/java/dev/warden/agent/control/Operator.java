package dev.warden.agent.control;

/**
 * Who threw a switch, as far as Warden can tell: what the caller declared (the operator CLI sends its
 * OS user and pid) and the channel it came through. Local JMX through the Attach API is open only to
 * the JVM's own OS user, so the declaration comes from someone who already is that user.
 *
 * @param declared what the caller said of itself ({@code alice pid 4242}); "unknown" when it said nothing
 * @param channel  {@code jmx}, or {@code config} for the start-up mode
 */
public record Operator(String declared, String channel) {
    public Operator {
        declared = declared == null || declared.isBlank() ? "unknown" : declared.strip();
        if (declared.length() > 200) {
            declared = declared.substring(0, 200);
        }
    }

    public static Operator jmx(String declared) {
        return new Operator(declared, "jmx");
    }

    @Override
    public String toString() {
        return declared + " via " + channel;
    }
}
