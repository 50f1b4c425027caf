package dev.warden.agent.reload;

import dev.warden.agent.engine.ActionIds;
import dev.warden.agent.engine.PolicyHolder;
import dev.warden.agent.engine.PolicySnapshot;
import dev.warden.agent.lint.Finding;
import dev.warden.agent.lint.RulesLinter;
import dev.warden.agent.logging.WardenLog;
import dev.warden.agent.record.ReceiptRecorder;
import dev.warden.receipts.ActionDigest;
import dev.warden.receipts.LogEntry;
import dev.warden.receipts.NotAReceiptsDirectoryException;
import dev.warden.receipts.PolicyArchive;
import dev.warden.receipts.ReceiptDraft;
import dev.warden.receipts.ReceiptReader;
import dev.warden.receipts.ReceiptWriteException;
import dev.warden.rules.CompiledPolicy;
import dev.warden.rules.PolicyBundle;
import dev.warden.rules.PolicyCompilationException;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Changes the policy in force without a restart: {@link #reload} the rules directory, {@link #rollback}
 * to an archived version. The one way to switch versions, whoever asks (the rules directory's watcher,
 * the operator's {@code reload}/{@code rollback} through the control area, JMX): one change at a time,
 * always off the hot path. A candidate is compiled (and a reloaded one linted) before anything changes;
 * then it is archived beside the receipts, its switch is recorded (surface {@code warden}, operation
 * {@value #SWITCHED}), and only then put in force, so no action is decided by a version that is not
 * complete, archived and recorded. A candidate that fails leaves the version in force, with an alert on
 * stderr and a receipt ({@value #REJECTED}). No switch happens without its receipt.
 */
public final class PolicyControl {

    /** The rule of a switch's or a rejection's receipt. */
    public static final String RULE = "warden.policy";
    public static final String SURFACE = "warden";
    public static final String SWITCHED = "policy-switched";
    public static final String REJECTED = "policy-rejected";

    private static final int MAX_ERROR = 1024;

    /** Where the rules are read from now: the directory their configured name leads to, which Warden protects then. */
    private final Supplier<Path> rules;
    private final PolicyHolder holder;
    private final PolicyArchive archive;
    private final Path receiptsDirectory;
    private final ReceiptRecorder receipts;
    private final RulesLinter linter;
    private final Clock clock;
    /** Versions this agent had in force: a rollback to one of them needs no look at the receipt log. */
    private final Set<String> ran = ConcurrentHashMap.newKeySet();

    public PolicyControl(Supplier<Path> rules, PolicyHolder holder, Path receiptsDirectory, ReceiptRecorder receipts, RulesLinter linter,
                         Clock clock) {
        this.rules = rules;
        this.holder = holder;
        this.receiptsDirectory = receiptsDirectory;
        this.archive = new PolicyArchive(receiptsDirectory);
        this.receipts = receipts;
        this.linter = linter;
        this.clock = clock;
        ran.add(holder.version());
    }

    /** The version in force. */
    public PolicySnapshot current() {
        return holder.current();
    }

    /** Reads the rules directory and switches to it if it compiles and lints without errors. */
    public synchronized PolicyChange reload(String trigger) {
        PolicySnapshot from = holder.current();
        Path directory = rules.get(); // resolved once for this reading: what is read is what was protected when resolved
        PolicyBundle bundle;
        try {
            bundle = PolicyBundle.load(directory);
        } catch (IOException | RuntimeException e) {
            return rejected(from, null, trigger, "cannot read " + directory.toAbsolutePath() + ": " + e.getMessage());
        }
        if (bundle.version().equals(from.version()) && !from.failed()) {
            return new PolicyChange(PolicyChange.Kind.UNCHANGED, from.version(), bundle.version(), trigger);
        }
        CompiledPolicy compiled;
        try {
            compiled = holder.compiler().compile(bundle);
        } catch (PolicyCompilationException e) {
            return rejected(from, bundle.version(), trigger, "does not compile: " + e.getMessage());
        }
        List<Finding> errors = linter.lint(bundle, false).findings().stream().filter(Finding::isError).toList();
        if (!errors.isEmpty()) {
            compiled.close();
            return rejected(from, bundle.version(), trigger, errors.size() + " lint error(s), the first: " + errors.get(0));
        }
        return switchTo(from, bundle, compiled, trigger);
    }

    /**
     * Switches to an archived version: {@code prefix} names it (a prefix is enough when one version has it).
     * Only a version the receipt log shows deciding (or that this agent had in force) is taken: a bundle
     * put into the archive by hand never is, nor one that only receipts the log did not write name (an excerpt
     * without the MAC of the log's key: put into the queue by someone who could write the directory).
     *
     * @throws IllegalArgumentException when no archived version, or more than one, starts with {@code prefix}
     */
    public PolicyChange rollback(String prefix) throws IOException {
        return rollback(prefix, "rollback");
    }

    /** {@link #rollback(String)}, recorded with {@code trigger} (who asked, and how). */
    public synchronized PolicyChange rollback(String prefix, String trigger) throws IOException {
        String version = archive.resolve(prefix);
        PolicySnapshot from = holder.current();
        if (version.equals(from.version())) {
            return new PolicyChange(PolicyChange.Kind.UNCHANGED, from.version(), version, trigger);
        }
        PolicyBundle bundle;
        try {
            bundle = PolicyBundle.decode(archive.read(version).orElseThrow(() -> new IOException("archived bundle vanished")));
        } catch (IOException | IllegalArgumentException e) {
            return rejected(from, version, trigger, "archived bundle unreadable: " + e.getMessage());
        }
        if (!bundle.version().equals(version)) {
            return rejected(from, version, trigger, "the archived bundle hashes to " + bundle.version() + ", not to its name");
        }
        if (!ran.contains(version)) {
            Naming naming = namingReceipts(version);
            if (naming.written() == 0) {
                return rejected(from, version, trigger, "no receipt names it: only a version that decided before is rolled back to"
                        + (naming.unvouched() == 0 ? "" : " (" + naming.unvouched() + " excerpt(s) naming it carry no MAC of the"
                        + " log's key: not written by this log)"));
            }
        }
        try {
            // Linted when it was first put in force; compiled again, since this JVM may never have compiled it.
            return switchTo(from, bundle, holder.compiler().compile(bundle), trigger);
        } catch (PolicyCompilationException e) {
            return rejected(from, version, trigger, "does not compile: " + e.getMessage());
        }
    }

    private PolicyChange switchTo(PolicySnapshot from, PolicyBundle bundle, CompiledPolicy compiled, String trigger) {
        String to = bundle.version();
        try {
            archive.archive(to, bundle.encoded());
        } catch (IOException | RuntimeException e) {
            compiled.close();
            return rejected(from, to, trigger, "could not be archived beside the receipts: " + e.getMessage());
        }
        Map<String, String> summary = new TreeMap<>(Map.of("policy.from", from.version(), "policy.to", to, "policy.trigger", trigger));
        try {
            record(SWITCHED, to, summary, "PERMIT", "policy " + PolicyChange.shortly(from.version()) + " switched to "
                    + PolicyChange.shortly(to) + " (" + trigger + ")", to);
        } catch (ReceiptWriteException | RuntimeException e) {
            compiled.close();
            WardenLog.alert("policy " + to + " not put in force: its switch could not be recorded: " + e.getMessage());
            return new PolicyChange(PolicyChange.Kind.REJECTED, from.version(), to, "its switch could not be recorded: " + e.getMessage());
        }
        if (!holder.switchTo(from, PolicySnapshot.of(bundle, compiled))) {
            throw new IllegalStateException("the policy changed during a switch: only PolicyControl switches it");
        }
        ran.add(to);
        PolicyChange change = new PolicyChange(PolicyChange.Kind.SWITCHED, from.version(), to, trigger);
        WardenLog.info("policy " + change.line());
        return change;
    }

    private PolicyChange rejected(PolicySnapshot from, String candidate, String trigger, String why) {
        PolicyChange change = new PolicyChange(PolicyChange.Kind.REJECTED, from.version(), candidate, why);
        WardenLog.alert("policy candidate " + change.line());
        Map<String, String> summary = new TreeMap<>(Map.of("policy.running", from.version(), "policy.trigger", trigger,
                "policy.error", why.length() > MAX_ERROR ? why.substring(0, MAX_ERROR) + "..." : why));
        if (candidate != null) {
            summary.put("policy.candidate", candidate);
        }
        try {
            record(REJECTED, candidate == null ? rules.get().toString() : candidate, summary, "DENY",
                    "policy candidate " + PolicyChange.shortly(candidate) + " rejected, " + PolicyChange.shortly(from.version())
                            + " stays in force: " + summary.get("policy.error"), from.version());
        } catch (ReceiptWriteException | RuntimeException e) {
            WardenLog.alert("the rejection could not be recorded: " + e.getMessage());
        }
        return change;
    }

    private void record(String operation, String target, Map<String, String> summary, String outcome, String reason,
                        String version) throws ReceiptWriteException {
        receipts.record(new ReceiptDraft(ActionIds.next(), clock.instant(), SURFACE, null, null, SURFACE, operation, target,
                ActionDigest.of(SURFACE, operation, target, new TreeMap<>(summary)), summary, outcome, true, List.of(RULE),
                reason, Map.of(), version));
    }

    /** How many receipts of the log name a version as the policy that decided them: written by this log, and not. */
    private record Naming(long written, long unvouched) {
    }

    /** The receipts of the log that name {@code version} as the policy that decided them, up to the first this log wrote. */
    private Naming namingReceipts(String version) {
        long unvouched = 0;
        try (ReceiptReader reader = ReceiptReader.openLive(receiptsDirectory, null)) { // the log being written: none skipped
            for (LogEntry entry = reader.next(); entry != null; entry = reader.next()) {
                if (entry instanceof LogEntry.StoredReceipt stored && version.equals(stored.parse().draft().policyVersion())) {
                    if (receipts.wrote(stored)) {
                        return new Naming(1, unvouched);
                    }
                    unvouched++;
                }
            }
        } catch (NotAReceiptsDirectoryException e) {
            return new Naming(0, unvouched);
        } catch (IOException | RuntimeException | dev.warden.receipts.MalformedReceiptException e) {
            WardenLog.warn("could not read the receipt log for policy " + version + ": " + e.getMessage());
        }
        return new Naming(0, unvouched);
    }
}
