package dev.warden.agent.cli;

import dev.warden.agent.lint.FactVocabulary;
import dev.warden.agent.lint.Finding;
import dev.warden.agent.lint.RulesLinter;
import dev.warden.rules.PolicyBundle;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code check-rules RULES-DIR}: compile and lint; 0 clean (or warnings only), 1 an error (or a warning with --strict), 2 usage. */
@Command(name = "check-rules", mixinStandardHelpOptions = true, description = {"Compile a rules directory as the agent would at start, and lint it:",
        "surfaces, operations, attributes and context facts the rules compare against must exist; scopes must parse",
        "against the surfaces present; a role, budget or limit belongs to one file; permits should restrict their target."})
final class CheckRulesCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "RULES-DIR")
    Path rules;

    @Option(names = "--strict", description = "warnings fail too")
    boolean strict;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (!Files.isDirectory(rules)) {
            err.println("error: " + rules + " is not a directory");
            return 2;
        }
        PolicyBundle bundle;
        try {
            bundle = PolicyBundle.load(rules);
        } catch (IOException e) {
            err.println("error: cannot read " + rules + ": " + e.getMessage());
            return 2;
        }
        RulesLinter.Report report = new RulesLinter(FactVocabulary.installedModules()).lint(bundle);
        for (Finding finding : report.findings()) {
            out.println(finding);
        }
        boolean failed = report.errors() > 0 || strict && report.warnings() > 0;
        if (report.errors() > 0 || report.warnings() > 0) {
            out.println(report.errors() + " error(s), " + report.warnings() + " warning(s)" + (failed ? "" : " (warnings do not fail without --strict)"));
        }
        if (report.version() != null && !failed) {
            out.println("ok: " + bundle.files().size() + " files, policy version " + report.version());
        }
        out.flush();
        return failed ? 1 : 0;
    }
}
