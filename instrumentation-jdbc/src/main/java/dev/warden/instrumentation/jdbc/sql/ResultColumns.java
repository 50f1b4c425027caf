package dev.warden.instrumentation.jdbc.sql;

import net.sf.jsqlparser.schema.Column;
import net.sf.jsqlparser.statement.Statement;
import net.sf.jsqlparser.statement.select.AllColumns;
import net.sf.jsqlparser.statement.select.PlainSelect;
import net.sf.jsqlparser.statement.select.SelectItem;

import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;

/**
 * The plain result columns of a statement: in one query that is no set operation, the items of its own select list
 * that are a column or a star, unaliased. Only such a column reaches the host under its own name, so only it is
 * redacted by name ({@code RestrictedResults}); a column read anywhere else (in an expression, under an alias, in a
 * condition, a nested query, another branch of a UNION) reaches it under another name, or decides what it sees.
 */
final class ResultColumns {

    private ResultColumns() {}

    /** The nodes of {@code parsed}'s plain result columns, by identity; none for stacked statements. */
    static Set<Object> plain(List<Statement> parsed) {
        Set<Object> plain = Collections.newSetFromMap(new IdentityHashMap<>());
        if (parsed.size() != 1 || !(parsed.get(0) instanceof PlainSelect select) || select.getSelectItems() == null) {
            return plain;
        }
        for (SelectItem<?> item : select.getSelectItems()) {
            Object expression = item.getExpression();
            if (item.getAlias() == null && (expression instanceof Column || plainStar(expression))) {
                plain.add(expression);
            }
        }
        return plain;
    }

    /** {@code *} or {@code t.*}, without {@code REPLACE (x AS y)}, which renames. */
    private static boolean plainStar(Object expression) {
        return expression instanceof AllColumns star
                && (star.getReplaceExpressions() == null || star.getReplaceExpressions().isEmpty());
    }
}
