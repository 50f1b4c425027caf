package dev.warden.e2e;

import dev.warden.e2e.host.EnumToolHost;
import dev.warden.receipts.Receipt;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Found by a review (2026-12-06): LangChain4j binds an enum parameter with {@code Enum.valueOf(text)}, then
 * {@code Enum.valueOf(text.toUpperCase(Locale.ROOT))}, so {@code "public"} and {@code "publıc"} (dotless ı)
 * share a document {@code PUBLIC}, while a rule denying {@code arg.visibility == "PUBLIC"} read the model's
 * spelling and let them through. The argument is now decided as the constant the tool receives.
 *
 * <p>Found by a twelfth review (2026-12-07): LangChain4j 1.19 binds a parameter's {@code @P(defaultValue)} when the
 * member is absent or {@code null}, so {@code {"id":"d5"}} shared the document {@code PUBLIC} while the decision read
 * no visibility at all. A default is now decided as the value the tool receives (1.0 has no defaults: not run there).
 * And 1.19 binds an {@code Optional<Visibility>} parameter's {@code "public"} to {@code Optional.of(PUBLIC)}, which the
 * decision read as written ("opt:" calls {@code publish_doc}, whose visibility is optional).
 *
 * <p>Found by a thirteenth review (2026-12-08): with LangChain4j's executor behind a decorator of the application's
 * ("dec:"), the decorator was decided with the arguments as written (it hides the method) and the executor, handed the
 * same request, inherited that permit: {@code "public"} and {@code "publıc"} shared documents publicly. The executor
 * sees the method, so it is now decided on its own, as the tool receives the arguments. And LangChain4j 1.0 upper-cases
 * in the JVM's default locale: in Lithuanian {@code "publi\u0307c"} (a dot above after the i) binds {@code PUBLIC},
 * which the decision, upper-casing in ROOT, read as no constant (run here on 1.0 with {@code -Duser.language=lt}).
 */
@SameOnEveryJdk
class Lc4jEnumArgumentsEndToEndTest {

    @ParameterizedTest(name = "on {0}")
    @ValueSource(strings = {"default", "lc4j-oldest"})
    void everySpellingOfAConstantIsDecidedAsThatConstant(String version) throws Exception {
        Path markers = Files.createTempDirectory("lc4j-enum-markers");
        Receipts store = Receipts.in(Files.createTempDirectory("lc4j-enum"));
        HostJvm jvm = HostJvm.withAgent(store.agentArguments()).withRules("lc4j-enum").with("surfaces=tool,model");
        if (!version.equals("default")) {
            // 1.0 upper-cases in the default locale: in Lithuanian "publi\u0307c" (a dot above after the i) is PUBLIC.
            jvm = jvm.onClassPath(version).jvm("-Duser.language=lt").jvm("-Duser.country=LT");
        }
        // "-" leaves the visibility out, "null" writes it as null: 1.19 binds the default, PUBLIC, for both.
        boolean defaults = version.equals("default");
        List<String> visibilities = defaults ? List.of("PUBLIC", "public", "publ\u0131c", "PRIVATE", "private", "-", "null",
                        "opt:public", "opt:publ\u0131c", "opt:private", "dec:public", "dec:publ\u0131c", "dec:private")
                : List.of("PUBLIC", "public", "publ\u0131c", "PRIVATE", "private", "publi\u0307c");
        HostJvm.Result host = jvm.run(EnumToolHost.class, Stream.concat(Stream.of(markers.toString()), visibilities.stream()).toList());

        assertThat(host.exitCode()).as(host.toString()).isZero();
        int publicly = defaults ? 9 : 4;
        assertThat(host.lines()).as(host.toString())
                .filteredOn(line -> line.matches("TOOL tool=(share|publish)_doc result=warden: denied by never publicly.*"))
                .hasSize(publicly);
        assertThat(host.lines()).contains("DONE");
        assertThat(markerNames(markers)).as("documents shared, and how").containsExactlyElementsOf(defaults
                ? List.of("d12-PRIVATE", "d3-PRIVATE", "d4-PRIVATE", "d9-PRIVATE") : List.of("d3-PRIVATE", "d4-PRIVATE"));

        List<Receipt> receipts = store.all();
        assertThat(receipts.stream().filter(r -> r.surface().equals("tool")).map(Receipt::outcome))
                .containsExactlyElementsOf(visibilities.stream().flatMap(v -> Stream.concat(
                        // a decorated call: the decorator's decision (as written, so no rule reads PUBLIC), then the executor's
                        v.startsWith("dec:") ? Stream.of("PERMIT") : Stream.empty(),
                        Stream.of(v.replaceFirst("^(opt|dec):", "").equalsIgnoreCase("private") ? "PERMIT" : "DENY"))).toList());
        Receipts.Verification verification = store.verify();
        assertThat(verification.exitCode()).as(verification.output()).isZero();
    }

    private static List<String> markerNames(Path markers) throws IOException {
        try (Stream<Path> files = Files.list(markers)) {
            return files.map(file -> file.getFileName().toString()).sorted().toList();
        }
    }
}
