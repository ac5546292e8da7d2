package io.appdb.operator.engine.mysql;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MySqlPasswordHashTest {

  @Test
  void nativePasswordHashMatchesTheServersPasswordFunction() {
    // SELECT PASSWORD('password') on MariaDB / MySQL 5.7
    assertThat(MySqlStatements.nativePasswordHash("password"))
        .isEqualTo("*2470C0C06DEE42FD1618BB99005ADCA2EC9D1E19");
  }

  @Test
  void mariadbGetsTheHashAndNeverThePlaintext() {
    String clause = MySqlStatements.identifiedBy("s3cret-Value", true);
    assertThat(clause).startsWith(" IDENTIFIED BY PASSWORD '*").doesNotContain("s3cret-Value");
    assertThat(MySqlStatements.identifiedBy("s3cret-Value", false))
        .isEqualTo(" IDENTIFIED BY 's3cret-Value'");
  }

  @Test
  void theRedactedFormNeverCarriesThePasswordOrItsHash() {
    var sql = MySqlStatements.alterUser("u", "%", "s3cret-Value", 0, true);
    assertThat(sql.toString())
        .doesNotContain("s3cret-Value")
        .doesNotContain(MySqlStatements.nativePasswordHash("s3cret-Value"));
  }
}
