package io.appdb.operator.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class SqlQuotingTest {

  @ParameterizedTest(name = "pg identifier [{0}]")
  @MethodSource("pgIdentifiers")
  void quotesPostgresIdentifiers(String input, String expected) {
    assertThat(SqlQuoting.pgIdentifier(input)).isEqualTo(expected);
  }

  static Stream<Arguments> pgIdentifiers() {
    return Stream.of(
        Arguments.of("plain", "\"plain\""),
        Arguments.of("Mixed Case", "\"Mixed Case\""),
        Arguments.of("a\"b", "\"a\"\"b\""),
        Arguments.of("\"", "\"\"\"\""),
        Arguments.of("x\"; DROP TABLE t; --", "\"x\"\"; DROP TABLE t; --\""),
        Arguments.of("back\\slash", "\"back\\slash\""),
        Arguments.of("it's", "\"it's\""),
        Arguments.of("`tick`", "\"`tick`\""),
        Arguments.of("*/ /*", "\"*/ /*\""),
        Arguments.of("a_b%", "\"a_b%\""),
        Arguments.of("\u201Cfancy\u201D", "\"\u201Cfancy\u201D\""),
        Arguments.of("\uFF02fullwidth", "\"\uFF02fullwidth\""),
        Arguments.of("日本語🙂", "\"日本語🙂\""));
  }

  @ParameterizedTest(name = "pg literal [{0}]")
  @MethodSource("pgLiterals")
  void quotesPostgresLiterals(String input, String expected) {
    assertThat(SqlQuoting.pgLiteral(input)).isEqualTo(expected);
  }

  static Stream<Arguments> pgLiterals() {
    return Stream.of(
        Arguments.of("", "''"),
        Arguments.of("plain", "'plain'"),
        Arguments.of("it's", "'it''s'"),
        Arguments.of("''", "''''''"),
        Arguments.of("'; DROP ROLE x; --", "'''; DROP ROLE x; --'"),
        Arguments.of("\"dq\"", "'\"dq\"'"),
        Arguments.of("$$dollar$$", "'$$dollar$$'"),
        // A backslash switches to E'' so the meaning does not depend on
        // standard_conforming_strings.
        Arguments.of("a\\b", "E'a\\\\b'"),
        Arguments.of("\\'", "E'\\\\'''"),
        Arguments.of("trailing\\", "E'trailing\\\\'"),
        Arguments.of("\u2018\u2019\u02BC\uFF07", "'\u2018\u2019\u02BC\uFF07'"),
        Arguments.of("日本語🙂", "'日本語🙂'"));
  }

  @ParameterizedTest(name = "mysql identifier [{0}]")
  @MethodSource("mysqlIdentifiers")
  void quotesMySqlIdentifiers(String input, String expected) {
    assertThat(SqlQuoting.mysqlIdentifier(input)).isEqualTo(expected);
  }

  static Stream<Arguments> mysqlIdentifiers() {
    return Stream.of(
        Arguments.of("plain", "`plain`"),
        Arguments.of("a`b", "`a``b`"),
        Arguments.of("`", "````"),
        Arguments.of("x`; DROP DATABASE y; --", "`x``; DROP DATABASE y; --`"),
        Arguments.of("a_b%", "`a_b%`"),
        Arguments.of("back\\slash", "`back\\slash`"),
        Arguments.of("it's \"q\"", "`it's \"q\"`"),
        Arguments.of("\uFF40fullwidth", "`\uFF40fullwidth`"));
  }

  @ParameterizedTest(name = "grant scope [{0}]")
  @CsvSource(
      delimiter = '|',
      value = {
        "plain|`plain`|plain",
        "a_b|`a\\_b`|a\\_b",
        "a%b|`a\\%b`|a\\%b",
        "__%%|`\\_\\_\\%\\%`|\\_\\_\\%\\%",
        "a\\_b|`a\\\\\\_b`|a\\\\\\_b",
        "a`_b|`a``\\_b`|a`\\_b"
      })
  void escapesWildcardsInGrantScope(String database, String scope, String pattern) {
    assertThat(SqlQuoting.mysqlGrantScope(database)).isEqualTo(scope);
    assertThat(SqlQuoting.mysqlGrantPattern(database)).isEqualTo(pattern);
  }

  @ParameterizedTest(name = "mysql literal [{0}]")
  @MethodSource("mysqlLiterals")
  void quotesMySqlLiterals(String input, String expected) {
    assertThat(SqlQuoting.mysqlLiteral(input)).isEqualTo(expected);
  }

  static Stream<Arguments> mysqlLiterals() {
    return Stream.of(
        Arguments.of("", "''"),
        Arguments.of("it's", "'it''s'"),
        Arguments.of("'; DROP USER x; --", "'''; DROP USER x; --'"),
        // Backslashes stay as they are: admin sessions run with NO_BACKSLASH_ESCAPES.
        Arguments.of("a\\b", "'a\\b'"),
        Arguments.of("\\'", "'\\'''"),
        Arguments.of("trailing\\", "'trailing\\'"),
        Arguments.of("`tick` \"dq\"", "'`tick` \"dq\"'"),
        Arguments.of("%_*/", "'%_*/'"),
        Arguments.of("\u2018\u2019\uFF07", "'\u2018\u2019\uFF07'"));
  }

  @Test
  void quotesMySqlAccounts() {
    assertThat(SqlQuoting.mysqlAccount("app_user", "%")).isEqualTo("'app_user'@'%'");
    assertThat(SqlQuoting.mysqlAccount("o'neil", "10.0.%")).isEqualTo("'o''neil'@'10.0.%'");
  }

  @ParameterizedTest(name = "rejects U+{0}")
  @ValueSource(
      strings = {"0000", "0001", "0008", "0009", "000A", "000D", "001B", "007F", "0085", "009F"})
  void rejectsControlCharacters(String codePoint) {
    String hostile = "ab" + (char) Integer.parseInt(codePoint, 16) + "cd";
    for (Function<String, String> quote : allQuoters()) {
      assertThatThrownBy(() -> quote.apply(hostile))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("control character at index 2")
          .hasMessageNotContaining("ab");
    }
  }

  @Test
  void rejectsUnpairedSurrogates() {
    for (String hostile : new String[] {"a\uD83D", "\uDE42b", "a\uDE42\uD83Db"}) {
      for (Function<String, String> quote : allQuoters()) {
        assertThatThrownBy(() -> quote.apply(hostile)).isInstanceOf(IllegalArgumentException.class);
      }
    }
  }

  @Test
  void rejectsEmptyAndNullIdentifiers() {
    assertThatThrownBy(() -> SqlQuoting.pgIdentifier(""))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> SqlQuoting.mysqlIdentifier(""))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> SqlQuoting.mysqlGrantScope(""))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> SqlQuoting.pgLiteral(null))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> SqlQuoting.mysqlLiteral(null))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void sensitiveStatementsAreRedactedWhenPrinted() {
    Sql sql =
        Sql.sensitive(
            "ALTER USER 'u'@'%' IDENTIFIED BY 's3cret'", "ALTER USER 'u'@'%' IDENTIFIED BY ***");

    assertThat(sql.toString()).doesNotContain("s3cret").endsWith("***");
    assertThat(sql.text()).contains("s3cret");
    assertThat(sql.isSensitive()).isTrue();
    assertThat(Sql.of("SELECT 1").toString()).isEqualTo("SELECT 1");
  }

  private static java.util.List<Function<String, String>> allQuoters() {
    return java.util.List.of(
        SqlQuoting::pgIdentifier,
        SqlQuoting::pgLiteral,
        SqlQuoting::mysqlIdentifier,
        SqlQuoting::mysqlLiteral,
        SqlQuoting::mysqlGrantScope,
        s -> SqlQuoting.mysqlAccount("u", s),
        s -> SqlQuoting.mysqlAccount(s, "%"));
  }
}
