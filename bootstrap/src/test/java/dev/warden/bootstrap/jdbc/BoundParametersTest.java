package dev.warden.bootstrap.jdbc;

import dev.warden.bootstrap.ActionRequest;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.sql.Timestamp;
import java.util.HexFormat;

import static org.assertj.core.api.Assertions.assertThat;

/** What the setters of a statement bind is digested exactly, in the documented encoding, and never in a way the host can change afterwards. */
class BoundParametersTest {

    private final Object statement = new Object();

    @Test
    void theDigestIsSha256OfTheDocumentedEncoding() throws Exception {
        BoundParameters bound = new BoundParameters();
        bound.set("setString", new Object[]{2, "globex"});
        bound.set("setLong", new Object[]{1, 7L});
        bound.set("setInt", new Object[]{"customer", 3});
        bound.set("setLong", new Object[]{10, -120L});
        String encoding = "1:1" + "7:setLong" + "1:1" + "16:java.lang.Long:7"
                + "1:2" + "9:setString" + "1:1" + "23:java.lang.String:globex"
                + "2:10" + "7:setLong" + "1:1" + "19:java.lang.Long:-120"
                + "9:@customer" + "6:setInt" + "1:1" + "19:java.lang.Integer:3";
        assertThat(bound.digest()).isEqualTo(HexFormat.of().formatHex(
                MessageDigest.getInstance("SHA-256").digest(encoding.getBytes(StandardCharsets.UTF_8))));
    }

    @Test
    void theDocumentedTestVector() {
        BoundParameters bound = new BoundParameters();
        bound.set("setString", new Object[]{2, "globex"});
        bound.set("setLong", new Object[]{1, 7L});
        assertThat(bound.digest()).isEqualTo("c43a4911d0c69b4f5cacc6dccbe232a8341ba8c68c526e791d60c29f7bcb6380");
    }

    @Test
    void otherValuesOrAnotherSetterAreAnotherDigestAndTheSameValuesTheSame() {
        BoundParameters seven = new BoundParameters();
        seven.set("setInt", new Object[]{1, 7});
        String first = seven.digest();
        assertThat(seven.digest()).isEqualTo(first);
        seven.set("setInt", new Object[]{1, 8});
        assertThat(seven.digest()).isNotEqualTo(first);
        seven.set("setInt", new Object[]{1, 7});
        assertThat(seven.digest()).isEqualTo(first);
        seven.set("setLong", new Object[]{1, 7L});
        assertThat(seven.digest()).isNotEqualTo(first);
        seven.set("setObject", new Object[]{1, "7"});
        assertThat(seven.digest()).isNotEqualTo(first);
        seven.clear();
        assertThat(seven.digest()).as("nothing bound").isNull();
    }

    @Test
    void mutableValuesAreCopiedAndTheDriverGetsTheCopy() {
        BoundParameters bound = new BoundParameters();
        byte[] bytes = {1, 2, 3};
        Timestamp when = Timestamp.valueOf("2026-12-01 10:00:00.123456789");
        Object[] passedBytes = bound.set("setBytes", new Object[]{1, bytes});
        Object[] passedTime = bound.set("setTimestamp", new Object[]{2, when});
        String digest = bound.digest();
        assertThat(passedBytes[1]).isNotSameAs(bytes).isEqualTo(bytes);
        assertThat(passedTime[1]).isNotSameAs(when).isEqualTo(when);
        bytes[0] = 9;
        when.setNanos(0);
        bound.set("setInt", new Object[]{3, 1});
        bound.clear();
        bound.set("setBytes", new Object[]{1, passedBytes[1]});
        bound.set("setTimestamp", new Object[]{2, passedTime[1]});
        assertThat(bound.digest()).as("what the driver holds is what was digested").isEqualTo(digest);
        Object[] plain = {1, 5};
        assertThat(bound.set("setInt", plain)).as("immutable values are passed as they are").isSameAs(plain);
    }

    @Test
    void unknownValuesMakeEveryExecutionAnotherAction() {
        BigDecimal lying = new BigDecimal("7") {
            @Override
            public String toString() {
                return "8";
            }
        };
        Object[][] unknowns = {
                {1, new ByteArrayInputStream(new byte[]{1})},
                {1, new StringBuilder("7")},
                {1, lying},
                {1, "lone \uD800 surrogate"},
                {1, '\uD800'}, // a Character: encoded as '?', it would be the action of '?'
        };
        for (Object[] unknown : unknowns) {
            BoundParameters bound = new BoundParameters();
            bound.set("setObject", unknown);
            assertThat(bound.digest()).as(String.valueOf(unknown[1])).isNotEqualTo(bound.digest());
        }
        BoundParameters failed = new BoundParameters();
        failed.set("setInt", new Object[]{1, 7});
        failed.failed(1);
        assertThat(failed.digest()).as("a setter that threw").isNotEqualTo(failed.digest());
        failed.set("setInt", new Object[]{1, 7});
        assertThat(failed.digest()).as("set again, known again").isEqualTo(failed.digest());
    }

    @Test
    void theEncodingIsTheSameInEveryLocale() {
        java.sql.Timestamp at = java.sql.Timestamp.valueOf("2026-12-03 12:00:00.000000042");
        BoundParameters bound = new BoundParameters();
        bound.set("setTimestamp", new Object[]{1, at});
        bound.set("setDouble", new Object[]{2, 0.5d});
        String digest = bound.digest();
        java.util.Locale before = java.util.Locale.getDefault();
        try {
            java.util.Locale.setDefault(java.util.Locale.forLanguageTag("th-TH-u-nu-thai")); // Thai digits by default
            BoundParameters again = new BoundParameters();
            again.set("setTimestamp", new Object[]{1, at});
            again.set("setDouble", new Object[]{2, 0.5d});
            assertThat(again.digest()).isEqualTo(digest);
        } finally {
            java.util.Locale.setDefault(before);
        }
    }

    @Test
    void anExecutionsRequestCarriesTheDigestOutsideItsEquality() {
        JdbcActions.statementCreated(statement, new Object[]{"DELETE FROM t WHERE id = ?"}, null);
        JdbcActions.parameterSet(statement, "setInt", new Object[]{1, 7});
        ActionRequest seven = request();
        JdbcActions.parameterSet(statement, "setInt", new Object[]{1, 8});
        ActionRequest eight = request();
        assertThat(seven).isEqualTo(eight).hasSameHashCodeAs(eight);
        assertThat(seven.binding()).isNotNull().isNotEqualTo(eight.binding());
        assertThat(seven.sameAction(eight)).isFalse();
        assertThat(seven.attributes().toString()).doesNotContain("7");
        JdbcActions.parametersCleared(statement);
        assertThat(request().binding()).isNull();
    }

    private ActionRequest request() {
        ActionRequest[] seen = new ActionRequest[1];
        dev.warden.bootstrap.TestGate.answerWith(request -> {
            seen[0] = request;
            return new dev.warden.bootstrap.Decision(dev.warden.bootstrap.Outcome.PERMIT, true, java.util.List.of("rule"), "ok",
                    "receipt", dev.warden.bootstrap.Obligations.NONE);
        });
        dev.warden.bootstrap.ActionScope scope = dev.warden.bootstrap.ActionScope.enter(JdbcActions.SURFACE);
        try {
            JdbcActions.decideExecution(scope, statement, new Object[0], "executeUpdate");
        } finally {
            scope.exit();
            dev.warden.bootstrap.TestGate.clear();
        }
        return seen[0];
    }
}
