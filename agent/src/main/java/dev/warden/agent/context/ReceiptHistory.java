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
        ReceiptReader reader;
        try {
            reader = ReceiptReader.open(directory);
        } catch (NotAReceiptsDirectoryException empty) {
            return; // a first start: nothing happened yet
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try (reader) {
            for (LogEntry entry = reader.next(); entry != null; entry = reader.next()) {
                if (entry instanceof LogEntry.StoredReceipt stored) {
                    each.accept(past(stored.draft())); // not hashed: the verifier judges the log
                }
            }
        } catch (MalformedReceiptException e) {
            throw new IllegalStateException("the receipt log cannot be replayed: " + e.getMessage(), e);
        }
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
