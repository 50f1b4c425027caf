package dev.warden.agent.install;

import net.bytebuddy.agent.ByteBuddyAgent;
import org.junit.jupiter.api.Test;

import java.util.List;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static org.assertj.core.api.Assertions.assertThat;

/** Installing into this very JVM: a JDK advice that matches nothing is reported, and the caller refuses to start. */
class AgentInstallerTest {

    @Test
    void anAdviceThatMatchesNoMethodOfItsJdkClassFailsTheInstallation() {
        InstallReport report = AgentInstaller.install(ByteBuddyAgent.install(),
                List.of(JdkTargetCheckTest.module(new JdkTargetCheckTest.SocketTarget(named("connectByCarrierPigeon")))));

        assertThat(report.verified()).isFalse();
        assertThat(report.failures()).singleElement().asString()
                .contains("test target java.net.Socket", "no method matches", JdkTargetCheckTest.NoOpAdvice.class.getName());
    }
}
