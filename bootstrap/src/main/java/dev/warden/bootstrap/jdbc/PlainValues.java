package dev.warden.bootstrap.jdbc;

import java.util.regex.Pattern;

/**
 * A connection setting's value that no database can read as more than a value: a word, a number, a
 * list of them, or one quoted string without a semicolon. H2 runs every setting as
 * {@code SET KEY value}, so anything else in a value (a {@code ;} that starts a second command, a
 * function call, {@code NEXT VALUE FOR}) is SQL; receipts mask such values, as they mask literals.
 */
public final class PlainValues {

    private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9_.,:/+-]*|'[^';]*'|\"[^\";]*\"");

    private PlainValues() {
    }

    public static boolean isPlain(String value) {
        return value != null && PLAIN.matcher(value).matches();
    }
}
