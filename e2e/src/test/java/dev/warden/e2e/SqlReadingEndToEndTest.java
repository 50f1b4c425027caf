package dev.warden.e2e;

import dev.warden.e2e.host.JdbcHost;
import dev.warden.receipts.Receipt;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.ResourceLock;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 11, item 4: SQL is read at least as strictly as the database reads it. An agent's SQL tool
 * under a least-privilege policy (read {@code sr_notes}, nothing else) sends each database the
 * tricks its own lexer and functions allow: comments one dialect nests and another does not, escapes
 * and quotes only some know, executable comments, functions and statements that write files, tables
 * and sequences from what looks like a read.
 *
 * <p>What the database does is established first, without Warden: the test JVM runs every trick on a
 * fresh copy of the data and records which ones really change something. Then a host JVM with the
 * agent sends them all. The side channel is the test's own JDBC connection and the file system,
 * read after the host exited: rows, tables, the audit table a writing function fills, a sequence,
 * files. Nothing may change; every trick that the database would have run is refused, each refusal
 * has a receipt that the verifier accepts; ordinary parameterised reads still run.
 */
@SameOnEveryJdk
@ResourceLock(SharedServices.DATABASES)
class SqlReadingEndToEndTest {

    @TempDir
    Path workspace;

    /** A trick: one or more statements sent in a row on one connection. */
    private record Trick(String name, List<String> sql) {
        static Trick of(String name, String... sql) {
            return new Trick(name, List.of(sql));
        }
    }

    /** What the database holds, read by the test itself. */
    private record Snapshot(List<String> notes, List<String> secrets, long audit, Set<String> tables,
                            String sequence, Set<String> files, String settings) {}

    /** Rows no trick may read: the secrets table's, and those of another schema's table named like the readable one. */
    private static final List<String> UNREADABLE = List.of("the launch code", "the private note", "the other-case note");

    /** A table whose name differs from the readable one's in case alone, which the database takes for another table. */
    private static String otherCaseTable(String system) {
        return switch (system) {
            case "postgresql" -> "\"SR_NOTES\"";
            case "h2" -> "\"sr_notes\"";
            case "mariadb" -> "SR_NOTES";
            default -> null; // SQLite: one table whatever the case
        };
    }

    private static final List<String> ORDINARY_READS = List.of(
            "prepared:SELECT body FROM sr_notes WHERE id = ?|2",
            "query:SELECT id, body FROM sr_notes WHERE body = 'first'",
            "query:SELECT COUNT(*), MAX(id) FROM sr_notes",
            "query:SELECT body FROM sr_notes WHERE body = 'it''s -- no comment; DELETE FROM sr_notes'");

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"h2", "sqlite", "postgresql", "mariadb", "h2-mssqlserver", "postgresql-simple"})
    void noTrickWritesEveryRefusalHasAReceiptAndReadsStillRun(String system) throws Exception {
        Path files = Files.createTempDirectory(Path.of(System.getProperty("java.io.tmpdir")), "warden-sqlread-");
        // The database servers write server-side files as their own user: let them, so that only Warden stops it.
        Files.setPosixFilePermissions(files, PosixFilePermissions.fromString("rwxrwxrwx"));
        try {
            Database db = database(system, files);
            // pgjdbc's simple query mode is run for what it alone does: it splices bound values into the text.
            List<Trick> tricks = system.equals("postgresql-simple") ? splicedByPgjdbc() : tricks(db.system, files);
            db.reset();
            Snapshot baseline = db.snapshot();

            Set<String> real = new TreeSet<>();
            for (Trick trick : tricks) {
                db.runWithoutWarden(trick);
                if (!db.snapshot().equals(baseline)) {
                    real.add(trick.name());
                    db.reset();
                }
            }
            assertThat(real).as("tricks %s really executes", system).containsAll(expectedReal(system));

            List<String> arguments = new ArrayList<>(List.of(db.hostUrl, db.user, ""));
            arguments.addAll(ORDINARY_READS);
            List<String> trickOfStep = new ArrayList<>(ORDINARY_READS.stream().map(read -> "").toList());
            for (Trick trick : tricks) {
                for (String sql : trick.sql()) {
                    arguments.add(sql.startsWith("prepared:") ? sql : "execute:" + sql);
                    trickOfStep.add(trick.name());
                }
            }
            Receipts store = Receipts.in(workspace);
            HostJvm.Result host = HostJvm.withAgent(store.agentArguments()).withRules("sql-least-privilege")
                    .run(JdbcHost.class, arguments);

            assertThat(host.lines()).as(host.toString()).contains("DONE");
            assertThat(host.step(0)).isEqualTo("OK step=0 rows=1 first=body=second");
            assertThat(host.step(1)).startsWith("OK step=1 rows=1 first=id=1,body=first");
            assertThat(host.step(2)).startsWith("OK step=2 rows=1 ");
            assertThat(host.step(3)).isEqualTo("OK step=3 rows=0 first=");
            List<String> passed = new ArrayList<>();
            for (int step = ORDINARY_READS.size(); step < trickOfStep.size(); step++) {
                String line = host.step(step);
                if (real.contains(trickOfStep.get(step))) {
                    assertThat(line).as("trick '%s' runs on %s", trickOfStep.get(step), system)
                            .startsWith("DENIED step=" + step + " state=42501");
                }
                if (!line.startsWith("DENIED")) {
                    passed.add(trickOfStep.get(step) + ": " + line);
                }
            }
            assertThat(db.snapshot()).as("what %s holds after the host ran (permitted: %s)", system, passed)
                    .isEqualTo(baseline);
            for (String unreadable : UNREADABLE) {
                assertThat(host.lines()).as("what the host read on %s (permitted: %s)", system, passed)
                        .noneMatch(line -> line.contains(unreadable));
            }

            List<Receipt> receipts = store.all();
            List<String> refusals = host.lines().stream().filter(line -> line.startsWith("DENIED")).toList();
            assertThat(refusals).isNotEmpty();
            for (String refusal : refusals) {
                String id = refusal.replaceAll(".*\\(receipt ([0-9a-f-]+)\\)$", "$1");
                assertThat(receipts).as("the receipt of %s", refusal).anySatisfy(receipt -> {
                    assertThat(receipt.id()).isEqualTo(id);
                    assertThat(receipt.surface()).isEqualTo("jdbc");
                    assertThat(receipt.outcome()).isIn("DENY", "SILENCE");
                });
            }
            // One receipt per trick, besides the busy-timeout PRAGMA the SQLite driver sets itself.
            assertThat(receipts).filteredOn(receipt -> receipt.surface().equals("jdbc")
                            && !receipt.summary().getOrDefault("sql.shape", "").toLowerCase(java.util.Locale.ROOT).startsWith("pragma busy_timeout"))
                    .hasSize(trickOfStep.size());
            assertThat(store.verify().exitCode()).isZero();
        } finally {
            try (Stream<Path> walk = Files.walk(files)) {
                walk.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            }
        }
    }

    /**
     * Found by a thirteenth review (2026-12-08): pgjdbc told {@code reWriteBatchedInserts=true} sends a batch of a prepared
     * insert as one insert that repeats, once per row, the list its own lexer took for the VALUES list; that lexer ends a
     * comment at the / of /&#42;/, where PostgreSQL reads on, so a list the single statement held in a comment and a
     * string ran once batched: a row of another table was inserted under a permit to insert into sr_notes alone.
     */
    @org.junit.jupiter.api.Test
    void aBatchOfInsertsPgjdbcRewritesCopiesNoListTheDatabaseReadsAnotherWay() throws Exception {
        Path files = Files.createTempDirectory(Path.of(System.getProperty("java.io.tmpdir")), "warden-sqlread-");
        try {
            Database db = new Database("postgresql", "jdbc:postgresql://127.0.0.1:5432/test?reWriteBatchedInserts=true",
                    "postgres", files);
            String ordinary = "INSERT INTO sr_notes (id, body) VALUES (?, 'batched')";
            String copied = "INSERT INTO sr_notes (id, body) VALUES (?, 'batched' /*/ ) , ( 'x' ) */ ) , "
                    + "( 9, '*/ ), (8, (SELECT secret FROM sr_secrets)) -- ' )";
            db.reset();
            try (Connection connection = db.connect(); java.sql.PreparedStatement batch = connection.prepareStatement(copied)) {
                for (int id : new int[] {6, 7}) {
                    batch.setInt(1, id);
                    batch.addBatch();
                }
                batch.executeBatch();
            }
            assertThat(db.snapshot().notes()).as("without Warden, the batch inserts a secret").contains("8|the launch code");
            db.reset();
            List<String> before = db.snapshot().notes();

            Receipts store = Receipts.in(workspace);
            HostJvm.Result host = HostJvm.withAgent(store.agentArguments()).withRules("sql-batched-inserts")
                    .run(JdbcHost.class, List.of(db.hostUrl, db.user, "", "prepared-batch:" + ordinary + "|4|5",
                            "prepared-batch:" + copied + "|6|7"));

            assertThat(host.lines()).as(host.toString()).contains("DONE");
            assertThat(host.step(0)).isEqualTo("OK step=0 batch=2");
            assertThat(host.step(1)).startsWith("DENIED step=1 state=42501");
            List<String> after = new ArrayList<>(before);
            after.addAll(3, List.of("4|batched", "5|batched"));
            assertThat(db.snapshot().notes()).isEqualTo(after);
            String id = host.step(1).replaceAll(".*\\(receipt ([0-9a-f-]+)\\)$", "$1");
            assertThat(store.all()).anySatisfy(receipt -> {
                assertThat(receipt.id()).isEqualTo(id);
                assertThat(receipt.outcome()).isIn("DENY", "SILENCE");
            });
            assertThat(store.verify().exitCode()).isZero();
        } finally {
            Files.deleteIfExists(files);
        }
    }

    /** Tricks each database is known to execute (checked above without Warden, so the test proves something). */
    private static List<String> expectedReal(String system) {
        return switch (system) {
            case "h2" -> List.of("nested comment", "H2 // comment", "--x comment", "MySQL code comment, a comment elsewhere",
                    "versioned comment", "backtick name", "stacked", "EXPLAIN ANALYZE", "create table as",
                    "FILE_WRITE", "CSVWRITE", "RUNSCRIPT", "SCRIPT TO", "U+FEFF before $$", "a call named like an alias, in SUBSTRING",
                    "E string a quote ends", "a control character before $$");
            case "sqlite" -> List.of("ATTACH", "VACUUM INTO", "create table as");
            case "postgresql" -> List.of("nested comment", "--x comment", "MySQL code comment, a comment elsewhere",
                    "versioned comment", "E string", "stacked", "data-modifying CTE", "EXPLAIN ANALYZE",
                    "create table as", "SELECT INTO", "DO block", "COPY TO PROGRAM", "COPY TO file",
                    "function that writes", "function in where", "function in a window", "sequence",
                    "PREPARE/EXECUTE", "U+FEFF before $$", "a call named like an alias, in SUBSTRING",
                    "a sequence named like an alias, in SUBSTRING", "functional notation", "functional notation on a parameter",
                    "functional notation on a query", "a placeholder joined to a name");
            case "mariadb" -> List.of("# comment", "backslash in a string", "backslash in a \"string\"",
                    "$a$ is a name", "versioned comment", "backtick name", "stacked", "create table as",
                    "INTO OUTFILE", "function that writes", "function in where", "function in a window",
                    "PREPARE/EXECUTE", "SET GLOBAL after a read", "a comment nested in a skipped versioned comment",
                    "code comment in a code comment", "BEGIN NOT ATOMIC", "a call named like an alias, in SUBSTRING",
                    "a line comment a carriage return ends", "# comment a carriage return ends", "a value spliced into a string");
            case "h2-mssqlserver" -> List.of("nested comment", "H2 // comment", "--x comment", "[name]", "stacked",
                    "E string a quote ends", "a control character before $$", "# in a name before $$");
            case "postgresql-simple" -> List.of("a value spliced into a comment", "stacked");
            default -> throw new IllegalArgumentException(system);
        };
    }

    /** A prepared statement ({@code prepared:SQL|value}) whose one value MariaDB Connector/J splices where the server reads a string. */
    private static final String SPLICED = "prepared:SELECT body FROM sr_notes WHERE body = 1 --'A\nOR body = ? OR body = ' OR body = ' "
            + "OR body = '|";

    /** A prepared statement whose one value pgjdbc, in its simple query mode, splices where PostgreSQL reads a comment. */
    private static final String SPLICED_INTO_A_COMMENT = "prepared:SELECT body FROM sr_notes /*/ WHERE body = ? */|";

    /**
     * Found by a thirteenth review (2026-12-08): pgjdbc told {@code preferQueryMode=simple} splices each bound value where
     * its own lexer finds a ?, and that lexer closes a comment at the / of /&#42;/, where PostgreSQL reads on: the value's
     * own *&#47; ends the server's comment, and the value runs as SQL.
     */
    private static List<Trick> splicedByPgjdbc() {
        return List.of(
                Trick.of("a value spliced into a comment", SPLICED_INTO_A_COMMENT + "*/; DELETE FROM sr_notes; --"),
                Trick.of("a value spliced into a comment, a read", SPLICED_INTO_A_COMMENT
                        + "*/ WHERE id < 0 UNION SELECT secret FROM sr_secrets --"),
                Trick.of("stacked", "SELECT body FROM sr_notes ; DELETE FROM sr_notes"));
    }

    private List<Trick> tricks(String system, Path files) throws Exception {
        List<Trick> tricks = new ArrayList<>(List.of(
                Trick.of("nested comment", "SELECT body FROM sr_notes /* /* */ ' */ ; DELETE FROM sr_notes; -- '"),
                Trick.of("H2 // comment", "SELECT body FROM sr_notes // '\n; DELETE FROM sr_notes; -- '"),
                Trick.of("# comment", "SELECT body FROM sr_notes # '\n; DELETE FROM sr_notes; -- '"),
                Trick.of("--x comment", "SELECT body FROM sr_notes --'\n; DELETE FROM sr_notes; -- '"),
                Trick.of("backslash in a string", "SELECT body FROM sr_notes WHERE body = 'a\\'' ; DELETE FROM sr_notes; -- '"),
                Trick.of("backslash in a \"string\"", "SELECT body FROM sr_notes WHERE body = \"a\\\"\" ; DELETE FROM sr_notes; -- \""),
                Trick.of("$a$ is a name", "SELECT body AS $a$ FROM sr_notes ; DELETE FROM sr_notes; SELECT $a$"),
                Trick.of("MySQL code comment, a comment elsewhere", "SELECT body FROM sr_notes /*! ' */ ; DELETE FROM sr_notes; -- ' */"),
                Trick.of("versioned comment", "SELECT body FROM sr_notes /*!99999 ' */ ; DELETE FROM sr_notes; -- ' */"),
                Trick.of("backtick name", "SELECT body AS ` ' ` FROM sr_notes ; DELETE FROM sr_notes; -- '"),
                Trick.of("E string", "SELECT E'\\'' AS body FROM sr_notes ; DELETE FROM sr_notes; -- '"),
                Trick.of("[name]", "SELECT body [ ' ] FROM sr_notes ; DELETE FROM sr_notes; -- '"),
                Trick.of("full-width semicolon", "SELECT body FROM sr_notes ； DELETE FROM sr_notes"),
                Trick.of("stacked", "SELECT body FROM sr_notes ; DELETE FROM sr_notes"),
                Trick.of("data-modifying CTE", "WITH gone AS (DELETE FROM sr_notes RETURNING *) SELECT * FROM gone"),
                Trick.of("EXPLAIN ANALYZE", "EXPLAIN ANALYZE DELETE FROM sr_notes"),
                Trick.of("create table as", "CREATE TABLE sr_copy AS SELECT * FROM sr_notes"),
                Trick.of("SELECT INTO", "SELECT * INTO sr_copy FROM sr_notes"),
                Trick.of("FOR UPDATE", "SELECT body FROM sr_notes FOR UPDATE")));
        // Reads of what the policy does not permit, checked in what the host printed (nothing in the database changes):
        // another schema's table named like the readable one, and a read redirected by a statement stacked after one.
        if (!system.equals("sqlite")) {
            tricks.add(Trick.of("another schema's table", "SELECT body FROM sr_private.sr_notes"));
        }
        switch (system) {
            case "h2" -> tricks.addAll(List.of(
                    Trick.of("SET SCHEMA after a read", "SELECT body FROM sr_notes; SET SCHEMA sr_private", "SELECT body FROM sr_notes"),
                    Trick.of("SET from a subquery after a read", "SELECT body FROM sr_notes; SET @x = (SELECT secret FROM sr_secrets)",
                            "SELECT @x AS body FROM sr_notes")));
            case "postgresql" -> tricks.add(Trick.of("SET search_path after a read",
                    "SELECT body FROM sr_notes; SET search_path = sr_private", "SELECT body FROM sr_notes"));
            case "mariadb" -> tricks.addAll(List.of(
                    Trick.of("USE after a read", "SELECT body FROM sr_notes; USE sr_private", "SELECT body FROM sr_notes"),
                    Trick.of("SET from a subquery after a read", "SELECT body FROM sr_notes; SET @x = (SELECT secret FROM sr_secrets)",
                            "SELECT @x AS body FROM sr_notes"),
                    Trick.of("SET GLOBAL after a read",
                            "SELECT body FROM sr_notes; SET GLOBAL max_connections = @@GLOBAL.max_connections + 1")));
            default -> { }
        }
        // Found by a review (2026-12-06): each ran on its database before Warden read it as the database does.
        switch (system) {
            case "h2", "postgresql" -> tricks.add(Trick.of("U+FEFF before $$",
                    "SELECT id LIKE\uFEFF$$ FROM sr_notes; DELETE FROM sr_notes; SELECT id LIKE\uFEFF$$ FROM sr_notes"));
            case "mariadb" -> tricks.addAll(List.of(
                    Trick.of("a comment nested in a skipped versioned comment",
                            "SELECT body FROM sr_notes /*!99999 /* */ WHERE body <> ' */; DELETE FROM sr_notes -- '"),
                    Trick.of("code comment in a code comment", "SELECT body FROM sr_notes WHERE id > 8 /*! /*! UNION SELECT body "
                            + "FROM sr_notes INTO OUTFILE '" + files.resolve("nested-outfile.txt") + "' */"),
                    Trick.of("BEGIN NOT ATOMIC",
                            "/*!BEGIN NOT ATOMIC REPLACE INTO sr_notes VALUES (9, 'x'); */ SELECT body FROM sr_notes; /*! END */"),
                    Trick.of("code comment in a code comment, a read",
                            "SELECT body FROM sr_notes WHERE id > 8 /*! /*! UNION SELECT secret FROM sr_secrets */"),
                    Trick.of("a CTE named like a table", "SELECT secret AS body FROM sr_secrets "
                            + "WHERE EXISTS (WITH sr_secrets AS (SELECT 1 AS x) SELECT x FROM sr_secrets)")));
            case "sqlite" -> tricks.addAll(List.of(
                    Trick.of("$name(...) parameter", "SELECT $a::VARCHAR(') AS body FROM sr_notes "
                            + "UNION SELECT secret FROM sr_secrets ORDER BY 1 DESC -- ') FROM sr_notes"),
                    Trick.of("@name(...) parameter", "SELECT @a::VARCHAR(') AS body FROM sr_notes "
                            + "UNION SELECT secret FROM sr_secrets ORDER BY 1 DESC -- ') FROM sr_notes")));
            default -> { }
        }
        switch (system) {
            case "postgresql" -> tricks.addAll(List.of(
                    Trick.of("//* before a second parse", "SELECT CAST(id AS VARCHAR(10)) AS body FROM sr_notes WHERE id > 8 //* c */ 16 "
                            + "UNION SELECT CAST(secret AS VARCHAR(100)) FROM sr_secrets"),
                    Trick.of("a CTE named like a table", "SELECT secret AS body FROM sr_secrets UNION ALL "
                            + "(WITH sr_secrets AS (SELECT body AS secret FROM sr_notes) SELECT secret FROM sr_secrets)"),
                    Trick.of("a CTE over the table of its name", "WITH sr_secrets AS (SELECT * FROM sr_secrets) "
                            + "SELECT s.secret AS body FROM sr_notes p, sr_secrets s")));
            case "mariadb" -> tricks.addAll(List.of(Trick.of("a CTE over the table of its name", "WITH sr_secrets AS "
                    + "(SELECT * FROM sr_secrets) SELECT s.secret AS body FROM sr_notes p, sr_secrets s"), Trick.of("//* before a second parse", "SELECT CAST(id AS CHAR(10)) AS body FROM sr_notes "
                    + "WHERE id > 8 //* c */ 16 UNION SELECT CAST(secret AS CHAR(100)) FROM sr_secrets")));
            default -> { }
        }
        // Found by a second review (2026-12-06): names in another case, queries and calls where JSqlParser's walk does not go.
        if (otherCaseTable(system) != null) {
            tricks.add(Trick.of("a table named in another case", "SELECT body FROM " + otherCaseTable(system)));
        }
        switch (system) {
            case "h2" -> tricks.addAll(List.of(
                    Trick.of("a query in SUBSTRING's FROM", "SELECT SUBSTRING((SELECT secret FROM sr_secrets LIMIT 1) FROM 1 FOR 100) "
                            + "AS body FROM sr_notes LIMIT 1"),
                    Trick.of("a query in JSON_OBJECT", "SELECT JSON_OBJECT('k' : (SELECT secret FROM sr_secrets LIMIT 1)) AS body "
                            + "FROM sr_notes LIMIT 1"),
                    Trick.of("a call named like an alias, in SUBSTRING", "SELECT SUBSTRING(body FROM FILE_WRITE('x', '"
                            + files.resolve("hidden_file_write.txt") + "')) AS body FROM sr_notes FILE_WRITE LIMIT 1"),
                    // H2 reads the table a CTE is named like, not the CTE.
                    Trick.of("a CTE named like a table", "WITH sr_secrets AS (SELECT id, body AS secret FROM sr_notes) "
                            + "SELECT secret AS body FROM sr_secrets")));
            case "postgresql" -> tricks.addAll(List.of(
                    Trick.of("a query in SUBSTRING's FROM", "SELECT SUBSTRING((SELECT secret FROM sr_secrets LIMIT 1) FROM 1 FOR 100) "
                            + "AS body FROM sr_notes LIMIT 1"),
                    Trick.of("a query in OVERLAY", "SELECT OVERLAY((SELECT secret FROM sr_secrets LIMIT 1) PLACING '' FROM 1 FOR 0) "
                            + "AS body FROM sr_notes LIMIT 1"),
                    Trick.of("a call named like an alias, in SUBSTRING", "SELECT SUBSTRING(body FROM sr_bump()) AS body "
                            + "FROM sr_notes sr_bump"),
                    Trick.of("a sequence named like an alias, in SUBSTRING", "SELECT SUBSTRING(body FROM nextval('sr_seq')::int) "
                            + "AS body FROM sr_notes nextval")));
            case "mariadb" -> tricks.addAll(List.of(
                    Trick.of("a query in SUBSTRING's FROM", "SELECT SUBSTRING((SELECT secret FROM sr_secrets LIMIT 1) FROM 1 FOR 100) "
                            + "AS body FROM sr_notes LIMIT 1"),
                    Trick.of("a call named like an alias, in SUBSTRING", "SELECT SUBSTRING(body FROM sr_bump()) AS body "
                            + "FROM sr_notes sr_bump")));
            default -> { }
        }
        // Found by a seventh review (2026-12-07): MariaDB and SQLite read a line comment on over a lone carriage return,
        // which ended it to Warden, so the quote after it hid the rest from Warden alone; H2 ends E'...' at the first lone
        // quote (it decodes the backslashes after), and takes a control character Java ignores in names into one, as its
        // MSSQLServer and Oracle modes take a #: a $$ after either opened a string to Warden alone.
        tricks.addAll(List.of(
                Trick.of("a line comment a carriage return ends",
                        "SELECT body FROM sr_notes WHERE body = -- \r'\nbody OR body = ' OR body = ' ; DELETE FROM sr_notes; -- '"),
                Trick.of("a line comment a carriage return ends, a read", "SELECT body FROM sr_notes WHERE body = -- \r'\n"
                        + "NULL OR body = ' OR body = ' UNION SELECT secret FROM sr_secrets -- '"),
                Trick.of("E string a quote ends", "SELECT body FROM sr_notes WHERE body = E'\\'; DELETE FROM sr_notes; -- '")));
        switch (system) {
            case "h2" -> tricks.addAll(List.of(Trick.of("a control character before $$",
                            "SELECT id LIKE\001$$ FROM sr_notes; DELETE FROM sr_notes; SELECT id LIKE\001$$ FROM sr_notes"),
                    Trick.of("# in a name before $$", "SELECT id #$$ FROM sr_notes; DELETE FROM sr_notes; SELECT id #$$ FROM sr_notes")));
            case "mariadb" -> tricks.addAll(List.of(Trick.of("# comment a carriage return ends",
                            "SELECT body FROM sr_notes WHERE body = # \r'\nbody OR body = ' OR body = ' ; DELETE FROM sr_notes; -- '"),
                    // Connector/J splices a prepared statement's values where its own lexer finds a ?: --' is a comment
                    // to it and code to the server, so the value lands in what the server reads as a string, and runs.
                    Trick.of("a value spliced into a string", SPLICED + "AND 0; DELETE FROM sr_notes; SELECT body FROM sr_notes WHERE body <>"),
                    Trick.of("a value spliced into a string, a read", SPLICED + "AND 0 UNION SELECT secret FROM sr_secrets WHERE secret <>")));
            default -> { }
        }
        switch (system) {
            case "h2" -> {
                Path script = workspace.resolve("evil.sql");
                Files.writeString(script, "DELETE FROM sr_notes;\n");
                tricks.addAll(List.of(
                        Trick.of("FILE_WRITE", "SELECT FILE_WRITE('x', '" + files.resolve("file_write.txt") + "') FROM sr_notes"),
                        Trick.of("CSVWRITE", "SELECT CSVWRITE('" + files.resolve("csvwrite.csv") + "', 'SELECT * FROM sr_notes') FROM sr_notes"),
                        Trick.of("FILE_READ", "SELECT FILE_READ('/etc/hostname') FROM sr_notes"),
                        Trick.of("SCRIPT TO", "SCRIPT TO '" + files.resolve("script.sql") + "'"),
                        Trick.of("RUNSCRIPT", "RUNSCRIPT FROM '" + script + "'"),
                        Trick.of("LINK_SCHEMA", "SELECT * FROM sr_notes WHERE id = (SELECT COUNT(*) FROM LINK_SCHEMA('SR_LINKED', '', 'jdbc:h2:mem:sr_other', 'sa', '', 'PUBLIC'))")));
            }
            case "sqlite" -> tricks.addAll(List.of(
                    Trick.of("ATTACH", "ATTACH DATABASE '" + files.resolve("attached.db") + "' AS evil"),
                    Trick.of("VACUUM INTO", "VACUUM INTO '" + files.resolve("vacuum.db") + "'"),
                    Trick.of("load_extension", "SELECT load_extension('/nonexistent/evil') FROM sr_notes")));
            case "postgresql" -> tricks.addAll(List.of(
                    Trick.of("DO block", "DO $$ BEGIN DELETE FROM sr_notes; END $$"),
                    Trick.of("COPY TO PROGRAM", "COPY sr_notes TO PROGRAM 'touch " + files.resolve("program") + "'"),
                    Trick.of("COPY TO file", "COPY (SELECT body FROM sr_notes) TO '" + files.resolve("copy.txt") + "'"),
                    Trick.of("function that writes", "SELECT sr_bump() FROM sr_notes"),
                    Trick.of("function in where", "SELECT body FROM sr_notes WHERE id = sr_bump()"),
                    Trick.of("function in a window", "SELECT sum(id) OVER (PARTITION BY sr_bump()) FROM sr_notes"),
                    Trick.of("sequence", "SELECT nextval('sr_seq') FROM sr_notes"),
                    Trick.of("server file", "SELECT pg_read_file('/etc/hostname') FROM sr_notes"),
                    Trick.of("sleep", "SELECT pg_sleep(0) FROM sr_notes"),
                    Trick.of("PREPARE/EXECUTE", "PREPARE wipe AS DELETE FROM sr_notes", "EXECUTE wipe"),
                    // Found by the ninth review's second round (2026-12-07): (x).f is f(x) to PostgreSQL, no parenthesis
                    // after the name; ('/etc/passwd'::text).pg_read_file reads a server file the same way.
                    Trick.of("functional notation", "SELECT (body).sr_bump FROM sr_notes"),
                    Trick.of("functional notation on a parameter", "prepared:SELECT ?.sr_bump AS body FROM sr_notes|x"),
                    Trick.of("functional notation on a query", "SELECT (SELECT body FROM sr_notes WHERE id = 1).sr_bump AS body"),
                    // Found by the twelfth review (2026-12-07): pgjdbc sends the ? as $1, which joins the name before it,
                    // v$1$$, so the server reads as code what every reading of the text takes for a $$ string.
                    Trick.of("a placeholder joined to a name",
                            "prepared:SELECT v?$$ FROM (SELECT sr_bump() AS U&\"v\\00241\\0024\\0024\") s --$$ FROM sr_notes|x"),
                    Trick.of("a placeholder joined to a name, a read",
                            "prepared:SELECT v?$$ FROM (SELECT secret AS U&\"v\\00241\\0024\\0024\" FROM sr_secrets) s --$$ FROM sr_notes|x")));
            case "mariadb" -> tricks.addAll(List.of(
                    Trick.of("function that writes", "SELECT sr_bump() FROM sr_notes"),
                    Trick.of("function in where", "SELECT body FROM sr_notes WHERE id = sr_bump()"),
                    Trick.of("function in a window", "SELECT sum(id) OVER (PARTITION BY sr_bump()) FROM sr_notes"),
                    Trick.of("INTO OUTFILE", "SELECT body FROM sr_notes INTO OUTFILE '" + files.resolve("outfile.txt") + "'"),
                    Trick.of("server file", "SELECT LOAD_FILE('/etc/hostname') FROM sr_notes"),
                    Trick.of("sleep", "SELECT SLEEP(0) FROM sr_notes"),
                    Trick.of("PREPARE/EXECUTE", "PREPARE wipe FROM 'DELETE FROM sr_notes'", "EXECUTE wipe")));
            default -> throw new IllegalArgumentException(system);
        }
        return tricks;
    }

    private Database database(String system, Path files) {
        return switch (system) {
            case "h2" -> new Database(system, "jdbc:h2:file:" + workspace.resolve("sr") + ";DB_CLOSE_DELAY=0", "sa", files);
            // H2 as an application ported from SQL Server runs it: [names], and # in names, where $$ then opens no string.
            case "h2-mssqlserver" -> new Database("h2", "jdbc:h2:file:" + workspace.resolve("sr") + ";DB_CLOSE_DELAY=0;MODE=MSSQLServer",
                    "sa", files);
            case "sqlite" -> new Database(system, "jdbc:sqlite:" + workspace.resolve("sr.db"), "", files);
            case "postgresql" -> new Database(system, "jdbc:postgresql://127.0.0.1:5432/test", "postgres", files);
            // An application behind a transaction pooler (PgBouncer) tells pgjdbc to send no server-side prepared statements.
            case "postgresql-simple" -> new Database("postgresql", "jdbc:postgresql://127.0.0.1:5432/test?preferQueryMode=simple",
                    "postgres", files);
            // The application lets its driver send several statements at once: the database then runs them all.
            case "mariadb" -> new Database(system, "jdbc:mariadb://127.0.0.1:3306/test?allowMultiQueries=true", "root", files);
            default -> throw new IllegalArgumentException(system);
        };
    }

    /** The test's own view of one database, through its own connections (no agent in this JVM). */
    private static final class Database {
        final String system;
        final String hostUrl;
        final String user;
        final Path files;
        private String maxConnections; // MariaDB's, as this run found it: a trick raises it, the reset puts it back

        Database(String system, String url, String user, Path files) {
            this.system = system;
            this.hostUrl = url;
            this.user = user;
            this.files = files;
        }

        Connection connect() throws SQLException {
            return DriverManager.getConnection(hostUrl, user, "");
        }

        void reset() throws Exception {
            List<String> setup = new ArrayList<>();
            if (system.equals("h2")) {
                setup.add("DROP SCHEMA IF EXISTS SR_LINKED CASCADE");
            }
            for (String table : List.of("sr_notes", "sr_secrets", "sr_audit", "sr_copy")) {
                setup.add("DROP TABLE IF EXISTS " + table);
            }
            setup.addAll(List.of(
                    "CREATE TABLE sr_notes (id INT PRIMARY KEY, body VARCHAR(100))",
                    "INSERT INTO sr_notes VALUES (1, 'first'), (2, 'second'), (3, 'third')",
                    "CREATE TABLE sr_secrets (id INT, secret VARCHAR(100))",
                    "INSERT INTO sr_secrets VALUES (1, 'the launch code')",
                    "CREATE TABLE sr_audit (what VARCHAR(100))"));
            if (!system.equals("sqlite")) {
                setup.addAll(List.of(system.equals("mariadb") ? "CREATE DATABASE IF NOT EXISTS sr_private"
                                : "CREATE SCHEMA IF NOT EXISTS sr_private",
                        "DROP TABLE IF EXISTS sr_private.sr_notes",
                        "CREATE TABLE sr_private.sr_notes (id INT PRIMARY KEY, body VARCHAR(100))",
                        "INSERT INTO sr_private.sr_notes VALUES (1, 'the private note')"));
            }
            if (otherCaseTable(system) != null) {
                setup.addAll(List.of("DROP TABLE IF EXISTS " + otherCaseTable(system),
                        "CREATE TABLE " + otherCaseTable(system) + " (id INT PRIMARY KEY, body VARCHAR(100))",
                        "INSERT INTO " + otherCaseTable(system) + " VALUES (1, 'the other-case note')"));
            }
            if (system.equals("mariadb")) {
                try (Connection connection = connect()) {
                    if (maxConnections == null) {
                        maxConnections = rows(connection, "SELECT @@GLOBAL.max_connections").get(0);
                    }
                }
                setup.add("SET GLOBAL max_connections = " + maxConnections);
            }
            if (system.equals("postgresql")) {
                setup.addAll(List.of("DROP SEQUENCE IF EXISTS sr_seq", "CREATE SEQUENCE sr_seq",
                        "CREATE OR REPLACE FUNCTION sr_bump() RETURNS int LANGUAGE sql AS "
                                + "$$ INSERT INTO sr_audit VALUES ('bump'); SELECT 1 $$",
                        // the same with an argument, for (x).sr_bump: PostgreSQL's functional notation
                        "CREATE OR REPLACE FUNCTION sr_bump(x text) RETURNS text LANGUAGE sql AS "
                                + "$$ INSERT INTO sr_audit VALUES ('bump'); SELECT x $$",
                        "DEALLOCATE ALL"));
            }
            if (system.equals("mariadb")) {
                setup.addAll(List.of("DROP FUNCTION IF EXISTS sr_bump",
                        "CREATE FUNCTION sr_bump() RETURNS INT MODIFIES SQL DATA "
                                + "BEGIN INSERT INTO sr_audit VALUES ('bump'); RETURN 1; END"));
            }
            try (Connection connection = connect(); Statement statement = connection.createStatement()) {
                for (String sql : setup) {
                    statement.execute(sql);
                }
            }
            try (Stream<Path> listed = Files.list(files)) {
                for (Path file : listed.toList()) {
                    Files.delete(file);
                }
            }
        }

        void runWithoutWarden(Trick trick) throws SQLException {
            try (Connection connection = connect()) {
                for (String sql : trick.sql()) {
                    try {
                        if (sql.startsWith("prepared:")) {
                            String[] sqlAndValues = sql.substring("prepared:".length()).split("\\|");
                            try (java.sql.PreparedStatement statement = connection.prepareStatement(sqlAndValues[0])) {
                                for (int i = 1; i < sqlAndValues.length; i++) {
                                    statement.setString(i, sqlAndValues[i]);
                                }
                                statement.execute();
                            }
                        } else {
                            try (Statement statement = connection.createStatement()) {
                                statement.execute(sql);
                            }
                        }
                    } catch (SQLException e) {
                        // what the database refuses by itself is no trick on it
                    }
                }
            }
        }

        Snapshot snapshot() throws Exception {
            try (Connection connection = connect()) {
                Set<String> tables = new TreeSet<>();
                try (ResultSet listed = connection.getMetaData().getTables(null, null, "%", null)) {
                    while (listed.next()) {
                        String name = listed.getString("TABLE_NAME");
                        if (name.toLowerCase(java.util.Locale.ROOT).startsWith("sr_")) {
                            tables.add(listed.getString("TABLE_SCHEM") + "." + name.toLowerCase(java.util.Locale.ROOT));
                        }
                    }
                }
                String sequence = system.equals("postgresql")
                        ? rows(connection, "SELECT last_value || ':' || is_called FROM sr_seq").toString() : "";
                Set<String> written = new TreeSet<>();
                try (Stream<Path> listed = Files.list(files)) {
                    listed.forEach(file -> written.add(file.getFileName().toString()));
                }
                String settings = system.equals("mariadb") ? rows(connection, "SELECT @@GLOBAL.max_connections").toString() : "";
                return new Snapshot(rows(connection, "SELECT id, body FROM sr_notes ORDER BY id"),
                        rows(connection, "SELECT id, secret FROM sr_secrets ORDER BY id"),
                        Long.parseLong(rows(connection, "SELECT COUNT(*) FROM sr_audit").get(0)), tables, sequence, written,
                        settings);
            }
        }

        private static List<String> rows(Connection connection, String sql) throws SQLException {
            List<String> rows = new ArrayList<>();
            try (Statement statement = connection.createStatement(); ResultSet results = statement.executeQuery(sql)) {
                int columns = results.getMetaData().getColumnCount();
                while (results.next()) {
                    StringBuilder row = new StringBuilder();
                    for (int column = 1; column <= columns; column++) {
                        row.append(column > 1 ? "|" : "").append(results.getString(column));
                    }
                    rows.add(row.toString());
                }
            }
            return rows;
        }
    }
}
