package io.appdb.operator.engine.postgresql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.appdb.operator.engine.Sql;
import org.junit.jupiter.api.Test;
import org.postgresql.util.PasswordUtil;

class PostgresStatementsTest {

  private static final String PASSWORD = "pl4in'text";

  @Test
  void aRoleIsCreatedWithItsVerifierWhichNeverShowsInTheLoggedForm() {
    String verifier = PasswordUtil.encodeScramSha256(PASSWORD.toCharArray());

    Sql sql = PostgresStatements.createRole("app'x", 5, verifier);

    assertThat(sql.isSensitive()).isTrue();
    assertThat(sql.text())
        .startsWith("CREATE ROLE \"app'x\" LOGIN NOSUPERUSER")
        .contains("CONNECTION LIMIT 5 PASSWORD '" + verifier + "'")
        .doesNotContain(PASSWORD);
    assertThat(sql.toString()).endsWith("PASSWORD ***").doesNotContain(verifier);
  }

  @Test
  void aNewPasswordIsSetAsItsVerifierAndRedacted() {
    String verifier = PasswordUtil.encodeScramSha256(PASSWORD.toCharArray());

    Sql sql = PostgresStatements.setPasswordVerifier("app\"user", verifier);

    assertThat(sql.text()).isEqualTo("ALTER ROLE \"app\"\"user\" PASSWORD '" + verifier + "'");
    assertThat(sql.toString()).isEqualTo("ALTER ROLE \"app\"\"user\" PASSWORD ***");
  }

  @Test
  void plaintextIsRefusedWhereAVerifierBelongs() {
    assertThatThrownBy(() -> PostgresStatements.createRole("app", -1, PASSWORD))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageNotContaining(PASSWORD);
    assertThatThrownBy(() -> PostgresStatements.setPasswordVerifier("app", "md5" + PASSWORD))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageNotContaining(PASSWORD);
  }
}
