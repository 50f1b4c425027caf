package dev.warden.agent.context;

import dev.warden.receipts.LogEntry;
import dev.warden.receipts.MalformedReceiptException;
import dev.warden.receipts.NotAReceiptsDirectoryException;
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

/** The receipt log as history: every receipt, read in order. */
public final class ReceiptHistory implements History {

    /** The rule of receipts that record a report after an action (the engine's observations). */
    public static final String OBSERVATION_RULE = "warden.observation";
    /** The rule of receipts that record an approval used by an action (the approval stage's). */
    static final String APPROVAL_RULE = "warden.approval";

    /** The rule of a policy switch's or rejection's receipt (not an action either). */
    static final String POLICY_RULE = dev.warden.agent.reload.PolicyControl.RULE;

    private final Path directory;

    public ReceiptHistory(Path directory) {
        this.directory = directory;
    }

    @Override
    public void replay(Consumer<PastAction> each) {
        replayAfter(LogMark.START, each);
    }

    /**
     * Whether the receipt {@code mark} names is still where it was, with the leaf hash it had: a replay may go on
     * after it. False when the log was pruned past it or rewritten (or is not there).
     */
    boolean holds(LogMark mark) {
        if (mark.isStart()) {
            return true;
        }
        try (ReceiptReader reader = ReceiptReader.openAt(directory, mark.at())) {
            return reader.next() instanceof LogEntry.StoredReceipt stored && stored.location().equals(mark.at())
                    && mark.isLeaf(stored.recordedHash());
        } catch (IOException gone) {
            return false;
        }
    }

    /**
     * Hands every receipt after {@code mark} to {@code each}, in order.
     *
     * @return where it stopped: the last receipt read ({@code mark} itself when there was none after it)
     * @throws IllegalStateException when the log cannot be read, or the mark does not {@link #holds hold}
     */
    LogMark replayAfter(LogMark mark, Consumer<PastAction> each) {
        ReceiptReader reader;
        try {
            reader = mark.isStart() ? ReceiptReader.open(directory) : ReceiptReader.openAt(directory, mark.at());
        } catch (NotAReceiptsDirectoryException empty) {
            if (mark.isStart()) {
                return mark; // a first start: nothing happened yet
            }
            throw new IllegalStateException("the receipt log no longer holds " + mark + ": " + empty.getMessage(), empty);
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
                    throw new IllegalStateException("the receipt log no longer holds " + mark);
                }
                entry = reader.next(); // the mark's receipt was read before
            }
            for (; entry != null; entry = reader.next()) {
                if (entry instanceof LogEntry.StoredReceipt stored) {
                    each.accept(past(stored.draft())); // not hashed: the verifier judges the log
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
        ContextAction action = new ContextAction(receipt.id(), receipt.time(), receipt.surface(), receipt.operation(),
                receipt.target(), Set.of(), Map.of(), receipt.actionDigest(), receipt.actor(), receipt.onBehalfOf(),
                receipt.session(), labels);
        boolean proceeded = "PERMIT".equals(receipt.outcome()) || !receipt.enforced();
        boolean notAnAction = receipt.rules().contains(OBSERVATION_RULE) || receipt.rules().contains(APPROVAL_RULE)
                || receipt.rules().contains(POLICY_RULE);
        return new PastAction(action, proceeded, notAnAction, summary);
    }
}
