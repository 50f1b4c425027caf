package dev.warden.agent.engine;

import java.util.List;
import java.util.Set;

/**
 * The keys of a receipt's summary that the decision writes: the rules' labels and tier, the state and approval stages'
 * facts, the shadow rules' outcome. A replay of the log reads them back as what was decided (a session's labels, a
 * tier's count, which request an approval closed), so an action's own description never brings them: a surface without
 * an enricher describes an action by the attributes its caller chose.
 */
public final class DecisionKeys {

    private static final Set<String> NAMES = Set.of("labels", "tier");
    private static final List<String> PREFIXES = List.of("state.", "approval.", "shadow.");

    private DecisionKeys() {
    }

    /** Whether the decision writes {@code key}. */
    public static boolean written(String key) {
        if (NAMES.contains(key)) {
            return true;
        }
        for (int i = 0; i < PREFIXES.size(); i++) {
            if (key.startsWith(PREFIXES.get(i))) {
                return true;
            }
        }
        return false;
    }
}
