package dev.warden.rules;

import dev.warden.bootstrap.Obligations;

/**
 * {@code maskPii} masks personal data in text Warden hands on whole (a tool's result); a JDBC result set's values
 * reach the host through a driver's getters, which mask nothing. A JDBC statement permitted or held under it would
 * return its data unmasked, while its receipt said masked: it is refused instead, by a rule of Warden's own. A
 * driver API that returns no result set is refused under any result obligation where it runs.
 */
final class UnmaskedResults {

    static final String RULE = "mask-pii-unenforceable";

    private UnmaskedResults() {}

    /** Why {@code obligations}' masking cannot be honoured for {@code action}, or null when it can (or masks nothing). */
    static String unmasked(Obligations obligations, Action action) {
        if (!obligations.maskPii() || !"jdbc".equals(action.getSurface())
                || action.attribute("sql.shape") == null && action.attribute("sql.parseError") == null) {
            return null;
        }
        return "the permit masks personal data (maskPii), which a JDBC result set cannot do: redact the columns "
                + "that hold it instead";
    }
}
