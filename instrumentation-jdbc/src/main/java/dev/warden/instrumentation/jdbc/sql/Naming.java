package dev.warden.instrumentation.jdbc.sql;

import dev.warden.bootstrap.jdbc.H2Settings;

/**
 * How a database resolves a table's name: the case it folds names to, and whether a CTE hides a table of its name.
 * Warden reports a table in lower case when it is the table an unquoted lower-case name means to that database
 * ({@code notes}, what policies name), and otherwise as its exact name in double quotes ({@code "NOTES"}), which no
 * unquoted name equals: in PostgreSQL {@code "NOTES"} is not {@code notes}, in H2 {@code "notes"} is not {@code notes},
 * and in MariaDB on Linux {@code Notes} is not {@code notes}, quoted or not. Names fold as the database folds them:
 * PostgreSQL, SQLite and MariaDB fold ASCII letters alone, while H2 folds with Java's English case mapping, so on H2
 * {@code salarıes} and {@code ſalaries} are the table {@code SALARIES} and are listed {@code salaries} (a deny naming it
 * must catch them), and a quoted {@code "ſ"} is no unquoted name's table.
 *
 * @param fold             the case unquoted names fold to
 * @param tablesBeforeCtes a table named like a CTE is the table (H2: {@code WITH secrets AS (...) SELECT * FROM secrets}
 *                         reads the table secrets when there is one), so a CTE hides nothing
 * @param javaCase         names fold with Java's {@code Locale.ENGLISH} case mapping and compare as
 *                         {@code String.CASE_INSENSITIVE_ORDER} does (H2), not by ASCII letters alone
 */
record Naming(Fold fold, boolean tablesBeforeCtes, boolean javaCase) {

    enum Fold {
        /** Unquoted names fold to lower case; quoted names are exact (PostgreSQL). */
        TO_LOWER,
        /** Unquoted names fold to upper case; quoted names are exact (H2 as it ships, and the SQL standard). */
        TO_UPPER,
        /** Every name is exact, quoted or not (MariaDB and MySQL with case-sensitive table names, as on Linux). */
        NONE,
        /** No name's case matters (SQLite, SQL Server's default collation). */
        IGNORES_CASE
    }

    private static final Naming POSTGRESQL = new Naming(Fold.TO_LOWER, false, false);
    private static final Naming STANDARD = new Naming(Fold.TO_UPPER, false, false);
    private static final Naming MARIADB = new Naming(Fold.NONE, false, false);
    private static final Naming CASE_BLIND = new Naming(Fold.IGNORES_CASE, false, false);
    private static final Naming H2 = new Naming(Fold.TO_UPPER, true, true);
    private static final Naming H2_TO_LOWER = new Naming(Fold.TO_LOWER, true, true);
    private static final Naming H2_EXACT = new Naming(Fold.NONE, true, true);
    private static final Naming H2_CASE_BLIND = new Naming(Fold.IGNORES_CASE, true, true);

    /** The naming of {@code system} ({@code db.system}); an unknown database folds as the standard says. */
    static Naming of(String system) {
        return of(system, null);
    }

    /**
     * The naming of {@code system} connected to {@code url}: an H2 URL may change how H2 folds names
     * ({@code DATABASE_TO_LOWER=TRUE} folds to lower case, {@code DATABASE_TO_UPPER=FALSE} folds nothing,
     * {@code CASE_INSENSITIVE_IDENTIFIERS=TRUE} ignores case), read as H2 reads its URL, once per URL.
     */
    static Naming of(String system, String url) {
        if (system == null) {
            return STANDARD;
        }
        if (mentions(system, "postgres")) {
            return POSTGRESQL;
        }
        if (mentions(system, "mariadb") || mentions(system, "mysql")) {
            return MARIADB;
        }
        if (mentions(system, "sqlite") || mentions(system, "sqlserver")) {
            return CASE_BLIND;
        }
        if (!system.equalsIgnoreCase("h2")) {
            return STANDARD;
        }
        if (url == null) {
            return H2;
        }
        Naming known = H2_URLS.get(url);
        if (known == null) {
            if (H2_URLS.size() >= MAX_H2_URLS) {
                H2_URLS.clear(); // a flood of distinct URLs costs reading them again, never memory
            }
            known = ofH2Url(url);
            H2_URLS.put(url, known);
        }
        return known;
    }

    private static final int MAX_H2_URLS = 256;
    private static final java.util.concurrent.ConcurrentHashMap<String, Naming> H2_URLS = new java.util.concurrent.ConcurrentHashMap<>();

    private static Naming ofH2Url(String url) {
        if ("TRUE".equalsIgnoreCase(H2Settings.setting(url, "CASE_INSENSITIVE_IDENTIFIERS"))) {
            return H2_CASE_BLIND;
        }
        if ("TRUE".equalsIgnoreCase(H2Settings.setting(url, "DATABASE_TO_LOWER"))) {
            return H2_TO_LOWER;
        }
        if ("FALSE".equalsIgnoreCase(H2Settings.setting(url, "DATABASE_TO_UPPER"))) {
            return H2_EXACT;
        }
        return H2;
    }

    /** Whether {@code system} contains {@code word} in any case (on every statement: no lower-cased copy). */
    private static boolean mentions(String system, String word) {
        for (int i = 0; i + word.length() <= system.length(); i++) {
            if (system.regionMatches(true, i, word, 0, word.length())) {
                return true;
            }
        }
        return false;
    }

    /** The name of the table (or schema, or CTE) written {@code identifier}, with its quotes if any, as Warden reports it. */
    String canonical(String identifier) {
        if (identifier == null) {
            return "";
        }
        String written = identifier.trim();
        boolean quoted = SqlTableCollector.isQuoted(written);
        String exact = SqlTableCollector.unquote(written);
        if (fold == Fold.IGNORES_CASE) {
            return javaCase ? caseBlind(exact) : asciiLower(exact);
        }
        // the name the database looks up, and the lower-case name that, unquoted, it would look up as that name
        String resolved = quoted ? exact : fold(exact);
        String lower = asciiLower(resolved);
        return fold(lower).equals(resolved) ? lower : '"' + resolved.replace("\"", "\"\"") + '"';
    }

    /** What an unquoted {@code name} is to the database. */
    private String fold(String name) {
        return switch (fold) {
            case TO_LOWER -> javaCase ? name.toLowerCase(java.util.Locale.ENGLISH) : asciiLower(name);
            case TO_UPPER -> javaCase ? name.toUpperCase(java.util.Locale.ENGLISH) : asciiUpper(name);
            case NONE, IGNORES_CASE -> name;
        };
    }

    /** One spelling for every name {@code String.CASE_INSENSITIVE_ORDER} takes for {@code name} (its per-character fold). */
    private static String caseBlind(String name) {
        StringBuilder folded = new StringBuilder(name.length());
        for (int i = 0; i < name.length(); i++) {
            folded.append(Character.toLowerCase(Character.toUpperCase(name.charAt(i))));
        }
        return folded.toString();
    }

    static String asciiLower(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= 'A' && c <= 'Z') {
                char[] chars = s.toCharArray();
                for (int j = i; j < chars.length; j++) {
                    if (chars[j] >= 'A' && chars[j] <= 'Z') {
                        chars[j] = (char) (chars[j] + ('a' - 'A'));
                    }
                }
                return new String(chars);
            }
        }
        return s;
    }

    private static String asciiUpper(String s) {
        char[] chars = s.toCharArray();
        for (int j = 0; j < chars.length; j++) {
            if (chars[j] >= 'a' && chars[j] <= 'z') {
                chars[j] = (char) (chars[j] - ('a' - 'A'));
            }
        }
        return new String(chars);
    }
}
