package dev.warden.agent.siem;

import java.time.Instant;

/**
 * One event of the stream as its outputs take it: the JSON line, and what a syslog header says of it.
 *
 * @param time     the receipt's time, or when the checkpoint was signed or cosigned
 * @param type     {@code decision} or {@code checkpoint}
 * @param severity how much attention the event asks for
 * @param json     the ECS or OCSF line, without its line break
 */
record SiemEvent(Instant time, String type, Severity severity, String json) {
}
