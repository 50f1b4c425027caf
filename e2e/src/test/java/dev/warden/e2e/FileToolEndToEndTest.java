package dev.warden.e2e;

import dev.warden.e2e.host.FileToolHost;
import dev.warden.receipts.Receipt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * S14 for files: a LangChain4j AI service whose real {@code @Tool} writes files. The tool call itself
 * is permitted; the write it makes is decided on the file surface, so a path outside the agent's
 * directory is refused before the file opens and the model reads an error naming the rule, while a
 * path inside is written.
 */
class FileToolEndToEndTest {

    @TempDir
    Path workspace;

    @Test
    void theFileToolWritesInsideItsDirectoryAndIsRefusedOutside() throws Exception {
        Path root = workspace.toRealPath();
        Path work = Files.createDirectories(root.resolve("work"));
        Path outside = Files.createDirectories(root.resolve("outside"));
        Receipts store = Receipts.in(Files.createDirectories(root.resolve("audit")));
        Path rules = FileRules.workingDirectoryOnly(root.resolve("rules"), work, """
                rule "the file tool and the scripted model"
                when
                    Action((surface == "tool" && operation == "file_write") || (surface == "model" && (target == "scripted-1" || target == "")))
                then
                    verdict.permit("the assistant may use its file tool");
                end
                """);

        HostJvm.Result host = HostJvm.withAgent(store.agentArguments()).with("rules=" + rules).run(FileToolHost.class,
                List.of(work.resolve("report.txt").toString(), work.resolve("../outside/report.txt").toString()));

        assertThat(host.lines()).as(host.toString()).contains("DONE");
        assertThat(host.lines()).as(host.toString())
                .anyMatch(line -> line.startsWith("TOOL call=0 error=false result=wrote 10 characters to " + work.resolve("report.txt")))
                .anyMatch(line -> line.startsWith("TOOL call=1 ") && line.contains("warden: denied by default-deny: no rule permits file WRITE on "
                        + outside.resolve("report.txt")));
        assertThat(work.resolve("report.txt")).hasContent("the report");
        assertThat(outside.resolve("report.txt")).doesNotExist();

        List<Receipt> receipts = store.all();
        assertThat(receipts).filteredOn(receipt -> receipt.surface().equals("tool")).extracting(Receipt::outcome)
                .containsExactly("PERMIT", "PERMIT");
        assertThat(receipts).filteredOn(receipt -> receipt.surface().equals("file"))
                .extracting(Receipt::target, Receipt::outcome)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(work.resolve("report.txt").toString(), "PERMIT"),
                        org.assertj.core.groups.Tuple.tuple(outside.resolve("report.txt").toString(), "SILENCE"));
        assertThat(store.verify().exitCode()).isZero();
    }
}
