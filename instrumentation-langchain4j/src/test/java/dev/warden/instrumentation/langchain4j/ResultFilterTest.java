package dev.warden.instrumentation.langchain4j;

import dev.warden.bootstrap.Obligations;
import dev.warden.bootstrap.langchain4j.ResultFilter;
import org.junit.jupiter.api.Test;

import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** What a tool result looks like to the model under a permit's obligations. */
class ResultFilterTest {

    private static final Obligations MASK = new Obligations(-1, Set.of(), true);

    @Test
    void withoutObligationsTheTextIsUntouched() {
        String text = "mail jane@example.com";
        assertThat(ResultFilter.restrict(text, Obligations.NONE)).isSameAs(text);
    }

    @Test
    void namedFieldsAreRedactedInJsonAndInKeyValueText() {
        Obligations redact = new Obligations(-1, Set.of("ssn", "salary"), false);

        assertThat(ResultFilter.restrict("{\"name\":\"Jane\",\"ssn\":\"123-45-6789\",\"salary\": 120000.5}", redact))
                .isEqualTo("{\"name\":\"Jane\",\"ssn\":\"[REDACTED]\",\"salary\": \"[REDACTED]\"}");
        assertThat(ResultFilter.restrict("name=Jane, SSN=123-45-6789; salary: 1000", redact))
                .isEqualTo("name=Jane, SSN=[REDACTED]; salary: [REDACTED]");
    }

    @Test
    void emailAddressesAreMasked() {
        assertThat(ResultFilter.restrict("write to jane.doe+crm@mail.example.co.uk today", MASK))
                .isEqualTo("write to [EMAIL] today");
    }

    @Test
    void cardNumbersAreMaskedOnlyWhenTheyPassTheLuhnCheck() {
        assertThat(ResultFilter.restrict("card 4111 1111 1111 1111 and 4111-1111-1111-1112", MASK))
                .isEqualTo("card [CARD] and 4111-1111-1111-1112");
        assertThat(ResultFilter.restrict("card 5500005555555559", MASK)).isEqualTo("card [CARD]");
    }

    @Test
    void nationalIdsAreMasked() {
        assertThat(ResultFilter.restrict("SSN 123-45-6789, NINO AB 12 34 56 C", MASK))
                .isEqualTo("SSN [NATIONAL-ID], NINO [NATIONAL-ID]");
    }

    @Test
    void phoneNumbersAreMaskedButIdsAmountsAndDatesAreNot() {
        assertThat(ResultFilter.restrict("call +1 415 555 0100 or (030) 1234-5678", MASK))
                .isEqualTo("call [PHONE] or [PHONE]");
        assertThat(ResultFilter.restrict("order 1234567890 costs 120000.50 on 2026-11-22", MASK))
                .isEqualTo("order 1234567890 costs 120000.50 on 2026-11-22");
    }
}
