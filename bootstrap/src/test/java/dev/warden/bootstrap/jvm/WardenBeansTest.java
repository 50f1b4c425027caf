package dev.warden.bootstrap.jvm;

import dev.warden.bootstrap.ActionDeniedException;
import dev.warden.bootstrap.ActionRequest;
import dev.warden.bootstrap.Decision;
import dev.warden.bootstrap.Obligations;
import dev.warden.bootstrap.Outcome;
import dev.warden.bootstrap.TestGate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import javax.management.MalformedObjectNameException;
import javax.management.ObjectName;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Names of Warden's own MBean domain are Warden's alone, whatever the rules would say. */
class WardenBeansTest {

    private final List<ActionRequest> decided = new ArrayList<>();

    @BeforeEach
    void aPolicyThatPermitsEverything() {
        TestGate.answerWith(request -> {
            decided.add(request);
            return new Decision(Outcome.PERMIT, true, List.of("rule"), "because", "receipt-1", Obligations.NONE);
        });
    }

    @AfterEach
    void uninstall() {
        TestGate.clear();
    }

    @Test
    void unregisteringWardensAgentMBeanIsRefusedWithoutAskingTheRulesAndRecorded() throws Exception {
        SecurityException refusal = WardenBeans.refusalToUnregister(new ObjectName("dev.warden:type=Agent"));

        assertThat(refusal).isNotNull().hasCauseInstanceOf(ActionDeniedException.class)
                .hasMessageContaining("dev.warden:type=Agent is in Warden's own MBean domain: only Warden may unregister it");
        assertThat(decided).singleElement().satisfies(action -> {
            assertThat(action.surface()).isEqualTo("jvm");
            assertThat(action.attributes()).containsKey(Decision.UNREADABLE_ATTRIBUTE);
        });
    }

    @Test
    void registeringAnyNameOfWardensDomainIsRefused() throws Exception {
        assertThat(WardenBeans.refusalToRegister(new Object(), new ObjectName("dev.warden:type=Surface,name=jdbc"))).isNotNull();
        assertThat(WardenBeans.refusalToRegister(new Object(), new ObjectName("dev.warden:name=shadow,type=Agent"))).isNotNull();
    }

    @Test
    void otherDomainsAreTheApplicationsAndAskNothing() throws Exception {
        assertThat(WardenBeans.refusalToRegister(new Object(), new ObjectName("com.example:type=Cache"))).isNull();
        assertThat(WardenBeans.refusalToUnregister(new ObjectName("dev.wardens:type=Agent"))).isNull();
        assertThat(WardenBeans.refusalToUnregister(null)).isNull();
        assertThat(decided).isEmpty();
    }

    @Test
    void aNameThatLiesAboutItsDomainIsJudgedByTheNameItStandsFor() throws Exception {
        ObjectName lying = new ObjectName("dev.warden:type=Agent") {
            @Override
            public String getDomain() {
                return "com.example";
            }
        };

        assertThat(WardenBeans.refusalToUnregister(lying)).isNotNull();
    }

    @Test
    void onlyTheObjectsTheAgentNamedAreRegisteredInWardensDomain() throws MalformedObjectNameException {
        ObjectName agent = new ObjectName("dev.warden:type=Agent");
        Object wardens = new Object();
        WardenBeans.own(TestGate.capability(), wardens);

        assertThat(WardenBeans.refusalToRegister(wardens, agent)).isNull();
        assertThat(WardenBeans.refusalToRegister(new Object(), agent)).as("another object under the same name").isNotNull();
    }

    @Test
    void aWardenThreadIsNoExemptionForItRunsTheServersListenersToo() throws MalformedObjectNameException {
        ObjectName agent = new ObjectName("dev.warden:type=Agent");
        SecurityException[] refusals = new SecurityException[2];

        TestGate.capability().runInternally(() -> {
            refusals[0] = WardenBeans.refusalToRegister(new Object(), agent);
            refusals[1] = WardenBeans.refusalToUnregister(agent);
        });

        assertThat(refusals).doesNotContainNull();
    }
}
