package io.appdb.operator.validation;

import static io.appdb.operator.api.v1alpha1.Engine.MYSQL;
import static io.appdb.operator.api.v1alpha1.Engine.POSTGRESQL;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.appdb.operator.api.v1alpha1.AppDatabase;
import io.appdb.operator.api.v1alpha1.Engine;
import io.appdb.operator.api.v1alpha1.ServerRef;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

class AppDatabaseValidatorTest {

  @ParameterizedTest
  @EnumSource(Engine.class)
  void aMinimalSpecIsValid(Engine engine) {
    assertThat(AppDatabaseValidator.problems(adb(), engine)).isEmpty();
  }

  @Test
  void aFullValidSpecIsValid() {
    AppDatabase a = adb();
    a.getSpec().setServerRef(new ServerRef("shared-postgres"));
    a.getSpec().setDatabaseName("teacher_portal");
    a.getSpec().setUsername("teacher_portal_user");
    a.getSpec().setConnectionLimit(20);
    a.getSpec().getSecret().setName("teacher-portal-db");
    a.getSpec().getSecret().setServiceBinding(true);
    a.getSpec()
        .getSecret()
        .setTemplate(
            Map.of(
                "SQLALCHEMY_URL",
                "postgresql+asyncpg://{{ .Username }}:{{ .Password }}@{{ .Host }}:{{ .Port }}/{{.Database}}",
                "ENGINE.name_1-x",
                "{{ .Engine }}"));
    a.getSpec()
        .getSecret()
        .setLabels(Map.of("team", "teachers", "example.com/tier", "", "a", "b.c_d-e"));
    a.getSpec()
        .getSecret()
        .setAnnotations(
            Map.of("reloader.stakater.com/match", "true", "note", "free text: anything! {{ }}"));
    assertThat(AppDatabaseValidator.problems(a, POSTGRESQL)).isEmpty();
    assertThat(AppDatabaseValidator.problems(a, MYSQL)).isEmpty();
  }

  @Test
  void missingSpecIsAProblem() {
    AppDatabase a = adb();
    a.setSpec(null);
    assertThat(AppDatabaseValidator.problems(a, POSTGRESQL)).containsExactly("spec is missing");
  }

  @Test
  void nullArgumentsAreRefused() {
    assertThatThrownBy(() -> AppDatabaseValidator.problems(null, POSTGRESQL))
        .isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> AppDatabaseValidator.problems(adb(), null))
        .isInstanceOf(NullPointerException.class);
  }

  // ---- names ----

  @Test
  void databaseNameIsCheckedPerEngine() {
    AppDatabase a = adb();
    a.getSpec().setDatabaseName("d".repeat(64));
    assertThat(AppDatabaseValidator.problems(a, MYSQL)).isEmpty();
    assertThat(AppDatabaseValidator.problems(a, POSTGRESQL))
        .singleElement()
        .asString()
        .startsWith("spec.databaseName 'ddd")
        .contains("64 bytes long; at most 63");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"Teacher", "teacher-portal", "1abc", "", "postgres", "pg_x", "a;drop table x"})
  void badDatabaseNames(String name) {
    AppDatabase a = adb();
    a.getSpec().setDatabaseName(name);
    assertThat(AppDatabaseValidator.problems(a, POSTGRESQL))
        .singleElement()
        .asString()
        .startsWith("spec.databaseName");
  }

  @Test
  void usernameIsCheckedPerEngine() {
    AppDatabase a = adb();
    a.getSpec().setUsername("u".repeat(33));
    assertThat(AppDatabaseValidator.problems(a, POSTGRESQL)).isEmpty();
    assertThat(AppDatabaseValidator.problems(a, MYSQL))
        .singleElement()
        .asString()
        .startsWith("spec.username 'uuu")
        .contains("at most 32");
    a.getSpec().setUsername("root");
    assertThat(AppDatabaseValidator.problems(a, POSTGRESQL))
        .singleElement()
        .asString()
        .isEqualTo(
            "spec.username 'root' is reserved for the server, the operator or its admins; choose"
                + " another name");
  }

  @Test
  void serverRefNameMustBeADnsSubdomain() {
    AppDatabase a = adb();
    a.getSpec().setServerRef(new ServerRef("Shared_Postgres"));
    assertThat(AppDatabaseValidator.problems(a, POSTGRESQL))
        .singleElement()
        .asString()
        .startsWith("spec.serverRef.name 'Shared_Postgres' must be a DNS subdomain");
    a.getSpec().setServerRef(new ServerRef(null));
    assertThat(AppDatabaseValidator.problems(a, POSTGRESQL))
        .containsExactly("spec.serverRef.name must not be empty");
  }

  // ---- connectionLimit ----

  @ParameterizedTest
  @ValueSource(ints = {0, -1, 10001, Integer.MIN_VALUE, Integer.MAX_VALUE})
  void connectionLimitOutOfRange(int limit) {
    AppDatabase a = adb();
    a.getSpec().setConnectionLimit(limit);
    assertThat(AppDatabaseValidator.problems(a, MYSQL))
        .containsExactly(
            "spec.connectionLimit is "
                + limit
                + "; it must be between 1 and 10000, or left out for no limit");
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 20, 10000})
  void connectionLimitInRange(int limit) {
    AppDatabase a = adb();
    a.getSpec().setConnectionLimit(limit);
    assertThat(AppDatabaseValidator.problems(a, MYSQL)).isEmpty();
  }

  // ---- secret name ----

  @ParameterizedTest
  @ValueSource(strings = {"My-Secret", "-x", "x-", "a_b", "a..b", "a b", "ünï", ".x"})
  void badSecretNames(String name) {
    AppDatabase a = adb();
    a.getSpec().getSecret().setName(name);
    assertThat(AppDatabaseValidator.problems(a, POSTGRESQL))
        .singleElement()
        .asString()
        .startsWith("spec.secret.name")
        .contains("DNS subdomain");
  }

  @Test
  void secretNameLength() {
    AppDatabase a = adb();
    a.getSpec().getSecret().setName("a".repeat(253));
    assertThat(AppDatabaseValidator.problems(a, POSTGRESQL)).isEmpty();
    a.getSpec().getSecret().setName("a".repeat(254));
    assertThat(AppDatabaseValidator.problems(a, POSTGRESQL))
        .singleElement()
        .asString()
        .contains("254 characters long; at most 253");
    a.getSpec().getSecret().setName("");
    assertThat(AppDatabaseValidator.problems(a, POSTGRESQL))
        .containsExactly("spec.secret.name must not be empty");
  }

  @Test
  void aLongMetadataNameNeedsAnExplicitSecretName() {
    AppDatabase a = adb();
    a.getMetadata().setName("n".repeat(251));
    assertThat(AppDatabaseValidator.problems(a, POSTGRESQL))
        .singleElement()
        .asString()
        .startsWith("spec.secret.name is needed");
    a.getSpec().getSecret().setName("short");
    assertThat(AppDatabaseValidator.problems(a, POSTGRESQL)).isEmpty();
    a.getSpec().getSecret().setName(null);
    a.getMetadata().setName("n".repeat(250));
    assertThat(AppDatabaseValidator.problems(a, POSTGRESQL)).isEmpty();
  }

  // ---- template ----

  @ParameterizedTest
  @ValueSource(
      strings = {
        "DATABASE_URL",
        "JDBC_URL",
        "DB_TYPE",
        "DB_HOST",
        "DB_PORT",
        "DB_NAME",
        "DB_USER",
        "DB_PASSWORD",
        "type",
        "provider",
        "host",
        "port",
        "database",
        "username",
        "password",
        "uri",
        "jdbc-url"
      })
  void templateKeysMustNotCollideWithOperatorKeys(String key) {
    AppDatabase a = adb();
    a.getSpec().getSecret().setTemplate(Map.of(key, "x"));
    assertThat(AppDatabaseValidator.problems(a, POSTGRESQL))
        .singleElement()
        .asString()
        .startsWith(
            "spec.secret.template['" + key + "']: the key is one the operator writes itself");
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "a b", "a/b", "é", "a=b", ".", "..", "..x", "a\nb", "$HOME"})
  void invalidTemplateKeys(String key) {
    AppDatabase a = adb();
    a.getSpec().getSecret().setTemplate(Map.of(key, "x"));
    assertThat(AppDatabaseValidator.problems(a, POSTGRESQL))
        .singleElement()
        .asString()
        .startsWith("spec.secret.template[")
        .contains("the key ")
        .doesNotContain("\n");
  }

  @Test
  void templateKeyLength() {
    AppDatabase a = adb();
    a.getSpec().getSecret().setTemplate(Map.of("k".repeat(253), "x"));
    assertThat(AppDatabaseValidator.problems(a, POSTGRESQL)).isEmpty();
    a.getSpec().getSecret().setTemplate(Map.of("k".repeat(254), "x"));
    assertThat(AppDatabaseValidator.problems(a, POSTGRESQL))
        .singleElement()
        .asString()
        .contains("254 characters long");
  }

  @Test
  void validDotKeysAreAllowed() {
    AppDatabase a = adb();
    a.getSpec().getSecret().setTemplate(Map.of(".env", "x", "a..b", "y", "x.", "z"));
    assertThat(AppDatabaseValidator.problems(a, POSTGRESQL)).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "{{ .Password | b64enc }}",
        "{{ printf \"%s\" .Password }}",
        "{{ {{ .Username }} }}",
        "unterminated {{ .Host",
        "{{ .Secret }}"
      })
  void invalidTemplateValues(String value) {
    AppDatabase a = adb();
    a.getSpec().getSecret().setTemplate(Map.of("MY_URL", value));
    assertThat(AppDatabaseValidator.problems(a, POSTGRESQL))
        .singleElement()
        .asString()
        .startsWith("spec.secret.template['MY_URL']: the value has an invalid placeholder");
  }

  @Test
  void nullTemplateValue() {
    AppDatabase a = adb();
    Map<String, String> template = new HashMap<>();
    template.put("K", null);
    a.getSpec().getSecret().setTemplate(template);
    assertThat(AppDatabaseValidator.problems(a, POSTGRESQL))
        .containsExactly("spec.secret.template['K']: the value must be a string");
  }

  @Test
  void templateValuesAreNotEchoedBeyondTheBadPlaceholder() {
    AppDatabase a = adb();
    a.getSpec().getSecret().setTemplate(Map.of("K", "literal-hardcoded-s3cret then {{ .Nope }}"));
    assertThat(String.join("\n", AppDatabaseValidator.problems(a, POSTGRESQL)))
        .doesNotContain("s3cret")
        .contains("{{ .Nope }}");
  }

  // ---- labels and annotations ----

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "-a",
        "a-",
        "a b",
        "a/b/c",
        "/a",
        "a/",
        "Example.com/a",
        "exa_mple.com/a",
        "é",
        "a\nb"
      })
  void badLabelAndAnnotationKeys(String key) {
    AppDatabase a = adb();
    a.getSpec().getSecret().setLabels(Map.of(key, "v"));
    a.getSpec().getSecret().setAnnotations(Map.of(key, "v"));
    List<String> problems = AppDatabaseValidator.problems(a, POSTGRESQL);
    assertThat(problems).isNotEmpty();
    assertThat(problems).anyMatch(p -> p.startsWith("spec.secret.labels["));
    assertThat(problems).anyMatch(p -> p.startsWith("spec.secret.annotations["));
    assertThat(problems).allSatisfy(p -> assertThat(p).doesNotContain("\n"));
  }

  @Test
  void keyNamePartIsLimitedTo63AndPrefixTo253() {
    AppDatabase a = adb();
    a.getSpec().getSecret().setLabels(Map.of("a".repeat(63), "v", "p".repeat(253) + "/n", "v"));
    assertThat(AppDatabaseValidator.problems(a, POSTGRESQL)).isEmpty();
    a.getSpec().getSecret().setLabels(Map.of("a".repeat(64), "v"));
    assertThat(AppDatabaseValidator.problems(a, POSTGRESQL))
        .singleElement()
        .asString()
        .contains("the key name must be 1 to 63");
    a.getSpec().getSecret().setLabels(Map.of("p".repeat(254) + "/n", "v"));
    assertThat(AppDatabaseValidator.problems(a, POSTGRESQL))
        .singleElement()
        .asString()
        .contains("the key prefix before '/' must be a DNS subdomain");
  }

  @ParameterizedTest
  @ValueSource(strings = {"-a", "a-", "a b", "a/b", "é", "a\nb"})
  void badLabelValues(String value) {
    AppDatabase a = adb();
    a.getSpec().getSecret().setLabels(Map.of("k", value));
    assertThat(AppDatabaseValidator.problems(a, POSTGRESQL))
        .singleElement()
        .asString()
        .startsWith("spec.secret.labels['k'] value")
        .doesNotContain("\n");
  }

  @Test
  void labelValuesAreLimitedTo63() {
    AppDatabase a = adb();
    a.getSpec().getSecret().setLabels(Map.of("k", "v".repeat(63)));
    assertThat(AppDatabaseValidator.problems(a, POSTGRESQL)).isEmpty();
    a.getSpec().getSecret().setLabels(Map.of("k", "v".repeat(64)));
    assertThat(AppDatabaseValidator.problems(a, POSTGRESQL))
        .containsExactly(
            "spec.secret.labels['k']: the value is 64 characters long; label values may have at most 63");
  }

  @Test
  void nullLabelValueCountsAsEmpty() {
    AppDatabase a = adb();
    Map<String, String> labels = new HashMap<>();
    labels.put("k", null);
    labels.put(null, "ignored");
    a.getSpec().getSecret().setLabels(labels);
    assertThat(AppDatabaseValidator.problems(a, POSTGRESQL)).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"app.kubernetes.io/managed-by", "appdb.io/appdatabase"})
  void operatorLabelsCannotBeOverridden(String key) {
    AppDatabase a = adb();
    a.getSpec().getSecret().setLabels(Map.of(key, "helm"));
    assertThat(AppDatabaseValidator.problems(a, POSTGRESQL))
        .containsExactly(
            "spec.secret.labels['" + key + "']: the operator sets this label itself; remove it");
    a.getSpec().getSecret().setLabels(Map.of());
    a.getSpec().getSecret().setAnnotations(Map.of(key, "x"));
    assertThat(AppDatabaseValidator.problems(a, POSTGRESQL))
        .containsExactly(
            "spec.secret.annotations['" + key + "']: this key is the operator's; remove it");
  }

  @Test
  void annotationValuesMayBeAnythingButTheTotalIsLimited() {
    AppDatabase a = adb();
    a.getSpec().getSecret().setAnnotations(Map.of("k", "any\nthing {{ .X }} é ".repeat(100)));
    assertThat(AppDatabaseValidator.problems(a, POSTGRESQL)).isEmpty();
    a.getSpec().getSecret().setAnnotations(Map.of("k", "x".repeat(256 * 1024)));
    assertThat(AppDatabaseValidator.problems(a, POSTGRESQL))
        .singleElement()
        .asString()
        .startsWith("spec.secret.annotations are 262145 bytes in total");
  }

  // ---- all together ----

  @Test
  void everyProblemIsReportedInAStableOrder() {
    AppDatabase a = adb();
    a.getSpec().setDatabaseName("Bad-Name");
    a.getSpec().setUsername("root");
    a.getSpec().setConnectionLimit(0);
    a.getSpec().getSecret().setName("Bad");
    Map<String, String> template = new LinkedHashMap<>();
    template.put("Z_KEY", "{{ .Nope }}");
    template.put("A_KEY", "{{ .Nope }}");
    a.getSpec().getSecret().setTemplate(template);
    a.getSpec().getSecret().setLabels(Map.of("app.kubernetes.io/managed-by", "me"));
    List<String> problems = AppDatabaseValidator.problems(a, MYSQL);
    assertThat(problems).hasSize(7);
    assertThat(problems.get(0)).startsWith("spec.databaseName");
    assertThat(problems.get(1)).startsWith("spec.username");
    assertThat(problems.get(2)).startsWith("spec.connectionLimit");
    assertThat(problems.get(3)).startsWith("spec.secret.name");
    assertThat(problems.get(4)).startsWith("spec.secret.template['A_KEY']");
    assertThat(problems.get(5)).startsWith("spec.secret.template['Z_KEY']");
    assertThat(problems.get(6)).startsWith("spec.secret.labels");
    assertThat(AppDatabaseValidator.problems(a, MYSQL)).isEqualTo(problems);
  }

  @Test
  void hostileValuesAreShownCutAndPrintable() {
    AppDatabase a = adb();
    a.getSpec().setDatabaseName("X\u001b[31m" + "y".repeat(1000));
    String problem = AppDatabaseValidator.problems(a, POSTGRESQL).get(0);
    assertThat(problem).doesNotContain("\u001b").contains("...'").hasSizeLessThan(300);
  }

  @Test
  void showQuotesCutsAndReplacesControlCharacters() {
    assertThat(AppDatabaseValidator.show("abc")).isEqualTo("'abc'");
    assertThat(AppDatabaseValidator.show("a\nb\u0000")).isEqualTo("'a?b?'");
    assertThat(AppDatabaseValidator.show("z".repeat(100))).isEqualTo("'" + "z".repeat(63) + "...'");
  }

  @Test
  void theExamplesAreValid() throws IOException {
    List<AppDatabase> examples = new ArrayList<>();
    try (Stream<Path> files = Files.list(repoRoot().resolve("examples"))) {
      for (Path file : files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList()) {
        for (String doc : Files.readString(file).split("(?m)^---\\s*$")) {
          if (doc.contains("kind: AppDatabase")) {
            examples.add(Serialization.unmarshal(doc, AppDatabase.class));
          }
        }
      }
    }
    assertThat(examples).hasSizeGreaterThanOrEqualTo(2);
    for (AppDatabase example : examples) {
      for (Engine engine : Engine.values()) {
        assertThat(AppDatabaseValidator.problems(example, engine))
            .as(example.getMetadata().getName())
            .isEmpty();
      }
    }
  }

  private static Path repoRoot() {
    String configured = System.getProperty("appdb.repoRoot");
    return configured != null && !configured.isBlank()
        ? Path.of(configured)
        : Path.of("").toAbsolutePath().getParent();
  }

  private static AppDatabase adb() {
    AppDatabase a = new AppDatabase();
    a.getMetadata().setName("teacher-portal");
    a.getMetadata().setNamespace("teacher-portal");
    return a;
  }
}
