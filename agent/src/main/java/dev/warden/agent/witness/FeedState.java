package dev.warden.agent.witness;

/**
 * Where one witness stands, as the status file shows it.
 *
 * @param state        {@code waiting} (no checkpoint yet), {@code current} (cosigned the newest checkpoint),
 *                     {@code behind} (sending), {@code unreachable}, {@code failing} (an answer that is no
 *                     cosignature), {@code refused} (it refused this log's history: the alarm)
 * @param cosignedSize the largest size it cosigned for this process, 0 before the first
 * @param latestSize   the size of the log's newest checkpoint
 * @param alerting     whether the unwitnessed tail is past the configured bound
 * @param lastProblem  the last error or refusal, or empty
 */
record FeedState(String witness, String url, String state, long cosignedSize, long latestSize, boolean alerting,
                 String lastProblem) {

    String line() {
        return "witness=" + witness + " url=" + url + " state=" + state + " cosigned=" + cosignedSize
                + " checkpoint=" + latestSize + " unwitnessed=" + Math.max(0, latestSize - cosignedSize)
                + " alert=" + alerting + (lastProblem.isEmpty() ? "" : " problem=" + lastProblem.replace('\n', ' '));
    }
}
