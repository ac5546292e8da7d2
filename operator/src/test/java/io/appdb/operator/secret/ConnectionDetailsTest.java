package io.appdb.operator.secret;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.appdb.operator.api.v1alpha1.Engine;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConnectionDetailsTest {

  private static final String PASSWORD = "s3cr3t-P@ss:word";

  @Test
  void toStringRedactsThePassword() {
    ConnectionDetails d = details(Map.of("sslmode", "require"));
    assertThat(d.toString())
        .doesNotContain(PASSWORD)
        .doesNotContain("s3cr3t")
        .contains("password=<redacted>")
        .contains("app_user@db.svc:5432/app")
        .contains("postgresql");
  }

  @Test
  void urlParametersAreSortedAndImmutable() {
    Map<String, String> params = new LinkedHashMap<>();
    params.put("z", "1");
    params.put("a", "2");
    params.put("m", null);
    ConnectionDetails d = details(params);
    assertThat(d.urlParameters().keySet()).containsExactly("a", "m", "z");
    assertThat(d.urlParameters()).containsEntry("m", "");
    assertThatThrownBy(() -> d.urlParameters().put("x", "y"))
        .isInstanceOf(UnsupportedOperationException.class);
    params.put("late", "change");
    assertThat(d.urlParameters()).doesNotContainKey("late");
  }

  @Test
  void nullParametersMeanNone() {
    assertThat(details(null).urlParameters()).isEmpty();
  }

  @Test
  void equalDetailsAreEqualWhateverTheParameterOrder() {
    Map<String, String> a = new LinkedHashMap<>();
    a.put("x", "1");
    a.put("y", "2");
    Map<String, String> b = new LinkedHashMap<>();
    b.put("y", "2");
    b.put("x", "1");
    assertThat(details(a)).isEqualTo(details(b)).hasSameHashCodeAs(details(b));
  }

  @Test
  void requiredPartsAndPortRangeAreChecked() {
    assertThatThrownBy(() -> new ConnectionDetails(null, "h", 1, "d", "u", "p", Map.of()))
        .isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> new ConnectionDetails(Engine.MYSQL, "h", 1, "d", "u", null, Map.of()))
        .isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> new ConnectionDetails(Engine.MYSQL, "h", 0, "d", "u", "p", Map.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("port");
    assertThatThrownBy(
            () -> new ConnectionDetails(Engine.MYSQL, "h", 65536, "d", "u", "p", Map.of()))
        .isInstanceOf(IllegalArgumentException.class);
    Map<String, String> nullKey = new HashMap<>();
    nullKey.put(null, "v");
    assertThatThrownBy(() -> new ConnectionDetails(Engine.MYSQL, "h", 1, "d", "u", "p", nullKey))
        .isInstanceOf(NullPointerException.class);
    assertThat(new ConnectionDetails(Engine.MYSQL, "h", 65535, "d", "u", "p", null).port())
        .isEqualTo(65535);
  }

  private static ConnectionDetails details(Map<String, String> params) {
    return new ConnectionDetails(
        Engine.POSTGRESQL, "db.svc", 5432, "app", "app_user", PASSWORD, params);
  }
}
