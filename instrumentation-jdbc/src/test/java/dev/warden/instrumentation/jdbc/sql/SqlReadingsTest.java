package dev.warden.instrumentation.jdbc.sql;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * SQL is read at least as strictly as the database reads it. Each row is a trick an agent that writes
 * SQL can play on one database's lexer, the database it is classified for ({@code -}: unknown, every
 * reading applies), and what Warden must see: how many statements the database may run and the
 * strongest operation among them. In the SQL, {@code ⏎} stands for a line feed, {@code ␍} for a carriage return and
 * {@code ␁} for U+0001 (the CSV reader would take the first two for the end of a row). The rows marked
 * "runs" were run against H2 2.3, SQLite 3.49, PostgreSQL and MariaDB 11 (multi-statement on): the
 * database executed the hidden INSERT.
 */
class SqlReadingsTest {

    private final SqlClassifier classifier = new SqlClassifier(1_000, 64 * 1024);

    private SqlClassification classify(String sql, String system) {
        return classifier.classify(sql.replace("⏎", "\n").replace("␍", "\r").replace("␁", "\u0001"),
                system.equals("-") ? null : system);
    }

    @ParameterizedTest(name = "[{0}] {1} -> {2} statements, {3}")
    @CsvSource(delimiter = '|', quoteCharacter = '~', textBlock = """
        # nested block comments: PostgreSQL and H2 nest them (runs on both), MariaDB does not
        postgresql | SELECT 1 /* /* */ ' */ ; INSERT INTO pwn VALUES (1); -- '       | 2 | INSERT
        h2         | SELECT 1 /* /* */ ' */ ; INSERT INTO pwn VALUES (1); -- '       | 2 | INSERT
        h2         | SELECT 1 /* /* /* */ */ ' */ ; INSERT INTO pwn VALUES (1); -- ' | 2 | INSERT
        -          | SELECT 1 /* /* */ ' */ ; INSERT INTO pwn VALUES (1); -- '       | 2 | INSERT
        mariadb    | SELECT 1 /* /* */ ; INSERT INTO pwn VALUES (2); /* */ */        | 3 | INSERT
        # H2's // line comment (runs on H2); elsewhere // is an operator and the rest a string
        h2         | SELECT 1 // '⏎; INSERT INTO pwn VALUES (3); -- '                | 2 | INSERT
        -          | SELECT 1 // '⏎; INSERT INTO pwn VALUES (3); -- '                | 2 | INSERT
        postgresql | SELECT 1 // '⏎; INSERT INTO pwn VALUES (3); -- '                | 1 | SELECT
        # MariaDB's # line comment (runs); -- needs a blank after it in MariaDB only (runs on H2 and PostgreSQL)
        mariadb    | SELECT 1 # '⏎; INSERT INTO pwn VALUES (4); -- '                 | 2 | INSERT
        postgresql | SELECT 1 --'⏎; INSERT INTO pwn VALUES (5); -- '                 | 2 | INSERT
        h2         | SELECT 1 --'⏎; INSERT INTO pwn VALUES (5); -- '                 | 2 | INSERT
        mariadb    | SELECT 1--1; DELETE FROM notes                                  | 2 | DELETE
        mariadb    | SELECT 1 --	'⏎; INSERT INTO pwn VALUES (24); -- '              | 2 | INSERT
        # backslash escapes: MariaDB in '..', "..", N'..', _charset'..' (all run); PostgreSQL in E'..' (runs)
        mariadb    | SELECT 'a\\'' ; INSERT INTO pwn VALUES (6); -- '                | 2 | INSERT
        mariadb    | SELECT "a\\"" ; INSERT INTO pwn VALUES (7); -- "                | 2 | INSERT
        mariadb    | SELECT N'a\\'' ; INSERT INTO pwn VALUES (25); -- '              | 2 | INSERT
        mariadb    | SELECT _utf8mb4'a\\'' ; INSERT INTO pwn VALUES (26); -- '       | 2 | INSERT
        postgresql | SELECT E'\\'' ; INSERT INTO pwn VALUES (16); -- '              | 2 | INSERT
        postgresql | SELECT 'a\\'' ; INSERT INTO pwn VALUES (6); -- '                | 2 | INSERT
        h2         | SELECT 'a\\'' ; INSERT INTO pwn VALUES (6); -- '                | 1 | SELECT
        sqlite     | SELECT 'a\\'' ; INSERT INTO pwn VALUES (6); -- '                | 1 | SELECT
        # a backtick name is not a string, and a backslash does not escape in it (runs on MariaDB and H2)
        mariadb    | SELECT 1 AS `a\\`; INSERT INTO pwn VALUES (27)                  | 2 | INSERT
        h2         | SELECT 1 AS ` ' ` ; INSERT INTO pwn VALUES (15); -- '           | 2 | INSERT
        # $a$ is a string in PostgreSQL and a name in MariaDB (runs there); H2 knows only $$
        mariadb    | SELECT 1 AS $a$ ; INSERT INTO pwn VALUES (8); SELECT $a$        | 3 | INSERT
        mariadb    | SELECT 1 AS $$x ; INSERT INTO pwn VALUES (34); SELECT 1 AS $$x  | 3 | INSERT
        mariadb    | SELECT $ä$ ; INSERT INTO pwn VALUES (19); $ä$                   | 3 | DDL
        postgresql | SELECT $ä$ ; INSERT INTO pwn VALUES (19); $ä$                   | 1 | SELECT
        postgresql | SELECT $q$ ; DELETE FROM notes; $q$                             | 1 | SELECT
        h2         | SELECT $q$ ; DELETE FROM notes; $q$                             | 3 | DELETE
        -          | SELECT $$ ; DELETE FROM notes; $$                               | 3 | DDL
        # MySQL's /*! */ and MariaDB's /*M! */ are code there, comments elsewhere (runs on H2 and PostgreSQL)
        postgresql | SELECT 1 /*! ' */ ; INSERT INTO pwn VALUES (9); -- ' */          | 2 | INSERT
        h2         | SELECT 1 /*! ' */ ; INSERT INTO pwn VALUES (9); -- ' */          | 2 | INSERT
        mariadb    | SELECT 1 /*M! ; DELETE FROM notes */                            | 2 | DELETE
        mariadb    | SELECT 1 /*!50000 ; DELETE FROM notes */                        | 2 | DELETE
        mariadb    | SELECT 1 /*!99999 ' */ ; INSERT INTO pwn VALUES (22); -- ' */   | 2 | INSERT
        mariadb    | SELECT 1 /*+ ' */ ; INSERT INTO pwn VALUES (29); -- ' */        | 2 | INSERT
        # SQLite's [name] always is one and ends at the first ]
        sqlite     | SELECT 1 AS x[ ' ] ; INSERT INTO pwn VALUES (12); -- '          | 2 | INSERT
        h2         | SELECT 1 AS x[ ' ] ; INSERT INTO pwn VALUES (12); -- '          | 2 | INSERT
        # H2 and PostgreSQL: U&'..' has no backslash escape for the quote (runs on H2)
        h2         | SELECT U&'\\0027' ; INSERT INTO pwn VALUES (2)                  | 2 | INSERT
        # found by a review (2026-12-06), each run on its database: U+FEFF is a name character to PostgreSQL and H2,
        # so $$ after it opens no string there
        postgresql | SELECT id LIKE﻿$$ FROM notes; INSERT INTO pwn VALUES (7, $q$x$q$); SELECT id LIKE﻿$$ FROM notes | 3 | INSERT
        h2         | SELECT id LIKE﻿$$ FROM notes; INSERT INTO pwn VALUES (7, 'x'); SELECT id LIKE﻿$$ FROM notes | 3 | INSERT
        # MariaDB skips a versioned comment with one nested comment in it; runs a /*! inside a /*!; BEGIN NOT ATOMIC
        mariadb    | SELECT id FROM notes /*!99999 /* */ WHERE b <> ' */; DELETE FROM secrets -- '  | 2 | DELETE
        mariadb    | SELECT 1 /*! /*! ; DELETE FROM notes */                               | 2 | DELETE
        mariadb    | /*!BEGIN NOT ATOMIC REPLACE INTO secrets VALUES (9,'x'); */ SELECT * FROM notes; /*! END */ | 3 | INSERT
        mariadb    | /*!BEGIN NOT ATOMIC DROP TABLE secrets; */ SELECT * FROM notes; /*! END */ | 3 | DDL
        # SQLite's $name(...) parameter runs to the first blank or ), quote and all
        sqlite     | SELECT $a::VARCHAR(') AS c FROM notes; DELETE FROM secrets; -- ') FROM notes | 2 | DELETE
        sqlite     | SELECT :a::VARCHAR(') AS c FROM notes; DELETE FROM secrets; -- ') FROM notes | 2 | DELETE
        sqlite     | SELECT @a::VARCHAR(') AS c FROM notes; DELETE FROM secrets; -- ') FROM notes | 2 | DELETE
        # look-alikes: a full-width semicolon separates nothing, but what follows still counts
        -          | SELECT 1 ； DELETE FROM notes                                    | 1 | DELETE
        -          | DELETE FROM notes                                        | 1 | DELETE
        -          | SELECT 1 -- x\rDELETE FROM notes                                | 1 | DELETE
        # found by a seventh review (2026-12-07), each run on its database: MariaDB and SQLite read a line comment on over
        # a lone carriage return, which ends it to PostgreSQL and H2 (runs on MariaDB; SQLite's driver runs the first
        # statement only, and a UNION in it read the secrets table);
        mariadb    | SELECT b FROM notes WHERE b = -- ␍'⏎b OR b = ' OR b = ' ; INSERT INTO pwn VALUES (40); -- ' | 2 | INSERT
        mariadb    | SELECT b FROM notes WHERE b = # ␍'⏎b OR b = ' OR b = ' ; INSERT INTO pwn VALUES (41); -- '  | 2 | INSERT
        sqlite     | SELECT b FROM notes WHERE b = -- ␍'⏎b OR b = ' OR b = ' ; INSERT INTO pwn VALUES (40); -- ' | 2 | INSERT
        -          | SELECT b FROM notes WHERE b = -- ␍'⏎b OR b = ' OR b = ' ; INSERT INTO pwn VALUES (40); -- ' | 2 | INSERT
        postgresql | SELECT b FROM notes WHERE b = -- ␍'⏎b OR b = ' OR b = ' ; INSERT INTO pwn VALUES (40); -- ' | 1 | SELECT
        h2         | SELECT b FROM notes WHERE b = -- ␍'⏎b OR b = ' OR b = ' ; INSERT INTO pwn VALUES (40); -- ' | 1 | SELECT
        # H2 ends E'..' at the first lone quote and decodes the backslashes after (runs); PostgreSQL escapes the quote
        h2         | SELECT E'\\'; INSERT INTO pwn VALUES (42); -- '                   | 2 | INSERT
        h2         | SELECT e'a\\' ; INSERT INTO pwn VALUES (42); -- '                 | 2 | INSERT
        postgresql | SELECT E'\\'; INSERT INTO pwn VALUES (42); -- '                   | 1 | SELECT
        # H2 takes the control characters Java ignores in identifiers into a name, so $$ after one opens no string (runs)
        h2         | SELECT id LIKE␁$$ FROM notes; INSERT INTO pwn VALUES (43); SELECT id LIKE␁$$ FROM notes | 3 | INSERT
        h2         | SELECT id AS x␁$$ FROM notes; DELETE FROM notes; SELECT id AS x␁$$ FROM notes          | 3 | DELETE
        # H2's MSSQLServer and Oracle modes take # into a name, so $$ after one opens no string (runs in both modes)
        h2         | SELECT id #$$ FROM notes; DELETE FROM notes; SELECT id #$$ FROM notes                  | 3 | DELETE
        h2         | SELECT id AS x#$$ FROM notes; DELETE FROM notes; SELECT id AS x#$$ FROM notes          | 3 | DELETE
        -          | SELECT id #$$ FROM notes; DELETE FROM notes; SELECT id #$$ FROM notes                  | 3 | DELETE
        """)
    void aTrickCannotHideAStatement(String system, String sql, int statements, String operation) {
        SqlClassification c = classify(sql, system);
        assertThat(c.statementCount()).as("statements of %s", sql).isEqualTo(statements);
        assertThat(c.operation()).as("operation of %s", sql).isEqualTo(operation);
    }

    @ParameterizedTest(name = "[{0}] {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '~', textBlock = """
        # found by a review (2026-12-06), each read the secrets table on its database
        mariadb    | SELECT id, b FROM notes /*!99999 /* */ WHERE b <> ' */ UNION SELECT id, v FROM secrets -- '
        mariadb    | SELECT id, b FROM notes /*! /*! UNION SELECT id, v FROM secrets */
        postgresql | SELECT CAST(id AS VARCHAR(10)) AS c FROM notes WHERE id > 8 //* c */ 16 UNION SELECT CAST(v AS VARCHAR(10)) FROM secrets
        mariadb    | SELECT CAST(id AS CHAR(10)) AS c FROM notes WHERE id > 8 //* c */ 16 UNION SELECT CAST(v AS CHAR(10)) FROM secrets
        sqlite     | SELECT $a::VARCHAR(') AS c FROM notes UNION SELECT v FROM secrets -- ') FROM notes
        sqlite     | SELECT @a::VARCHAR(') AS c FROM notes UNION SELECT v FROM secrets -- ') FROM notes
        sqlite     | SELECT :a::VARCHAR(') AS c FROM notes UNION SELECT v FROM secrets -- ') FROM notes
        postgresql | WITH secrets AS (SELECT * FROM secrets) SELECT p.b, s.v FROM notes p, secrets s
        mariadb    | WITH secrets AS (SELECT * FROM secrets) SELECT p.b, s.v FROM notes p, secrets s
        postgresql | WITH secrets AS (SELECT 1) UPDATE secrets SET v = 'x' FROM notes
        postgresql | WITH secrets AS (SELECT 1), x AS (SELECT * FROM notes) DELETE FROM secrets
        postgresql | SELECT * FROM secrets UNION ALL (WITH secrets AS (SELECT * FROM notes) SELECT * FROM secrets)
        mariadb    | SELECT s.* FROM notes p, secrets s WHERE EXISTS (WITH secrets AS (SELECT 1 AS x) SELECT x FROM secrets)
        # found by a seventh review (2026-12-07), each read the secrets table on its database
        mariadb    | SELECT b FROM notes WHERE b = -- ␍'⏎b OR b = ' OR b = ' UNION SELECT v FROM secrets -- '
        sqlite     | SELECT b FROM notes WHERE b = -- ␍'⏎b OR b = ' OR b = ' UNION SELECT v FROM secrets -- '
        """)
    void aTableReadBesideThePermittedOneIsNamed(String system, String sql) {
        SqlClassification c = classify(sql, system);
        assertThat(c.tables()).as("tables of %s", sql).contains("notes", "secrets");
    }

    @Test
    void aCteNamesNoTableInTheQueryWhoseWithNamesIt() {
        assertThat(classify("WITH recent AS (SELECT * FROM notes) SELECT * FROM recent", "postgresql").tables())
                .containsExactly("notes");
        assertThat(classify("SELECT * FROM notes WHERE id IN (WITH recent AS (SELECT id FROM notes) SELECT id FROM recent)",
                "postgresql").tables()).containsExactly("notes");
        assertThat(classify("WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r WHERE n < 3) SELECT n FROM r",
                "postgresql").tables()).isEmpty();
    }

    @Test
    void aStringThatOneDatabaseEndsEarlyHidesNoTableFromTheRules() {
        // MariaDB: 'x\'' is the string x' and the UNION reads secrets; standard SQL: one long string.
        SqlClassification c = classify("SELECT body FROM notes WHERE body = 'x\\'' UNION SELECT secret FROM secrets -- '",
                "mariadb");
        assertThat(c.operation()).isEqualTo("SELECT");
        assertThat(c.statementCount()).isEqualTo(1);
        assertThat(c.tables()).containsExactly("notes", "secrets");
        assertThat(c.columns()).contains("secret");
        assertThat(c.hasComment()).isTrue();
    }

    @Test
    void aStatementTheDatabaseReadsDifferentlyIsParsedAsItReadsIt() {
        SqlClassification c = classify("SELECT 1 /* /* */ ' */ ; DELETE FROM secrets; -- '", "postgresql");
        assertThat(c.tables()).containsExactly("secrets");
        assertThat(c.shape()).as("receipts record the standard reading").isEqualTo("SELECT ? ?");
    }

    @Test
    void aKnownDatabaseIsNotBlamedForAnotherOnesSyntax() {
        assertThat(classify("SELECT a # b FROM t", "postgresql").statementCount()).isEqualTo(1);
        assertThat(classify("SELECT $$;$$", "postgresql").statementCount()).isEqualTo(1);
        assertThat(classify("SELECT $$;$$", "-").statementCount()).as("MySQL: $$ is a name").isEqualTo(2);
        SqlClassification quoted = classify("SELECT \"Email\" FROM \"Users\" WHERE id = ?", "postgresql");
        assertThat(quoted.parseError()).isNull();
        assertThat(quoted.tables()).as("\"Users\" is not users in PostgreSQL").containsExactly("\"Users\"");
    }

    @Test
    void ordinaryStatementsAreLexedOnce() {
        assertThat(SqlLexer.mayReadDifferently("SELECT name FROM notes WHERE id = ? AND body LIKE '%x%' -- note")).isFalse();
        assertThat(SqlLexer.mayReadDifferently("SELECT 1 /* */")).isTrue();
        assertThat(SqlLexer.mayReadDifferently("SELECT 1--1")).isTrue();
        assertThat(SqlLexer.mayReadDifferently("SELECT '\\'")).isTrue();
        assertThat(SqlLexer.mayReadDifferently("SELECT 1 -- x\r'")).as("a carriage return ends a comment to some").isTrue();
    }

    /**
     * Found by a seventh review (2026-12-07): MariaDB Connector/J prepares in the client and splices each bound value
     * where its own lexer finds a {@code ?}; it reads {@code --'} as a comment, the server as code, so the value landed
     * in what the server read as a string, and ran as SQL (a UNION read of another table).
     */
    @Test
    void aPreparedStatementWhoseQuestionMarkADatabaseReadsInALiteralIsRefusedWhereTheDriverSplicesValues() {
        SqlClassifier c = new SqlClassifier(1_000, 64 * 1024);
        String spliced = "SELECT body FROM notes WHERE body = 1 --'A\nOR body = ? OR body = ' OR body = ' OR body = '";
        assertThat(c.classify(spliced, "mariadb", null, true).parseError()).contains("splice");
        assertThat(c.classify(spliced, "mariadb", null, true).operation()).isEqualTo("DDL");
        assertThat(c.classify(spliced, "mariadb", null, true).tables()).isEmpty();
        assertThat(c.classify(spliced, "mysql", null, true).parseError()).contains("splice");
        assertThat(c.classify(spliced, "mariadb", null, false).parseError()).as("a plain statement binds nothing").isNull();
        assertThat(c.classify("SELECT body FROM notes /*/ ? */ WHERE id = ?", "mariadb", null, true).parseError())
                .contains("splice");
        assertThat(c.classify("SELECT body FROM notes WHERE body LIKE '%?%' AND id = ?", "mariadb", null, true).parseError())
                .contains("splice");
        assertThat(c.classify("SELECT body FROM notes WHERE id = ? AND body = ?", "mariadb", null, true).parseError()).isNull();
        assertThat(c.classify("SELECT body FROM notes WHERE body LIKE '%?%' AND id = ?", "h2", null, true).parseError())
                .as("H2 binds in the engine").isNull();
    }

    /**
     * Found by a thirteenth review (2026-12-08): pgjdbc with {@code preferQueryMode=simple} splices each bound value where
     * its own lexer finds a {@code ?}, and that lexer closes a comment at the {@code /} of {@code /}{@code *}{@code /},
     * where PostgreSQL reads on: a value {@code *}{@code / UNION SELECT secret FROM secrets --} ended the server's comment
     * and ran as SQL, where every reading saw one read of notes.
     */
    @Test
    void aPreparedStatementWhoseQuestionMarkPostgresqlReadsInACommentIsRefusedAsPgjdbcMaySpliceValuesThere() {
        SqlClassifier c = new SqlClassifier(1_000, 64 * 1024);
        String inAComment = "SELECT body FROM notes /*/ WHERE body = ? */";
        assertThat(c.classify(inAComment, "postgresql", null, false).tables()).as("the text as written").containsExactly("notes");
        assertThat(c.classify(inAComment, "postgresql", null, false).parseError()).as("a plain statement binds nothing").isNull();
        assertThat(c.classify(inAComment, "postgresql", null, true).parseError()).as("refused by the /*/ check too").isNotNull();
        assertThat(c.classify(inAComment, "postgresql", null, true).operation()).isEqualTo("DDL");
        assertThat(c.classify(inAComment, "postgresql", null, true).tables()).isEmpty();
        // Whatever else pgjdbc's lexer reads unlike the server: a ? the server reads in a comment or string is refused.
        String inAString = "SELECT body FROM notes WHERE body = $$ ? $$ AND id = ?";
        assertThat(c.classify(inAString, "postgresql", null, true).parseError()).startsWith("a ? the database may read");
        assertThat(c.classify(inAString, null, null, true).parseError()).as("a database of unknown kind")
                .startsWith("a ? the database may read");
        assertThat(c.classify("SELECT body FROM notes /* ? */ WHERE id = ?", "postgresql", null, true).parseError())
                .startsWith("a ? the database may read");
        assertThat(c.classify("SELECT body FROM notes WHERE body LIKE '%?%' AND id = ?", "postgresql", null, true).parseError())
                .contains("splice");
        assertThat(c.classify("SELECT body FROM notes WHERE id = ? AND body = ? -- by id", "postgresql", null, true)
                .parseError()).isNull();
        assertThat(c.classify(inAComment, "sqlite", null, true).parseError()).as("SQLite binds in the engine").isNull();
    }

    /**
     * Found by a thirteenth review (2026-12-08): pgjdbc with {@code reWriteBatchedInserts=true} repeats the list its own
     * lexer took for the {@code VALUES} list once per batched row, and that lexer ends a comment at the {@code /} of
     * {@code /}{@code *}{@code /}: a batch of two inserted a row of {@code secrets} the single statement held in a string.
     */
    @Test
    void aPreparedStatementWithACommentPgjdbcEndsEarlyIsRefused() {
        SqlClassifier c = new SqlClassifier(1_000, 64 * 1024);
        String copied = "INSERT INTO notes (id, body) VALUES (CAST(? AS INT), 'a' /*/ ) , ( 'x' ) */ ) , "
                + "( 9, '*/ ), (8, (SELECT secret FROM secrets)) -- ' )";
        assertThat(c.classify(copied, "postgresql", null, false).tables()).as("the text as written").containsExactly("notes");
        assertThat(c.classify(copied, "postgresql", null, true).parseError()).startsWith("a comment opened as /*/");
        assertThat(c.classify(copied, "postgresql", null, true).operation()).isEqualTo("DDL");
        assertThat(c.classify(copied, "postgresql", null, true).tables()).isEmpty();
        assertThat(c.classify(copied, null, null, true).parseError()).as("a database of unknown kind").contains("pgjdbc");
        assertThat(c.classify(copied, "h2", null, true).parseError()).as("H2 copies nothing").isNull();
        assertThat(c.classify("INSERT INTO notes (id, body) VALUES (?, ?) /* a batch */", "postgresql", null, true)
                .parseError()).isNull();
    }

    /**
     * Found by a twelfth review (2026-12-07): pgjdbc sends a prepared statement's {@code ?} as {@code $1}, which PostgreSQL
     * takes into a name written right before it: {@code v?$$ ... $$} was a read of notes with a string to every reading,
     * and {@code v$1$$ FROM (SELECT secret ...)} to the server.
     */
    @Test
    void aPreparedStatementWhoseQuestionMarkFollowsANameCharacterIsRefusedWhereTheDriverRenumbersPlaceholders() {
        SqlClassifier c = new SqlClassifier(1_000, 64 * 1024);
        String joined = "SELECT v?$$ FROM (SELECT secret AS U&\"v\\00241\\0024\\0024\" FROM secrets) s --$$ FROM notes";
        assertThat(c.classify(joined, "postgresql", null, false).tables()).as("the text as written").containsExactly("notes");
        assertThat(c.classify(joined, "postgresql", null, true).parseError()).contains("join the name");
        assertThat(c.classify(joined, "postgresql", null, true).operation()).isEqualTo("DDL");
        assertThat(c.classify(joined, "postgresql", null, true).tables()).isEmpty();
        assertThat(c.classify(joined, null, null, true).parseError()).as("a database of unknown kind").contains("join the name");
        assertThat(c.classify("SELECT body FROM notes WHERE body = $a$ x $a? $a$ AND id = 1", "postgresql", null, true)
                .parseError()).as("$a$1 would close the string").contains("join the name");
        assertThat(c.classify("SELECT body FROM notes WHERE id = ?1", "h2", null, true).parseError()).isNull();
        assertThat(c.classify("SELECT body FROM notes WHERE id=? AND body IN (?,?) LIMIT ?", "postgresql", null, true)
                .parseError()).isNull();
    }

    @Test
    void aShapeThatDiffersByReadingIsStillParsedOnce() {
        SqlClassifier counting = new SqlClassifier(1_000, 64 * 1024);
        // Standard: 'a\' then AND id = 1; MariaDB: one unterminated string. Two shapes, one entry.
        SqlClassification first = counting.classify("SELECT body FROM notes WHERE body = 'a\\' AND id = 1", "mariadb");
        SqlClassification second = counting.classify("SELECT body FROM notes WHERE body = 'b\\' AND id = 2", "mariadb");
        assertThat(second).isSameAs(first);
        assertThat(counting.cachedShapes()).isEqualTo(1);
    }

    /**
     * Found by a review on 2026-12-06, each run against the database named: permitted as a read of notes alone while the
     * database read or wrote elsewhere.
     */
    @Nested
    class WhereTheTreeWalkDoesNotLook {

        @ParameterizedTest(name = "[{0}] {1} -> tables {2}")
        @CsvSource(delimiter = '|', quoteCharacter = '~', textBlock = """
            postgresql | SELECT id FROM "NOTES"                   | "NOTES"
            postgresql | SELECT id FROM "notes"                   | notes
            postgresql | SELECT id FROM NOTES                     | notes
            postgresql | SELECT id FROM public."Notes"            | "Notes"
            h2         | SELECT id FROM "notes"                   | "notes"
            h2         | SELECT id FROM "NOTES"                   | notes
            h2         | SELECT id FROM Notes                     | notes
            h2         | SELECT id FROM salarıes                  | salaries
            h2         | SELECT id FROM ſalaries                  | salaries
            h2         | SELECT id FROM straße                    | strasse
            h2         | SELECT id FROM "ſalaries"                | "ſalaries"
            sqlite     | SELECT id FROM salarıes                  | salarıes
            mariadb    | SELECT id FROM salarıes                  | salarıes
            mariadb    | SELECT id FROM NOTES                     | "NOTES"
            mariadb    | SELECT id FROM `Notes`                   | "Notes"
            mariadb    | SELECT id FROM `notes`                   | notes
            sqlite     | SELECT id FROM "NOTES"                   | notes
            postgresql | SELECT id FROM notes_K              | notes_K
            """)
        void aNameIsOneTableWhereTheDatabaseTakesItForOne(String system, String sql, String table) {
            assertThat(classify(sql, system).tables()).containsExactly(table);
        }

        @ParameterizedTest(name = "{0}: {1} -> tables {2}")
        @CsvSource(delimiter = '|', quoteCharacter = '~', textBlock = """
            jdbc:h2:mem:a;DATABASE_TO_LOWER=TRUE              | SELECT id FROM "NOTES" | "NOTES"
            jdbc:h2:mem:a;database_to_lower=true              | SELECT id FROM "notes" | notes
            jdbc:h2:mem:a;DATABASE_TO_UPPER=FALSE             | SELECT id FROM Notes   | "Notes"
            jdbc:h2:mem:a;CASE_INSENSITIVE_IDENTIFIERS=TRUE   | SELECT id FROM "NoTes" | notes
            jdbc:h2:mem:a;CASE_INSENSITIVE_IDENTIFIERS=TRUE   | SELECT id FROM "Noıes" | noies
            jdbc:h2:mem:a;DATABASE_TO_LOWER=TRUE              | SELECT id FROM Keys | keys
            jdbc:h2:mem:a;MODE=PostgreSQL                     | SELECT id FROM "notes" | "notes"
            jdbc:h2:mem:a;DATABASE_TO\\_LOWER=TRUE            | SELECT id FROM "NOTES" | "NOTES"
            """)
        void anH2UrlMaySayHowH2NamesTables(String url, String sql, String table) {
            assertThat(classifier.classify(sql, "h2", url).tables()).containsExactly(table);
        }

        @ParameterizedTest(name = "[{0}] {1}")
        @CsvSource(delimiter = '|', quoteCharacter = '~', textBlock = """
            postgresql | SELECT SUBSTRING((SELECT secret FROM secrets LIMIT 1) FROM 1 FOR 100) AS body FROM notes LIMIT 1
            postgresql | SELECT OVERLAY((SELECT secret FROM secrets LIMIT 1) PLACING '' FROM 1 FOR 0) FROM notes
            postgresql | SELECT POSITION('code' IN (SELECT secret FROM secrets LIMIT 1)) FROM notes
            postgresql | SELECT now() AT TIME ZONE (SELECT secret FROM secrets LIMIT 1) FROM notes
            postgresql | SELECT string_agg(body, ',' ORDER BY (SELECT secret FROM secrets LIMIT 1)) FROM notes
            mariadb    | SELECT SUBSTR((SELECT secret FROM secrets LIMIT 1) FROM 1) FROM notes
            mariadb    | SELECT GROUP_CONCAT(body ORDER BY (SELECT secret FROM secrets LIMIT 1)) FROM notes
            h2         | SELECT JSON_OBJECT('k' : (SELECT secret FROM secrets LIMIT 1)) FROM notes LIMIT 1
            sqlite     | SELECT group_concat(body, ',' ORDER BY CASE WHEN (SELECT secret FROM secrets LIMIT 1) LIKE 'the%' THEN -id ELSE id END) FROM notes
            postgresql | SELECT * FROM notes, (TABLE secrets) AS s
            h2         | WITH secrets AS (SELECT id, body AS secret FROM notes) SELECT * FROM secrets
            """)
        void aQueryWhereTheWalkDoesNotGoIsNotListedAsARead(String system, String sql) {
            SqlClassification c = classify(sql, system);
            assertThat(c.tables().contains("secrets") || c.parseError() != null)
                    .as("either the hidden table is listed or the statement is unreadable: %s", c).isTrue();
        }

        @ParameterizedTest(name = "[{0}] {1}")
        @CsvSource(delimiter = '|', quoteCharacter = '~', textBlock = """
            postgresql | SELECT SUBSTRING(body FROM nextval('seq')::int) FROM notes nextval                          | NEXTVAL
            postgresql | SELECT SUBSTRING(body FROM bump()) FROM notes bump                                           | BUMP
            postgresql | WITH nextval AS (SELECT 1) SELECT SUBSTRING(body FROM nextval('seq')::int) FROM notes       | NEXTVAL
            postgresql | SELECT SUBSTRING(body FROM GREATEST(1, nextval('seq'))::int) FROM (VALUES (1)) nextval(a), notes | NEXTVAL
            mariadb    | SELECT SUBSTRING(body FROM NEXT VALUE FOR seq) FROM notes                                   | NEXT VALUE FOR
            h2         | SELECT SUBSTRING(body FROM FILE_WRITE('x', '/tmp/f')) FROM notes FILE_WRITE LIMIT 1         | FILE_WRITE
            h2         | SELECT SUBSTRING(body FROM CAST(NEXT VALUE FOR seq AS INT)) FROM notes                      | NEXT VALUE FOR
            postgresql | SELECT overlay('' placing PG_READ_FILE('/etc/hostname') from 1) FROM notes AS pg_read_file(a)  | PG_READ_FILE
            postgresql | SELECT count(*) OVER (PARTITION BY NEXTVAL('seq')) FROM notes AS "nextval"(a)              | NEXTVAL
            mariadb    | WITH load_file(a) AS (SELECT 1) SELECT position('vm' IN LOAD_FILE('/etc/hostname')) FROM notes | LOAD_FILE
            h2         | SELECT JSON_OBJECT('k': file_write('x', '/tmp/f')) FROM notes AS FILE_WRITE(a, b)          | FILE_WRITE
            sqlite     | SELECT group_concat(body, ',' ORDER BY [bump]()) FROM notes                                  | BUMP
            sqlite     | SELECT row_number() OVER (PARTITION BY [bump]()) FROM notes                                 | BUMP
            h2         | SELECT id FROM notes WHERE id < seq.nextval                                                 | SEQUENCE NEXTVAL
            h2         | SELECT SUBSTRING(body FROM seq . NEXTVAL) FROM notes                                        | SEQUENCE NEXTVAL
            """)
        void aCallWhereTheWalkDoesNotGoIsACall(String system, String sql, String function) {
            SqlClassification c = classify(sql, system);
            assertThat(c.unsafeFunctions()).contains(function);
            assertThat(c.operation()).isNotEqualTo("SELECT");
        }

        @ParameterizedTest(name = "[{0}] {1}")
        @CsvSource(delimiter = '|', quoteCharacter = '~', textBlock = """
            postgresql | INSERT INTO notes (id, body) VALUES (1, 'x')
            postgresql | WITH t(a, b) AS (SELECT 1, 2) SELECT a FROM t
            postgresql | SELECT v.a FROM (VALUES (1, 2)) AS v(a, b)
            postgresql | SELECT x FROM generate_series(1, 3) g(x)
            postgresql | SELECT count(*), lower(body) FROM notes GROUP BY lower(body)
            h2         | SELECT SUBSTRING(body FROM 1 FOR 3) FROM notes
            mariadb    | SELECT (SELECT max(id) FROM notes) AS m, a.id FROM notes a WHERE a.id IN (SELECT id FROM notes)
            postgresql | INSERT INTO notes (id, body) VALUES (1, 'a') ON CONFLICT (id) DO UPDATE SET body = EXCLUDED.body
            postgresql | SELECT array(SELECT id FROM notes)
            postgresql | INSERT INTO notes n (id) VALUES (1)
            postgresql | INSERT INTO notes AS n (id, body) VALUES (1, 'a') ON CONFLICT (id) DO UPDATE SET body = n.body
            postgresql | insert into "public"."notes" ("id", "body") values (1, 'a')
            postgresql | WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r WHERE n < 3) SELECT n FROM r
            postgresql | SELECT count(*) FILTER (WHERE id > (SELECT 1)) FROM notes
            """)
        void ordinaryStatementsStayAsTheyWere(String system, String sql) {
            SqlClassification c = classify(sql, system);
            assertThat(c.parseError()).isNull();
            assertThat(c.unsafeFunctions()).isEmpty();
        }
    }

    @Nested
    class WhatAQueryReallyDoes {

        @ParameterizedTest(name = "{0} -> {1}")
        @CsvSource(delimiter = '|', quoteCharacter = '~', textBlock = """
            SELECT * FROM notes WHERE id = ? FOR UPDATE                          | UPDATE
            SELECT * FROM notes FOR NO KEY UPDATE SKIP LOCKED                    | UPDATE
            SELECT * FROM notes FOR SHARE                                        | UPDATE
            SELECT * FROM notes FOR KEY SHARE                                    | UPDATE
            SELECT * FROM notes LOCK IN SHARE MODE                               | UPDATE
            SELECT * INTO notes_copy FROM notes                                  | DDL
            SELECT body FROM notes INTO OUTFILE '/tmp/notes.txt'                 | DDL
            SELECT body FROM notes INTO DUMPFILE '/tmp/notes.bin'                | DDL
            WITH gone AS (DELETE FROM notes RETURNING *) SELECT * FROM gone      | DELETE
            WITH moved AS (UPDATE notes SET body = 'x' RETURNING id) SELECT 1    | UPDATE
            EXPLAIN ANALYZE DELETE FROM notes                                    | DELETE
            EXPLAIN ANALYZE SELECT * FROM notes                                  | SELECT
            CREATE TABLE notes_copy AS SELECT * FROM notes                       | DDL
            VALUES (1, 2)                                                        | SELECT
            TABLE notes                                                          | SELECT
            CALL refresh_notes()                                                 | CALL
            DO $$ BEGIN DELETE FROM notes; END $$                                | DELETE
            PREPARE wipe AS DELETE FROM notes                                    | DELETE
            PREPARE wipe FROM 'DELETE FROM notes'                                | OTHER
            EXECUTE wipe                                                         | CALL
            SET search_path = evil                                               | DDL
            BEGIN                                                                | OTHER
            COPY notes TO PROGRAM 'touch /tmp/pwned'                             | DDL
            COPY notes FROM '/tmp/notes.csv'                                     | DDL
            LOAD DATA INFILE '/etc/passwd' INTO TABLE notes                      | DDL
            LOCK TABLE notes IN ACCESS EXCLUSIVE MODE                            | UPDATE
            ATTACH DATABASE '/tmp/evil.db' AS evil                               | DDL
            VACUUM INTO '/tmp/copy.db'                                           | DDL
            RUNSCRIPT FROM '/tmp/evil.sql'                                       | DDL
            SCRIPT TO '/tmp/dump.sql'                                            | DDL
            SHUTDOWN                                                             | DDL
            """)
        void isClassified(String sql, String operation) {
            assertThat(classify(sql, "-").operation()).isEqualTo(operation);
        }
    }

    @Nested
    class Functions {

        @ParameterizedTest(name = "{0}")
        @CsvSource(delimiter = '|', quoteCharacter = '~', textBlock = """
            SELECT FILE_WRITE('x', '/tmp/f') FROM notes                        | FILE_WRITE
            SELECT CSVWRITE('/tmp/f.csv', 'SELECT * FROM notes')               | CSVWRITE
            SELECT * FROM CSVREAD('/etc/passwd')                               | CSVREAD
            SELECT LINK_SCHEMA('x', '', 'jdbc:h2:mem:y', 'sa', '', 'PUBLIC')   | LINK_SCHEMA
            SELECT FILE_READ('/etc/passwd')                                    | FILE_READ
            SELECT lo_export(16384, '/tmp/x')                                  | LO_EXPORT
            SELECT lo_import('/etc/passwd')                                    | LO_IMPORT
            SELECT pg_read_file('/etc/passwd')                                 | PG_READ_FILE
            SELECT set_config('search_path', 'evil', false)                    | SET_CONFIG
            SELECT nextval('notes_id_seq')                                     | NEXTVAL
            SELECT setval('notes_id_seq', 1)                                   | SETVAL
            SELECT pg_sleep(10)                                                | PG_SLEEP
            SELECT pg_terminate_backend(42)                                    | PG_TERMINATE_BACKEND
            SELECT pg_advisory_lock(1)                                         | PG_ADVISORY_LOCK
            SELECT dblink_exec('dbname=x', 'DELETE FROM notes')                | DBLINK_EXEC
            SELECT LOAD_FILE('/etc/passwd')                                    | LOAD_FILE
            SELECT SLEEP(5) FROM notes                                         | SLEEP
            SELECT BENCHMARK(100000000, MD5('x'))                              | BENCHMARK
            SELECT load_extension('/tmp/evil.so')                              | LOAD_EXTENSION
            SELECT writefile('/tmp/x', 'data')                                 | WRITEFILE
            SELECT body FROM notes WHERE id = bump()                           | BUMP
            SELECT * FROM notes WHERE id IN (SELECT my_func(id) FROM notes)    | MY_FUNC
            SELECT public.lower(body) FROM notes                               | PUBLIC.LOWER
            SELECT "lower"(body) FROM notes                                    | LOWER
            SELECT NEXT VALUE FOR notes_seq                                    | NEXT VALUE FOR
            SELECT sum(id) OVER (PARTITION BY bump(id)) FROM notes             | BUMP
            SELECT STRING_AGG(body, ',' ORDER BY bump(id)) FROM notes          | BUMP
            SELECT SUBSTRING(bump(body) FROM 1 FOR 2) FROM notes               | BUMP
            SELECT POSITION(bump(body) IN body) FROM notes                     | BUMP
            SELECT CONVERT(bump(body), CHAR) FROM notes                        | BUMP
            SELECT body FROM notes WHERE MATCH(body) AGAINST (bump(body))      | BUMP
            SELECT json_object('a': bump(body)) FROM notes                     | BUMP
            SELECT body FROM notes WHERE ,,, bump(id) garbage                  | BUMP
            """)
        void aQueryCallingAFunctionThatMayActIsNotAPlainSelect(String sql, String function) {
            SqlClassification c = classify(sql, "-");
            assertThat(c.operation()).isEqualTo("CALL");
            assertThat(c.functions()).contains(function);
            assertThat(c.unsafeFunctions()).contains(function);
        }

        @Test
        void readOnlyBuiltInsKeepASelectASelect() {
            SqlClassification c = classify(
                    "SELECT COUNT(*), MAX(id), LOWER(body), COALESCE(title, ''), ROW_NUMBER() OVER (ORDER BY id) "
                            + "FROM notes WHERE created > NOW() AND id = ?", "-");
            assertThat(c.operation()).isEqualTo("SELECT");
            assertThat(c.functions()).containsExactly("COALESCE", "COUNT", "LOWER", "MAX", "NOW", "ROW_NUMBER");
            assertThat(c.unsafeFunctions()).isEmpty();
        }

        @Test
        void aWriteThatAlsoCallsAFunctionKeepsItsOperationAndNamesTheFunction() {
            SqlClassification c = classify("INSERT INTO notes (body) VALUES (FILE_READ('/etc/passwd'))", "-");
            assertThat(c.operation()).isEqualTo("INSERT");
            assertThat(c.unsafeFunctions()).containsExactly("FILE_READ");
        }

        @Test
        void namesBeforeAParenthesisThatAreNotCallsAreNotFunctions() {
            SqlClassification c = classify("WITH recent(id) AS (SELECT id FROM notes) "
                    + "SELECT CAST(r.id AS VARCHAR(10)), v.a FROM recent r JOIN (VALUES (1)) v(a) ON v.a = r.id "
                    + "WHERE r.id IN (1, 2) AND EXISTS (SELECT 1 FROM notes n WHERE n.id = r.id)", "-");
            assertThat(c.operation()).isEqualTo("SELECT");
            assertThat(c.unsafeFunctions()).isEmpty();
        }

        @Test
        void noFunctionNoFacts() {
            SqlClassification c = classify("SELECT body FROM notes WHERE id = ?", "-");
            assertThat(c.functions()).isEmpty();
            assertThat(c.unsafeFunctions()).isEmpty();
        }
    }
}
