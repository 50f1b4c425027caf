package dev.warden.instrumentation.jdbc.sql;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The shape: literals masked, everything else as written. */
class SqlLexerTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '~', value = {
        "SELECT * FROM t WHERE id = $1                   | SELECT * FROM t WHERE id = $1",
        "SELECT arr[1] FROM t                            | SELECT arr[?] FROM t",
                "SELECT a::int[] FROM t                          | SELECT a::int[] FROM t",
        "SELECT * FROM t WHERE a=1AND b=2                | SELECT * FROM t WHERE a=?AND b=?",
        "SELECT * FROM t WHERE a = _utf8mb4'x' AND b = 2  | SELECT * FROM t WHERE a = ? AND b = ?",
        "SELECT * FROM t WHERE a = U&'\\0041'            | SELECT * FROM t WHERE a = ?",
        "SELECT * FROM t WHERE a = 0b101 OR b = 1e10     | SELECT * FROM t WHERE a = ? OR b = ?",
        "SELECT @@version, @v := 1                       | SELECT @@version, @v := ?",
        "SELECT 'a' 'b'                                  | SELECT ? ?",
        "SELECT 1 /*+ hint */ FROM t                     | SELECT ? FROM t",
    })
    void masksLiteralsOnly(String sql, String shape) {
        assertThat(SqlLexer.scan(sql).shape()).isEqualTo(shape);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '~', value = {
        "SELECT 1                          | 1",
        "SELECT 1;                         | 1",
        "SELECT 1;;                        | 1",
        "SELECT 1; SELECT 2                | 2",
        "SELECT ';'; SELECT \";\"          | 2",
        "SELECT /* ; */ 1; SELECT '--;'    | 2",
        "BEGIN; UPDATE t SET a = 1; COMMIT | 3",
    })
    void countsStatements(String sql, int count) {
        assertThat(SqlLexer.scan(sql).statementCount()).isEqualTo(count);
    }
}
