package dev.warden.bootstrap.nativecode;

import dev.warden.bootstrap.ActionDeniedException;
import dev.warden.bootstrap.ActionRequest;
import dev.warden.bootstrap.Outcome;
import dev.warden.bootstrap.TestGate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** What the JDK providers' library loads are decided on, and what a refusal is to the provider. */
class ProviderLibrariesTest {

    private static final String JGSS_LIBRARY = "sun.security.jgss.lib";

    private final List<ActionRequest> decided = new ArrayList<>();

    @AfterEach
    void uninstall() {
        TestGate.clear();
        System.clearProperty(JGSS_LIBRARY);
    }

    private void gateAnswering(Outcome outcome) {
        TestGate.answerAll(outcome, decided);
    }

    @Test
    void nativeJgssIsDecidedOnTheLibraryThePropertyNamesAndOnTheJdksOwnListWhenItNamesNone() {
        gateAnswering(Outcome.SILENCE);

        System.setProperty(JGSS_LIBRARY, "/tmp/tool/libgss.so");
        assertThat(ProviderLibraries.refusesGssLibrary()).isTrue();
        System.setProperty(JGSS_LIBRARY, "  ");
        assertThat(ProviderLibraries.refusesGssLibrary()).as("blank: the JDK tries its own names").isTrue();
        System.clearProperty(JGSS_LIBRARY);
        assertThat(ProviderLibraries.refusesGssLibrary()).isTrue();

        assertThat(decided).extracting(ActionRequest::target).containsExactly("/tmp/tool/libgss.so", "<system>", "<system>");
        assertThat(decided).allSatisfy(action -> {
            assertThat(action.surface()).isEqualTo("native");
            assertThat(action.operation()).isEqualTo("LOAD");
            assertThat(action.attributes()).containsEntry("native.via", "jgss");
        });
    }

    @Test
    void aRefusedPcscOrPkcs11LibraryIsTheIoExceptionTheProviderAlreadyHandles() {
        gateAnswering(Outcome.DENY);

        IOException pcsc = ProviderLibraries.refusalForSmartCardLibrary("/tmp/tool/libpcsc.so");
        IOException module = ProviderLibraries.refusalForPkcs11Module("/tmp/tool/libp11.so", Map.of());

        for (IOException refusal : List.of(pcsc, module)) {
            assertThat(refusal).hasMessage("warden: denied by rule: because (receipt receipt-1)")
                    .hasCauseInstanceOf(ActionDeniedException.class);
        }
        assertThat(decided).extracting(action -> action.attributes().get("native.via") + " " + action.target())
                .containsExactly("smartcardio /tmp/tool/libpcsc.so", "pkcs11 /tmp/tool/libp11.so");
        assertThat(decided).allSatisfy(action -> assertThat(action.attributes()).containsEntry("native.name", action.target()));
    }

    @Test
    void aPermittedLibraryLoads() {
        gateAnswering(Outcome.PERMIT);
        System.setProperty(JGSS_LIBRARY, "/opt/krb5/libgssapi_krb5.so.2");

        assertThat(ProviderLibraries.refusesGssLibrary()).isFalse();
        assertThat(ProviderLibraries.refusalForSmartCardLibrary("/usr/lib/x86_64-linux-gnu/libpcsclite.so.1")).isNull();
        assertThat(ProviderLibraries.refusalForPkcs11Module("/opt/hsm/libp11.so", Map.of())).isNull();
        assertThat(ProviderLibraries.refusalForNss("/opt/nss")).isNull();
        assertThat(decided).hasSize(4);
    }

    @Test
    void aPkcs11ModuleAlreadyOpenOpensNothingAndIsNotDecidedAgain() {
        gateAnswering(Outcome.SILENCE);

        assertThat(ProviderLibraries.refusalForPkcs11Module("/opt/hsm/libp11.so", Map.of("/opt/hsm/libp11.so", new Object()))).isNull();
        assertThat(decided).isEmpty();
    }

    @Test
    void nssIsDecidedOnTheNameSecmodOpensFromTheDirectoryGivenOrByNameFromTheLibraryPath() {
        gateAnswering(Outcome.SILENCE);

        assertThat(ProviderLibraries.refusalForNss("/tmp/tool/nss/")).isNotNull();
        assertThat(ProviderLibraries.refusalForNss(null)).isNotNull();

        assertThat(decided).extracting(ActionRequest::target).containsExactly("/tmp/tool/nss/" + System.mapLibraryName("nss3"),
                System.mapLibraryName("nss3"));
        assertThat(decided).allSatisfy(action -> assertThat(action.attributes()).containsEntry("native.via", "pkcs11"));
    }

    @Test
    void wardensOwnWorkIsNotDecided() {
        gateAnswering(Outcome.SILENCE);
        TestGate.capability().runInternally(() -> {
            assertThat(ProviderLibraries.refusesGssLibrary()).isFalse();
            assertThat(ProviderLibraries.refusalForSmartCardLibrary("/tmp/tool/libpcsc.so")).isNull();
            assertThat(ProviderLibraries.refusalForPkcs11Module("/tmp/tool/libp11.so", Map.of())).isNull();
            assertThat(ProviderLibraries.refusalForNss(null)).isNull();
        });
        assertThat(decided).isEmpty();
    }

    @Test
    void anEngineThatAnswersNothingRefusesEveryLoad() {
        assertThat(ProviderLibraries.refusesGssLibrary()).isTrue();
        assertThat(ProviderLibraries.refusalForSmartCardLibrary("/tmp/tool/libpcsc.so")).hasMessageContaining("engine returned no decision");
        assertThat(ProviderLibraries.refusalForPkcs11Module(null, null)).isNotNull();
    }
}
