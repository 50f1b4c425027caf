package dev.warden.instrumentation.nativecode;

import dev.warden.bootstrap.ActionRequest;
import dev.warden.instrumentation.api.ActionDescription;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** What rules and receipts see of a native load or link. */
class NativeActionEnricherTest {

    private static final List<String> MAPS = List.of(
            "55d0c0000000-55d0c0001000 r--p 00000000 08:01 1234 /usr/lib/jvm/java-17/bin/java",
            "7f1200000000-7f1200200000 r-xp 00028000 08:01 5678 /usr/lib/x86_64-linux-gnu/libc.so.6",
            "7f1300000000-7f1300021000 rw-p 00000000 00:00 0 ",
            "7ffd00000000-7ffd00021000 rw-p 00000000 00:00 0 [stack]");

    private final NativeActionEnricher enricher = new NativeActionEnricher(address -> ProcessMappings.fileAt(MAPS, address));

    @Test
    void aJniLoadIsDescribedByItsPathFileAndDirectory() {
        ActionDescription action = enricher.describe(new ActionRequest("native", "LOAD", "/opt/app/lib/libfoo.so",
                Map.of("native.via", "jni", "native.path", "/opt/app/lib/libfoo.so", "native.caller", "com.example.Loader")));

        assertThat(action.operation()).isEqualTo("LOAD");
        assertThat(action.target()).isEqualTo("/opt/app/lib/libfoo.so");
        assertThat(action.attributes()).containsEntry("native.file", "libfoo.so").containsEntry("native.directory", "/opt/app/lib");
        assertThat(action.summary()).containsEntry("native.via", "jni").containsEntry("native.path", "/opt/app/lib/libfoo.so")
                .containsEntry("native.caller", "com.example.Loader").doesNotContainKey("native.file");
    }

    @Test
    void aBareNameHasNoDirectory() {
        ActionDescription action = enricher.describe(new ActionRequest("native", "LOAD", "c",
                Map.of("native.via", "jna", "native.name", "c")));

        assertThat(action.target()).isEqualTo("c");
        assertThat(action.attributes()).containsEntry("native.file", "c").doesNotContainKeys("native.directory", "native.path");
    }

    @Test
    void aLinkIsDescribedByItsAddressAndTheFileTheKernelMappedThere() {
        ActionDescription action = enricher.describe(new ActionRequest("native", "LINK", "ignored", Map.of("native.via", "ffm",
                "native.symbol", "MemorySegment{ address: 0x7f1200001234, byteSize: 0 }", "native.descriptor", "()i")));

        assertThat(action.target()).isEqualTo("0x7f1200001234");
        assertThat(action.attributes()).containsEntry("native.library", "/usr/lib/x86_64-linux-gnu/libc.so.6")
                .containsEntry("native.file", "libc.so.6");
        assertThat(action.summary()).containsEntry("native.address", "0x7f1200001234")
                .containsEntry("native.library", "/usr/lib/x86_64-linux-gnu/libc.so.6").containsEntry("native.descriptor", "()i");
    }

    @Test
    void aLinkToAnonymousMemoryHasNoLibraryAndAnUnboundHandleNoAddress() {
        ActionDescription anonymous = enricher.describe(new ActionRequest("native", "LINK", null,
                Map.of("native.symbol", "MemorySegment{ address: 0x7f1300000010, byteSize: 0 }")));
        ActionDescription unbound = enricher.describe(new ActionRequest("native", "LINK", "*", Map.of("native.descriptor", "()v")));

        assertThat(anonymous.target()).isEqualTo("0x7f1300000010");
        assertThat(anonymous.attributes()).doesNotContainKey("native.library");
        assertThat(unbound.target()).isEqualTo("*");
        assertThat(unbound.attributes()).doesNotContainKeys("native.address", "native.library");
    }

    @Test
    void theProcessMapsOfThisJvmNameTheJvmItself() {
        assertThat(ProcessMappings.fileAt(MAPS, 0x55d0c0000800L)).contains("/usr/lib/jvm/java-17/bin/java");
        assertThat(ProcessMappings.fileAt(MAPS, 0x10L)).isEqualTo(Optional.empty());
    }

    /** The rule linter checks rules against the declared facts: a fact described but not declared would be flagged as a typo. */
    @Test
    void everyFactDescribedIsDeclared() {
        ActionDescription load = enricher.describe(new ActionRequest("native", "LOAD", "/opt/app/lib/libfoo.so",
                Map.of("native.via", "jni", "native.path", "/opt/app/lib/libfoo.so", "native.caller", "com.example.Loader",
                        "native.builtin", false)));
        ActionDescription link = enricher.describe(new ActionRequest("native", "LINK", "ignored", Map.of("native.via", "ffm",
                "native.symbol", "MemorySegment{ address: 0x7f1200001234, byteSize: 0 }", "native.descriptor", "()i",
                "native.caller", "com.example.Caller")));
        ActionDescription named = enricher.describe(new ActionRequest("native", "LOAD", "c", Map.of("native.via", "jna", "native.name", "c")));

        assertThat(link.attributes()).containsKey("native.library");
        for (ActionDescription described : List.of(load, link, named)) {
            assertThat(NativeActionEnricher.FACTS.undeclared(described)).isEmpty();
        }
    }
}
