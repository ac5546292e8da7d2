package io.appdb.operator.secret;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.appdb.operator.api.v1alpha1.Engine;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class SecretTemplateTest {

  private static final String PASSWORD = "Pw$1\\$0{{ .Host }}";
  private static final ConnectionDetails DETAILS =
      new ConnectionDetails(
          Engine.POSTGRESQL, "pg.db.svc", 5433, "teacher_portal", "tp_user", PASSWORD, Map.of());

  @Test
  void rendersTheDocumentedExample() {
    String template =
        "postgresql+asyncpg://{{ .Username }}:{{ .Password }}@{{ .Host }}:{{ .Port }}/{{ .Database }}";
    assertThat(SecretTemplate.render(template, DETAILS))
        .isEqualTo("postgresql+asyncpg://tp_user:" + PASSWORD + "@pg.db.svc:5433/teacher_portal");
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "{{ .Username }}|tp_user",
        "{{.Username}}|tp_user",
        "{{   .Host\t}}|pg.db.svc",
        "'{{\n.Port\n}}'|5433",
        "{{ .Database }}|teacher_portal",
        "{{ .Engine }}|postgresql",
        "literal only|literal only",
        "''|''",
        "{\"a\":{\"b\":1}}|{\"a\":{\"b\":1}}",
        "}} stray close|}} stray close",
        "{ .Username }|{ .Username }",
        "{{ .Host }}}|pg.db.svc}",
        "{{ .Host }}{{ .Port }}|pg.db.svc5433",
        "$1 \\ {{ .Username }} $0|$1 \\ tp_user $0",
      })
  void validTemplatesRender(String template, String expected) {
    assertThat(SecretTemplate.problem(template)).isEmpty();
    assertThat(SecretTemplate.render(template, DETAILS)).isEqualTo(expected);
  }

  @Test
  void valuesAreInsertedVerbatimAndNotReinterpreted() {
    // The password itself looks like a placeholder and has regex replacement characters.
    assertThat(SecretTemplate.render("{{ .Password }}", DETAILS)).isEqualTo(PASSWORD);
    assertThat(SecretTemplate.render("{{ .Password }}|{{ .Password }}", DETAILS))
        .isEqualTo(PASSWORD + "|" + PASSWORD);
  }

  @Test
  void mysqlEngineAndIpv6HostAreRenderedAsGiven() {
    ConnectionDetails d =
        new ConnectionDetails(Engine.MYSQL, "::1", 3306, "db", "u", "p", Map.of());
    assertThat(SecretTemplate.render("{{ .Engine }}@{{ .Host }}", d)).isEqualTo("mysql@::1");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "{{ .Password | b64enc }}",
        "{{ .Password | urlquery }}",
        "{{ printf \"%s\" .Password }}",
        "{{ .password }}",
        "{{ .USERNAME }}",
        "{{ .Secret }}",
        "{{ Username }}",
        "{{ .Username}",
        "{{ .Username",
        "{{",
        "prefix {{",
        "{{ {{ .Username }} }}",
        "{{{ .Username }}",
        "{{- .Username -}}",
        "{{ . }}",
        "{{ .Username.Foo }}",
        "{{ .Username }}{{ .Bad }}",
        "{{/* comment */}}",
        "{{ env \"HOME\" }}",
        "{{ .Username\u00a0}}",
        "{{ $x := 1 }}",
      })
  void everythingElseIsInvalid(String template) {
    assertThat(SecretTemplate.problem(template))
        .hasValueSatisfying(
            p ->
                assertThat(p)
                    .contains("invalid placeholder")
                    .contains("{{ .Username }}, {{ .Password }}"));
    assertThatThrownBy(() -> SecretTemplate.render(template, DETAILS))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("template has an invalid placeholder")
        .hasMessageNotContaining(PASSWORD);
  }

  @Test
  void problemSaysWhereAndShowsOnlyTheBadPart() {
    assertThat(SecretTemplate.problem("ok {{ .Host }} then {{ .Nope }} tail"))
        .hasValueSatisfying(
            p -> assertThat(p).contains("at character 20: '{{ .Nope }}'").doesNotContain("tail"));
    assertThat(SecretTemplate.problem("abc {{ .Host"))
        .hasValueSatisfying(p -> assertThat(p).contains("'{{ .Host' (no closing }})"));
    assertThat(SecretTemplate.problem("{{ " + "x".repeat(1000) + " }}"))
        .hasValueSatisfying(p -> assertThat(p).hasSizeLessThan(300).contains("...'"));
    assertThat(SecretTemplate.problem("{{\u0000\u001b[31m }}"))
        .hasValueSatisfying(p -> assertThat(p).doesNotContain("\u0000").doesNotContain("\u001b"));
  }

  @Test
  void nullTemplateIsInvalid() {
    assertThat(SecretTemplate.problem(null)).contains("must be a string");
    assertThatThrownBy(() -> SecretTemplate.render(null, DETAILS))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void placeholderPatternMatchesExactlyTheSixFields() {
    for (String field :
        new String[] {"Username", "Password", "Host", "Port", "Database", "Engine"}) {
      assertThat(SecretTemplate.PLACEHOLDER.matcher("{{ ." + field + " }}").matches()).isTrue();
    }
    assertThat(SecretTemplate.PLACEHOLDER.matcher("{{ .Other }}").matches()).isFalse();
  }
}
