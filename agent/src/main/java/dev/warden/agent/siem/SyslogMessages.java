package dev.warden.agent.siem;

import dev.warden.receipts.ReceiptLogOptions;
import dev.warden.receipts.siem.SiemFormat;

import java.nio.charset.StandardCharsets;
import java.time.temporal.ChronoUnit;

/**
 * RFC 5424 messages of this process's SIEM events:
 * {@code <PRI>1 TIMESTAMP HOSTNAME warden PID TYPE - JSON}. Facility 13 (log audit): the events are
 * an audit trail, apart from the host's own logging (user, local0-7) and the system's logins (auth).
 * No structured data: everything is in the JSON, which is the MSG.
 * <p>
 * The MSG is sent as US-ASCII, its other characters escaped the JSON way (backslash, u, four hex
 * digits): the same JSON to any parser, no UTF-8 BOM that RFC 5424 would ask for (and JSON parsers choke on), and a
 * byte count equal to the character count.
 */
final class SyslogMessages {
    static final int FACILITY = 13;
    static final String APP_NAME = "warden";

    private final String hostname;
    private final String procId;

    SyslogMessages(String hostname, long pid) {
        this.hostname = printable(hostname, 255);
        this.procId = Long.toString(pid);
    }

    /** This host's name (as the receipt log's origin names it) and this process's id. */
    static SyslogMessages ofThisProcess() {
        return new SyslogMessages(ReceiptLogOptions.hostName(), ProcessHandle.current().pid());
    }

    /** The whole message, without any framing. */
    byte[] format(SiemEvent event) {
        return format(event, Integer.MAX_VALUE);
    }

    /**
     * The message in at most {@code maxBytes} when the event can be cut to fit (a decision's values cut,
     * each marked with its length), so a long one is carried rather than lost.
     */
    byte[] format(SiemEvent event, int maxBytes) {
        String header = header(event);
        String json = event.json();
        if (header.length() + SiemFormat.cost(json) > maxBytes) {
            json = event.within().apply(maxBytes - header.length());
        }
        StringBuilder out = new StringBuilder(header.length() + json.length() + 64).append(header);
        appendAscii(out, json);
        return out.toString().getBytes(StandardCharsets.US_ASCII);
    }

    private String header(SiemEvent event) {
        return new StringBuilder(128)
                .append('<').append(FACILITY * 8 + event.severity().code()).append(">1 ")
                // RFC 5424 allows at most six digits of a second
                .append(event.time().truncatedTo(ChronoUnit.MICROS)).append(' ')
                .append(hostname).append(' ')
                .append(APP_NAME).append(' ')
                .append(procId).append(' ')
                .append(printable(event.type(), 32)).append(" - ")
                .toString();
    }

    /**
     * JSON's structure is ASCII: any other character is inside a string, where its escape (of the
     * UTF-16 unit, as Java holds it) means the same.
     */
    private static void appendAscii(StringBuilder out, String json) {
        for (int i = 0; i < json.length(); i++) {
            char c = json.charAt(i);
            if (c < 0x80) {
                out.append(c);
            } else {
                out.append("\\u").append(Character.forDigit(c >> 12, 16)).append(Character.forDigit((c >> 8) & 0xf, 16))
                        .append(Character.forDigit((c >> 4) & 0xf, 16)).append(Character.forDigit(c & 0xf, 16));
            }
        }
    }

    /** A header field: printable US-ASCII without spaces, at most {@code max} characters; {@code -} when empty. */
    private static String printable(String value, int max) {
        if (value == null || value.isEmpty()) {
            return "-";
        }
        StringBuilder out = new StringBuilder(Math.min(value.length(), max));
        for (int i = 0; i < value.length() && out.length() < max; i++) {
            char c = value.charAt(i);
            out.append(c > 32 && c < 127 ? c : '_');
        }
        return out.toString();
    }
}
