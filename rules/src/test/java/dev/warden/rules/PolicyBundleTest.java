package dev.warden.rules;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PolicyBundleTest {

    /** Found by the ninth review (2026-12-07): a link leading nowhere was skipped, the rest read as the policy. */
    @Test
    void aRuleFileThatLeadsToNoFileMakesTheDirectoryUnreadable(@org.junit.jupiter.api.io.TempDir java.nio.file.Path rules)
            throws Exception {
        java.nio.file.Files.writeString(rules.resolve("open.drl"), "package p;");
        java.nio.file.Files.createSymbolicLink(rules.resolve("closed.drl"), rules.resolve("gone/closed.drl"));
        assertThatThrownBy(() -> PolicyBundle.load(rules)).isInstanceOf(java.io.IOException.class)
                .hasMessageStartingWith("closed.drl is not a file that can be read");
        java.nio.file.Files.delete(rules.resolve("closed.drl"));
        java.nio.file.Files.createDirectories(rules.resolve("sub.yaml")); // a directory named like a rules file is walked, not read
        assertThat(PolicyBundle.load(rules).files()).containsOnlyKeys("open.drl");
    }

    @Test
    void anArchivedBundleDecodesToTheSameFilesAndVersion() {
        PolicyBundle bundle = PolicyBundle.of(Map.of("a/x.drl", "rule 1".getBytes(StandardCharsets.UTF_8),
                "roles.yaml", "policies: []\n".getBytes(StandardCharsets.UTF_8), "empty.yml", new byte[0]));

        PolicyBundle decoded = PolicyBundle.decode(bundle.encoded());

        assertThat(decoded.version()).isEqualTo(bundle.version());
        assertThat(decoded.files().keySet()).containsExactly("a/x.drl", "empty.yml", "roles.yaml");
        assertThat(new String(decoded.files().get("a/x.drl"), StandardCharsets.UTF_8)).isEqualTo("rule 1");
    }

    @Test
    void bytesThatAreNoBundleOrAreCutShortAreRefused() {
        byte[] encoded = PolicyBundle.of(Map.of("x.drl", "rule".getBytes(StandardCharsets.UTF_8))).encoded();

        assertThatThrownBy(() -> PolicyBundle.decode("hello".getBytes(StandardCharsets.UTF_8))).hasMessageContaining("not a Warden policy bundle");
        assertThatThrownBy(() -> PolicyBundle.decode(Arrays.copyOf(encoded, encoded.length - 2))).hasMessageContaining("claims 4 bytes");
    }

    @Test
    void aRoleDefinedInTwoFilesDoesNotCompile() {
        PolicyBundle bundle = PolicyBundle.of(Map.of(
                "a.yaml", "policies:\n  - role: support\n    allow: [jdbc:notes:select]\nactors:\n  bot: [support]\n".getBytes(StandardCharsets.UTF_8),
                "b.yaml", "policies:\n  - role: support\n    allow: [jdbc:notes:delete]\n".getBytes(StandardCharsets.UTF_8)));

        assertThatThrownBy(() -> new PolicyCompiler().compile(bundle)).isInstanceOf(PolicyCompilationException.class)
                .hasMessageStartingWith("role 'support' is defined in a.yaml and b.yaml");
    }
}
