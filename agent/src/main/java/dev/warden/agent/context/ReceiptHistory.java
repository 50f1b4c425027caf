package dev.warden.agent.context;

import dev.warden.receipts.LogEntry;
import dev.warden.receipts.MalformedReceiptException;
import dev.warden.receipts.NotAReceiptsDirectoryException;
import dev.warden.receipts.Prune;
import dev.warden.receipts.ReceiptDraft;
import dev.warden.receipts.ReceiptReader;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The receipt log as history: every receipt, read in order; or, for a replay that goes on from a snapshot, the
 * receipts after a {@link LogMark}.
 */
public final class ReceiptHistory implements History {

    /** The rule of receipts that record a report after an action (the engine's observations). */
    public static final String OBSERVATION_RULE = "warden.observation";
    /** The rule of receipts that record an approval used by an action (the approval stage's). */
    static final String APPROVAL_RULE = "warden.approval";

    /** The rule of a policy switch's or rejection's receipt (not an action either). */
    static final String POLICY_RULE = dev.warden.agent.reload.PolicyControl.RULE;

    private final Path directory;

    /** Why a replay from a mark cannot go on: what it handed over so far is to be thrown away. */
    static final class MarkLost extends Exception {
        MarkLost(String why) {
            super(why);
        }
    }

    public ReceiptHistory(Path directory) {
        this.directory = directory;
    }

    @Override
    public void replay(Consumer<PastAction> each) {
        try {
            replayAfter(LogMark.START, () -> { }, each);
        } catch (MarkLost impossible) {
            throw new IllegalStateException(impossible); // a replay from the start has no mark to lose
        }
    }

    /**
     * Hands every receipt after {@code mark} to {@code each}, in order, once {@code whenHeld} ran: the receipt the
     * mark names is still where it was, with the leaf hash it had.
     *
     * @return where it stopped: the last receipt read ({@code mark} itself when there was none after it)
     * @throws MarkLost              when the mark's receipt is not there (the log was pruned past it, rewritten, or is
     *                               gone), before anything was handed over; or when a prune is recorded after it (the
     *                               log no longer holds some of what came before the mark), after some were
     * @throws IllegalStateException when a receipt cannot be read
     * @throws UncheckedIOException  when the log cannot be opened
     */
    LogMark replayAfter(LogMark mark, Runnable whenHeld, Consumer<PastAction> each) throws MarkLost {
        ReceiptReader reader;
        try {
            reader = ReceiptReader.openLive(directory, mark.isStart() ? null : mark.at());
        } catch (NotAReceiptsDirectoryException empty) {
            if (mark.isStart()) {
                return mark; // a first start: nothing happened yet
            }
            throw new MarkLost("the receipt log no longer holds the cycle file of " + mark);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        LogEntry.StoredReceipt last = null;
        long read = 0;
        try (reader) {
            LogEntry entry = reader.next();
            if (!mark.isStart()) {
                if (!(entry instanceof LogEntry.StoredReceipt stored && stored.location().equals(mark.at())
                        && mark.isLeaf(stored.recordedHash()))) {
                    throw new MarkLost("the receipt log no longer holds " + mark + " where it was");
                }
                entry = reader.next(); // the mark's receipt was read before
            }
            whenHeld.run();
            for (; entry != null; entry = reader.next()) {
                if (entry instanceof LogEntry.StoredReceipt stored) {
                    ReceiptDraft draft = stored.draft(); // not hashed: the verifier judges the log
                    if (!draft.rules().contains(Prune.RULE)) {
                        each.accept(past(draft));
                    } else if (!mark.isStart()) {
                        throw new MarkLost("the receipt log was pruned after " + mark);
                    } // else: not an action of anyone's, and what it removed is no longer read
                    last = stored;
                    read++;
                }
            }
        } catch (MalformedReceiptException e) {
            throw new IllegalStateException("the receipt log cannot be replayed: " + e.getMessage(), e);
        }
        return last == null ? mark : new LogMark(last.location(), last.recordedHash(), mark.receipts() + read);
    }

    private static PastAction past(ReceiptDraft receipt) {
        Map<String, String> summary = receipt.summary();
        String labelText = summary.get("labels");
        Set<String> labels = labelText == null || labelText.isEmpty() ? Set.of()
                : new LinkedHashSet<>(Arrays.asList(labelText.split(",")));
        Map<String, Object> names = new java.util.HashMap<>();
        for (String fact : dev.warden.rules.roles.Scopes.NAME_FACTS) {
            if (summary.get(fact) != null) {
                names.put(fact, summary.get(fact)); // a limit counts a past /usr/bin/rm as process:rm:exec too
            }
        }
        ContextAction action = new ContextAction(receipt.id(), receipt.time(), receipt.surface(), receipt.operation(),
                receipt.target(), Set.of(), names, receipt.actionDigest(), receipt.actor(), receipt.onBehalfOf(),
                receipt.session(), labels);
        boolean proceeded = "PERMIT".equals(receipt.outcome()) || !receipt.enforced();
        boolean notAnAction = receipt.rules().contains(OBSERVATION_RULE) || receipt.rules().contains(APPROVAL_RULE)
                || receipt.rules().contains(POLICY_RULE);
        return new PastAction(action, proceeded, notAnAction, summary);
    }
}
