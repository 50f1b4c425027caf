package dev.warden.rules.cache;

import dev.warden.bootstrap.Outcome;
import dev.warden.rules.Action;
import dev.warden.rules.CompiledPolicy;
import dev.warden.rules.PolicyBundle;
import dev.warden.rules.PolicyCompiler;
import dev.warden.rules.Ruling;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.util.List;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PolicyCacheTest {

    private static final PolicyBundle RULES = bundle("""
            rule "reads are capped"
            when Action(surface == "jdbc", operation == "SELECT")
            then verdict.permit("reads are fine").maxRows(10);
            end

            rule "no drops"
            when Action(operation == "DDL")
            then verdict.deny("DDL is never allowed");
            end
            """);

    private static final PolicyBundle PERMISSIVE = bundle("""
            rule "everything"
            when Action()
            then verdict.permit("all");
            end
            """);

    @TempDir
    Path directory;

    @Test
    void aSecondCompilationOfTheSameRulesLoadsTheCachedPolicyAndDecidesTheSame() throws Exception {
        PolicyCache cache = PolicyCache.open(directory.resolve("cache"));
        try (CompiledPolicy first = new PolicyCompiler(cache).compile(RULES);
             CompiledPolicy second = new PolicyCompiler(cache).compile(RULES)) {
            assertThat(first.origin()).isEqualTo("compiled");
            assertThat(second.origin()).isEqualTo("from cache");
            assertDecides(first);
            assertDecides(second);
            assertThat(second.ruleNames()).isEqualTo(first.ruleNames());
        }
    }

    @Test
    void aCompilerHoldsRulesCompiledOnlyWhenTheirEntryVerifies() throws Exception {
        PolicyCache cache = PolicyCache.open(directory.resolve("cache"));
        PolicyCompiler compiler = new PolicyCompiler(cache);
        assertThat(compiler.holdsCompiled(RULES)).isFalse();
        compiler.compile(RULES).close();

        assertThat(compiler.holdsCompiled(RULES)).isTrue();
        assertThat(PolicyCompiler.cachingIn(directory.resolve("cache")).holdsCompiled(RULES)).isTrue();
        assertThat(compiler.holdsCompiled(PERMISSIVE)).isFalse();
        assertThat(new PolicyCompiler().holdsCompiled(RULES)).isFalse();
        assertThat(new PolicyCompiler(PolicyCache.open(directory.resolve("cache"), "another-build")).holdsCompiled(RULES)).isFalse();

        Path entry = cache.file(RULES.version());
        byte[] bytes = Files.readAllBytes(entry);
        bytes[bytes.length - 100] ^= 1;
        Files.write(entry, bytes);
        assertThat(compiler.holdsCompiled(RULES)).isFalse();
    }

    @Test
    void otherRulesOrAnotherBuildMissTheCache() throws Exception {
        Path where = directory.resolve("cache");
        new PolicyCompiler(PolicyCache.open(where)).compile(RULES).close();
        try (CompiledPolicy changed = new PolicyCompiler(PolicyCache.open(where)).compile(PERMISSIVE);
             CompiledPolicy rebuilt = new PolicyCompiler(PolicyCache.open(where, "another-build")).compile(RULES)) {
            assertThat(changed.origin()).isEqualTo("compiled");
            assertThat(changed.evaluate(action("DDL", "t")).outcome()).isEqualTo(Outcome.PERMIT);
            assertThat(rebuilt.origin()).isEqualTo("compiled");
        }
    }

    @Test
    void aTamperedEntryIsRejectedAndThePolicyRecompiledFromItsRules() throws Exception {
        PolicyCache cache = PolicyCache.open(directory.resolve("cache"));
        new PolicyCompiler(cache).compile(RULES).close();
        Path entry = cache.file(RULES.version());
        byte[] bytes = Files.readAllBytes(entry);
        bytes[bytes.length - 100] ^= 1; // inside the kjar: the compiled classes or the jar's index
        Files.write(entry, bytes);
        try (CompiledPolicy recompiled = new PolicyCompiler(cache).compile(RULES)) {
            assertThat(recompiled.origin()).startsWith("recompiled: ").contains(entry.toString(), "does not match its MAC");
            assertDecides(recompiled);
        }
        // The recompiled policy replaced the tampered entry.
        try (CompiledPolicy again = new PolicyCompiler(cache).compile(RULES)) {
            assertThat(again.origin()).isEqualTo("from cache");
        }
        Files.write(entry, "not an entry".getBytes(StandardCharsets.UTF_8));
        try (CompiledPolicy garbage = new PolicyCompiler(cache).compile(RULES)) {
            assertThat(garbage.origin()).contains("is not a Warden policy cache entry");
            assertDecides(garbage);
        }
    }

    @Test
    void anEntryCopiedUnderAnotherPolicysNameIsRejected() throws Exception {
        PolicyCache cache = PolicyCache.open(directory.resolve("cache"));
        new PolicyCompiler(cache).compile(PERMISSIVE).close();
        Files.copy(cache.file(PERMISSIVE.version()), cache.file(RULES.version()));
        try (CompiledPolicy policy = new PolicyCompiler(cache).compile(RULES)) {
            assertThat(policy.origin()).contains("does not match its MAC");
            assertDecides(policy);
        }
    }

    @Test
    void onlyTheEntriesUsedMostRecentlyAreKept() throws IOException {
        PolicyCache cache = PolicyCache.open(directory.resolve("cache"));
        PolicyCache.Entry entry = new PolicyCache.Entry("dev.warden:policy:1", new byte[]{1, 2, 3});
        java.time.Instant long_ago = java.time.Instant.parse("2026-01-01T00:00:00Z");
        for (int i = 0; i < PolicyCache.KEPT; i++) {
            cache.write("v" + i, entry);
            java.nio.file.Files.setLastModifiedTime(cache.file("v" + i),
                    java.nio.file.attribute.FileTime.from(long_ago.plusSeconds(i))); // written in this order, long ago
        }
        assertThat(cache.read("v0").entry()).as("a start uses the oldest entry").isNotNull();

        for (String newer : List.of("new1", "new2", "new3")) {
            cache.write(newer, entry);
        }

        assertThat(cache.read("v0").entry()).isNotNull();
        for (int i = 1; i <= 3; i++) {
            assertThat(cache.file("v" + i)).as("v" + i + ": least recently used").doesNotExist();
        }
        for (int i = 4; i < PolicyCache.KEPT; i++) {
            assertThat(cache.file("v" + i)).exists();
        }
        assertThat(cache.read("new3").entry()).isNotNull();
        try (var left = java.nio.file.Files.list(directory.resolve("cache"))) {
            assertThat(left.filter(file -> file.toString().endsWith(".policy")).count()).isEqualTo(PolicyCache.KEPT);
        }
    }

    @Test
    void aDirectoryOthersCanWriteIsNotUsed() throws IOException {
        Path shared = Files.createDirectory(directory.resolve("shared"));
        Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rwxrwxrwx"));
        assertThatThrownBy(() -> PolicyCache.open(shared)).hasMessageContaining("writable (a key: readable) by nobody else");
    }

    private static void assertDecides(CompiledPolicy policy) {
        Ruling read = policy.evaluate(action("SELECT", "orders"));
        assertThat(read.outcome()).isEqualTo(Outcome.PERMIT);
        assertThat(read.rules()).containsExactly("reads are capped");
        assertThat(policy.evaluate(action("DDL", "orders")).outcome()).isEqualTo(Outcome.DENY);
        assertThat(policy.evaluate(action("DELETE", "orders")).outcome()).isEqualTo(Outcome.SILENCE);
    }

    private static PolicyBundle bundle(String rules) {
        return PolicyBundle.of(Map.of("policy.drl", ("""
                package rules.test;
                import dev.warden.rules.Action;
                global dev.warden.rules.Verdict verdict;
                """ + rules).getBytes(StandardCharsets.UTF_8)));
    }

    private static Action action(String operation, String table) {
        return new Action("id", "jdbc", operation, table, Set.of(table), Map.of(), "agent", null, null);
    }
}
