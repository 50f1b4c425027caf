package dev.warden.agent.siem;

import java.time.Instant;
import java.util.function.IntFunction;

/**
 * One event of the stream as its outputs take it: the JSON line, and what a syslog header says of it.
 *
 * @param time     the receipt's time, or when the checkpoint was signed or cosigned
 * @param type     {@code decision} or {@code checkpoint}
 * @param severity how much attention the event asks for
 * @param json     the ECS or OCSF line, without its line break
 * @param within   the line made to cost at most so many bytes (its values cut, each marked), for an output
 *                 that carries only so much; the whole line when it fits
 */
record SiemEvent(Instant time, String type, Severity severity, String json, IntFunction<String> within) {

    /** An event whose line is never cut (a checkpoint's is short). */
    SiemEvent(Instant time, String type, Severity severity, String json) {
        this(time, type, severity, json, max -> json);
    }
}
