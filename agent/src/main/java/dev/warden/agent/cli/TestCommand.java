package dev.warden.agent.cli;

import dev.warden.agent.lint.FactVocabulary;
import dev.warden.agent.policytest.JUnitReport;
import dev.warden.agent.policytest.PolicyTest;
import dev.warden.agent.policytest.PolicyTestFile;
import dev.warden.agent.policytest.PolicyTestFileException;
import dev.warden.agent.policytest.PolicyTestResult;
import dev.warden.agent.policytest.PolicyTestRunner;
import dev.warden.receipts.BoundedFiles;
import dev.warden.rules.PolicyBundle;
import dev.warden.rules.PolicyCompilationException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

/** {@code test RULES-DIR TESTS-DIR}: policy unit tests; 0 all pass, 1 a test failed, 2 usage or a bad test file. */
@Command(name = "test", mixinStandardHelpOptions = true, description = {"Run policy tests (YAML files in TESTS-DIR) against the rules in RULES-DIR, offline,",
        "through the agent's own engine: enricher, rules, context stage. Exit 0 all pass, 1 a test failed, 2 usage or a bad test file."})
final class TestCommand implements Callable<Integer> {

    /** Far above any policy test file a person writes. */
    private static final int MAX_TEST_FILE_BYTES = 4 * 1024 * 1024;

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "RULES-DIR")
    Path rules;

    @Parameters(index = "1", paramLabel = "TESTS-DIR")
    Path tests;

    @Option(names = "--junit", paramLabel = "FILE", description = "also write the results as JUnit XML")
    Path junit;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (!Files.isDirectory(rules) || !Files.isDirectory(tests)) {
            err.println("error: " + (Files.isDirectory(rules) ? tests : rules) + " is not a directory");
            return 2;
        }
        List<PolicyTest> all = new ArrayList<>();
        try {
            for (Path file : testFiles()) {
                String name = tests.relativize(file).toString().replace('\\', '/');
                all.addAll(PolicyTestFile.parse(name, text(file, name)));
            }
        } catch (PolicyTestFileException e) {
            err.println("error: " + e.getMessage());
            return 2;
        }
        if (all.isEmpty()) {
            err.println("error: no test files (*.yaml, *.yml) in " + tests);
            return 2;
        }
        PolicyTestRunner runner;
        try {
            runner = new PolicyTestRunner(PolicyBundle.load(rules), FactVocabulary.installedModules());
        } catch (PolicyCompilationException e) {
            err.println("error: the rules do not compile: " + e.getMessage());
            return 2;
        }
        List<PolicyTestResult> results = new ArrayList<>();
        for (PolicyTest test : all) {
            PolicyTestResult result = runner.run(test);
            results.add(result);
            out.println((result.passed() ? "PASS  " : result.error() != null ? "ERROR " : "FAIL  ") + test.file() + ": " + test.name());
            if (result.error() != null) {
                out.println("      " + result.error());
            }
            for (String failure : result.failures()) {
                out.println("      " + failure);
            }
        }
        long failed = results.stream().filter(result -> !result.passed()).count();
        out.println(results.size() + " tests, " + (results.size() - failed) + " passed, " + failed + " failed (policy "
                + runner.version().substring(0, 12) + ")");
        Set<String> unexercised = runner.unexercised();
        if (!unexercised.isEmpty()) {
            out.println("rules no test exercised (" + unexercised.size() + " of " + runner.rules().size() + "):");
            unexercised.forEach(rule -> out.println("  " + rule));
        }
        if (junit != null) {
            JUnitReport.write(junit, results);
            out.println("JUnit XML: " + junit);
        }
        out.flush();
        if (results.stream().anyMatch(result -> result.error() != null)) {
            return 2;
        }
        return failed > 0 ? 1 : 0;
    }

    /**
     * A test file's text: a directory under review may hold a sparse file of gigabytes (read whole, it ended the run with
     * an {@code OutOfMemoryError}, exit 1, as if a test had failed) or bytes that are no UTF-8 ("Input length = 1").
     */
    private static String text(Path file, String name) throws PolicyTestFileException {
        try {
            byte[] bytes = BoundedFiles.read(file, MAX_TEST_FILE_BYTES);
            return StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new PolicyTestFileException(name + ": not UTF-8 text");
        } catch (IOException e) {
            throw new PolicyTestFileException(name + ": " + e.getMessage());
        }
    }

    private List<Path> testFiles() throws IOException {
        try (Stream<Path> paths = Files.walk(tests)) {
            return paths.filter(Files::isRegularFile)
                    .filter(path -> path.getFileName().toString().endsWith(".yaml") || path.getFileName().toString().endsWith(".yml"))
                    .sorted().toList();
        }
    }
}
