package io.appdb.operator.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.appdb.operator.testing.MariaDbServer;
import io.appdb.operator.testing.PostgresServer;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Proves {@link SqlQuoting} complete against real servers: hostile strings come back unchanged, and
 * accounts with hostile names and passwords can be created and logged in to.
 */
class SqlQuotingIT {

  private static final List<String> HOSTILE_LITERALS =
      List.of(
          "it's",
          "''",
          "\\",
          "\\'",
          "a\\'; SELECT 1; --",
          "trailing\\",
          "\\\\'\\",
          "\"double\"",
          "`back`tick`",
          "%_%_",
          "*/ /* -- #",
          "$$ $tag$ $$",
          "\u2018\u2019\u201C\u201D\u02BC\uFF07\uFF02",
          "日本語のテキスト",
          "emoji 🙂🚀",
          "\u00FF\u00A0\u0130\u212A",
          "x' OR '1'='1");

  /** BMP only: MySQL identifiers cannot hold supplementary characters. */
  private static final List<String> HOSTILE_IDENTIFIERS =
      List.of(
          "it's",
          "a\"b",
          "a`b",
          "back\\slash",
          "semi;colon -- x",
          "%_",
          "*/",
          "\u2019quote\u201D",
          "日本語");

  private static final String HOSTILE_PASSWORD = "p'w\"d`\\';--%_*/ \\x27";

  @Test
  void postgresLiteralsRoundTripWhateverTheStringMode() throws SQLException {
    PostgresServer pg = PostgresServer.shared(17);
    try (Connection c = pg.superuser();
        Statement s = c.createStatement()) {
      for (String mode : List.of("on", "off")) {
        s.execute("SET standard_conforming_strings = " + mode);
        s.execute("SET escape_string_warning = off");
        for (String hostile : HOSTILE_LITERALS) {
          assertThat(selectString(s, "SELECT " + SqlQuoting.pgLiteral(hostile)))
              .as("literal with standard_conforming_strings=%s", mode)
              .isEqualTo(hostile);
        }
      }
    }
  }

  @Test
  void postgresIdentifiersRoundTrip() throws SQLException {
    try (Connection c = PostgresServer.shared(17).superuser();
        Statement s = c.createStatement()) {
      for (String hostile : HOSTILE_IDENTIFIERS) {
        try (ResultSet rs = s.executeQuery("SELECT 1 AS " + SqlQuoting.pgIdentifier(hostile))) {
          assertThat(rs.getMetaData().getColumnLabel(1)).isEqualTo(hostile);
        }
      }
    }
  }

  @Test
  void postgresRoleWithHostileNameAndPasswordLogsInAndThePasswordIsNeverLogged() {
    PostgresServer pg = PostgresServer.shared(17);
    pg.enableStatementLogging();
    String role = "r\"o'l`e\\; " + System.nanoTime();
    String password = HOSTILE_PASSWORD + " 🙂";
    try (DatabaseEngine engine = DatabaseEngines.open(pg.adminConnection("quoting-pg"))) {
      engine.ensureUser(role, password, 1);
      String version = engine.verifyLogin("postgres", role, password);

      assertThat(version).startsWith("PostgreSQL 17");
      assertThat(pg.serverLog())
          .contains("CREATE ROLE")
          .doesNotContain(password)
          .doesNotContain("p'w");
      engine.dropUser(role);
      assertThat(engine.userExists(role)).isFalse();
    }
  }

  @Test
  void mysqlLiteralsRoundTripUnderNoBackslashEscapes() throws SQLException {
    try (Connection c = MariaDbServer.shared().root();
        Statement s = c.createStatement()) {
      s.execute(
          "SET SESSION sql_mode = CONCAT_WS(',', NULLIF(@@SESSION.sql_mode, ''), 'NO_BACKSLASH_ESCAPES')");
      for (String hostile : HOSTILE_LITERALS) {
        assertThat(selectString(s, "SELECT " + SqlQuoting.mysqlLiteral(hostile)))
            .isEqualTo(hostile);
      }
    }
  }

  /** Why the admin pool sets NO_BACKSLASH_ESCAPES: without it, doubling quotes is not enough. */
  @Test
  void mysqlLiteralsWithBackslashesBreakWithoutNoBackslashEscapes() throws SQLException {
    try (Connection c = MariaDbServer.shared().root();
        Statement s = c.createStatement()) {
      s.execute("SET SESSION sql_mode = REPLACE(@@SESSION.sql_mode, 'NO_BACKSLASH_ESCAPES', '')");
      String hostile = "a\\'; SELECT 1; --";
      Throwable failure =
          catchThrowable(() -> selectString(s, "SELECT " + SqlQuoting.mysqlLiteral(hostile)));
      if (failure == null) {
        assertThat(selectString(s, "SELECT " + SqlQuoting.mysqlLiteral(hostile)))
            .isNotEqualTo(hostile);
      } else {
        assertThat(failure).isInstanceOf(SQLException.class);
      }
    }
  }

  @Test
  void mysqlIdentifiersRoundTrip() throws SQLException {
    try (Connection c = MariaDbServer.shared().root();
        Statement s = c.createStatement()) {
      for (String hostile : HOSTILE_IDENTIFIERS) {
        try (ResultSet rs = s.executeQuery("SELECT 1 AS " + SqlQuoting.mysqlIdentifier(hostile))) {
          assertThat(rs.getMetaData().getColumnLabel(1)).isEqualTo(hostile);
        }
      }
    }
  }

  @Test
  void mysqlUserWithHostileNameAndPasswordLogsIn() {
    MariaDbServer db = MariaDbServer.shared();
    String user = "u'\"`\\;%_" + (System.nanoTime() % 100000);
    try (DatabaseEngine engine = DatabaseEngines.open(db.adminConnection("quoting-mysql"))) {
      engine.ensureUser(user, HOSTILE_PASSWORD, 1);

      assertThat(engine.verifyLogin("", user, HOSTILE_PASSWORD)).contains("MariaDB");
      Throwable wrong = catchThrowable(() -> engine.verifyLogin("", user, HOSTILE_PASSWORD + "x"));
      assertThat(wrong).isInstanceOf(EngineException.class);
      assertThat(((EngineException) wrong).kind()).isEqualTo(EngineException.Kind.LOGIN_FAILED);
      engine.dropUser(user);
      assertThat(engine.userExists(user)).isFalse();
    }
  }

  private static String selectString(Statement s, String sql) throws SQLException {
    try (ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getString(1);
    }
  }
}
