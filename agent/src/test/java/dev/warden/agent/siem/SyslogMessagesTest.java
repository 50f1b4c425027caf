package dev.warden.agent.siem;

import com.google.gson.JsonParser;
import dev.warden.receipts.Receipt;
import dev.warden.receipts.ReceiptDraft;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class SyslogMessagesTest {
    private static final Instant TIME = Instant.parse("2026-12-02T09:00:00.123456789Z");
    private final SyslogMessages messages = new SyslogMessages("web-1.example.com", 4242);

    static Receipt receipt(String surface, String outcome) {
        return Receipt.seal("c", 1, Receipt.GENESIS_PREVIOUS, new ReceiptDraft("id-1", TIME, "agent", null, null,
                surface, "GET", "api", null, Map.of(), outcome, true, List.of("r"), "why", Map.of(), null));
    }

    private String text(SiemEvent event) {
        return new String(messages.format(event), StandardCharsets.US_ASCII);
    }

    @Test
    void aDecisionIsAnRfc5424MessageWithTheJsonAsMsgAndNoStructuredData() {
        SiemEvent event = new SiemEvent(TIME, "decision", Severity.WARNING, "{\"event\":{\"id\":\"id-1\"}}");

        // facility 13 (log audit) * 8 + severity 4 (warning); the time cut to microseconds
        assertThat(text(event)).isEqualTo(
                "<108>1 2026-12-02T09:00:00.123456Z web-1.example.com warden 4242 decision - {\"event\":{\"id\":\"id-1\"}}");
    }

    @Test
    void theSeverityFollowsTheOutcome() {
        assertThat(Severity.of(receipt("http", "DENY"))).isEqualTo(Severity.WARNING);
        assertThat(Severity.of(receipt("jdbc", "SILENCE"))).isEqualTo(Severity.WARNING);
        assertThat(Severity.of(receipt("tool", "HOLD"))).isEqualTo(Severity.NOTICE);
        assertThat(Severity.of(receipt("warden", "PERMIT"))).as("an operator's switch").isEqualTo(Severity.NOTICE);
        assertThat(Severity.of(receipt("http", "PERMIT"))).isEqualTo(Severity.INFORMATIONAL);
        assertThat(text(new SiemEvent(TIME, "decision", Severity.INFORMATIONAL, "{}"))).startsWith("<110>1 ");
        assertThat(text(new SiemEvent(TIME, "checkpoint", Severity.NOTICE, "{}"))).startsWith("<109>1 ")
                .contains(" warden 4242 checkpoint - ");
    }

    @Test
    void anyCharacterBeyondAsciiIsEscapedAndTheJsonMeansTheSame() {
        String json = "{\"warden\":{\"target\":\"b\u00fccher \u20ac \ud83d\ude00\",\"line\":\"a\\nb\"}}";

        byte[] message = messages.format(new SiemEvent(TIME, "decision", Severity.WARNING, json));

        String text = new String(message, StandardCharsets.ISO_8859_1);
        assertThat(text).endsWith(" - {\"warden\":{\"target\":\"b\\u00fccher \\u20ac \\ud83d\\ude00\",\"line\":\"a\\nb\"}}");
        assertThat(text.chars()).allMatch(c -> c < 0x80);
        String msg = text.substring(text.indexOf(" - ") + 3);
        assertThat(JsonParser.parseString(msg)).isEqualTo(JsonParser.parseString(json));
    }

    @Test
    void headerFieldsArePrintableAsciiWithoutSpacesAndAnEmptyHostIsNil() {
        SiemEvent event = new SiemEvent(Instant.parse("2026-12-02T09:00:00Z"), "decision", Severity.WARNING, "{}");

        assertThat(new String(new SyslogMessages("my host\u00e9", 7).format(event), StandardCharsets.US_ASCII))
                .isEqualTo("<108>1 2026-12-02T09:00:00Z my_host_ warden 7 decision - {}");
        assertThat(new String(new SyslogMessages("", 7).format(event), StandardCharsets.US_ASCII))
                .isEqualTo("<108>1 2026-12-02T09:00:00Z - warden 7 decision - {}");
        assertThat(new SyslogMessages("h".repeat(300), 7).format(event)).hasSize("<108>1 2026-12-02T09:00:00Z  warden 7 decision - {}".length() + 255);
    }
}
