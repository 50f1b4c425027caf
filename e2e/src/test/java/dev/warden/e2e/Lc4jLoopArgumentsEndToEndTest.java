package dev.warden.e2e;

import dev.warden.e2e.host.LoopArgumentsHost;
import dev.warden.receipts.Receipt;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/**
 * Found by a fifth review (2026-12-06): a loop rule counted a tool call by its arguments as the model wrote them, while
 * LangChain4j ignores members that name no parameter and binds {@code 1}, {@code 1.0} and {@code "1"} to the same
 * {@code int}: a model adding {@code "x":N} or respelling the id ran {@code lookup_note(1)} as often as it liked under
 * "the same call at most 3 times a minute". The call is now counted as the method receives it; the members it
 * ignores are a fact a rule may refuse.
 */
@SameOnEveryJdk
class Lc4jLoopArgumentsEndToEndTest {

    @ParameterizedTest(name = "on {0}")
    @ValueSource(strings = {"default", "lc4j-oldest"})
    void theFourthRunOfTheSameCallIsRefusedHoweverTheModelDressesItUp(String version) throws Exception {
        Path runs = Files.createTempDirectory("lc4j-loop-args-runs").resolve("runs.log");
        Receipts store = Receipts.in(Files.createTempDirectory("lc4j-loop-args"));
        HostJvm jvm = HostJvm.withAgent(store.agentArguments()).withRules("lc4j-loop-args").with("surfaces=tool,model");
        if (!version.equals("default")) {
            jvm = jvm.onClassPath(version);
        }
        HostJvm.Result host = jvm.run(LoopArgumentsHost.class, List.of(runs.toString(),
                "s-unbound={\"id\":1,\"x\":1};{\"id\":1,\"x\":2};{\"id\":1,\"x\":3};{\"id\":1,\"x\":4};{\"id\":1,\"y\":5};{\"id\":2,\"x\":6}",
                "s-respelled={\"id\":1};{\"id\":1.0};{\"id\":\"1\"};{\"id\":1e0};{\"id\":1.00};{\"id\":\"2\"}",
                "s-admin={\"id\":3,\"admin\":true}"));

        assertThat(host.exitCode()).as(host.toString()).isZero();
        assertThat(host.lines()).as(host.toString()).contains("ANSWER session=s-unbound", "ANSWER session=s-respelled",
                "ANSWER session=s-admin", "DONE");
        assertThat(Files.readAllLines(runs)).as("what the tool's body did, session after session").containsExactly(
                "lookup_note 1", "lookup_note 1", "lookup_note 1", "lookup_note 2",
                "lookup_note 1", "lookup_note 1", "lookup_note 1", "lookup_note 2");
        assertThat(host.lines()).filteredOn(line -> line.startsWith("TOOL session=s-unbound result=warden: denied by loop:same-call"))
                .hasSize(2).allSatisfy(line -> assertThat(line).contains("the same tool lookup_note").contains("(at most 3) in session s-unbound"));
        assertThat(host.lines()).filteredOn(line -> line.startsWith("TOOL session=s-respelled result=warden: denied by loop:same-call"))
                .hasSize(2);
        assertThat(host.lines()).anyMatch(line -> line.startsWith("TOOL session=s-admin result=warden: denied by no hidden switches"));

        List<Receipt> tools = store.all().stream().filter(r -> r.surface().equals("tool")).toList();
        for (String session : List.of("s-unbound", "s-respelled")) {
            assertThat(tools).filteredOn(r -> r.session().equals(session))
                    .extracting(Receipt::outcome, r -> r.draft().rules().contains("loop:same-call"))
                    .containsExactly(tuple("PERMIT", false), tuple("PERMIT", false), tuple("PERMIT", false),
                            tuple("DENY", true), tuple("DENY", true), tuple("PERMIT", false));
        }
        List<Receipt> unbound = tools.stream().filter(r -> r.session().equals("s-unbound")).toList();
        assertThat(unbound.get(0).actionDigest()).as("one action").isEqualTo(unbound.get(2).actionDigest())
                .isNotEqualTo(unbound.get(5).actionDigest());
        assertThat(unbound).extracting(r -> r.summary().get("tool.arguments.unbound"))
                .containsExactly("x", "x", "x", "x", "y", "x");
        assertThat(unbound).extracting(r -> r.summary().get("tool.arguments.names")).containsOnly("id");
        assertThat(tools).filteredOn(r -> r.session().equals("s-admin")).extracting(Receipt::outcome, r -> r.summary().get("tool.arguments.unbound"))
                .containsExactly(tuple("DENY", "admin"));
        Receipts.Verification verification = store.verify();
        assertThat(verification.exitCode()).as(verification.output()).isZero();
    }
}
