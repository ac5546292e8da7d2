package io.appdb.playground;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SecretMaskingTest {

  @Test
  void hidesThePasswordPlainAndPercentEncoded() {
    assertThat(SecretMasking.mask("DATABASE_URL", "mysql://u:p%40ss@h:1/d", "p@ss"))
        .isEqualTo("mysql://u:****@h:1/d");
    assertThat(SecretMasking.mask("SQLALCHEMY_URL", "x://u:secret@h/d", "secret"))
        .isEqualTo("x://u:****@h/d");
    assertThat(SecretMasking.mask("SPRING_DATASOURCE_PASSWORD", "anything", "other"))
        .isEqualTo("****");
    assertThat(SecretMasking.mask("DB_USER", "app_user", "secret")).isEqualTo("app_user");
  }
}
