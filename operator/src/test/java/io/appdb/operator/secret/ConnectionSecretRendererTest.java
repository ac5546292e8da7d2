package io.appdb.operator.secret;

import static io.appdb.operator.secret.ConnectionSecretRenderer.MANAGED_BY_LABEL;
import static io.appdb.operator.secret.ConnectionSecretRenderer.MANAGED_BY_VALUE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.appdb.operator.api.v1alpha1.AppDatabase;
import io.appdb.operator.api.v1alpha1.Engine;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

class ConnectionSecretRendererTest {

  private static final String PASSWORD = "Zx9@:/?#[]% ü";
  private static final ConnectionDetails PG =
      new ConnectionDetails(
          Engine.POSTGRESQL,
          "shared-postgres.db.svc",
          5432,
          "teacher_portal",
          "teacher_portal_user",
          PASSWORD,
          Map.of("sslmode", "require"));

  @Test
  void standardKeysAreAllPresentAndBase64InData() {
    Secret s = ConnectionSecretRenderer.render(owner(), "tp-db", PG);
    assertThat(s.getStringData()).isNullOrEmpty();
    assertThat(s.getType()).isEqualTo("Opaque");
    Map<String, String> v = decoded(s);
    assertThat(v.keySet()).containsExactlyElementsOf(ConnectionSecretRenderer.STANDARD_KEYS);
    assertThat(v)
        .containsEntry("DATABASE_URL", ConnectionUrls.databaseUrl(PG))
        .containsEntry(
            "JDBC_URL",
            "jdbc:postgresql://shared-postgres.db.svc:5432/teacher_portal?sslmode=require")
        .containsEntry("DB_TYPE", "postgresql")
        .containsEntry("DB_HOST", "shared-postgres.db.svc")
        .containsEntry("DB_PORT", "5432")
        .containsEntry("DB_NAME", "teacher_portal")
        .containsEntry("DB_USER", "teacher_portal_user")
        .containsEntry("DB_PASSWORD", PASSWORD);
    assertThat(v.get("DATABASE_URL"))
        .startsWith("postgresql://teacher_portal_user:Zx9%40%3A%2F%3F%23%5B%5D%25%20%C3%BC@");
  }

  @Test
  void metadataNamesTheOwnerNamespaceLabelsAndAnnotations() {
    AppDatabase owner = owner();
    owner.getSpec().getSecret().setLabels(new LinkedHashMap<>(Map.of("team", "teachers")));
    owner.getSpec().getSecret().setAnnotations(Map.of("reloader.stakater.com/match", "true"));
    Secret s = ConnectionSecretRenderer.render(owner, "tp-db", PG);
    assertThat(s.getMetadata().getName()).isEqualTo("tp-db");
    assertThat(s.getMetadata().getNamespace()).isEqualTo("teacher-portal");
    assertThat(s.getMetadata().getLabels())
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(
                "team",
                "teachers",
                MANAGED_BY_LABEL,
                MANAGED_BY_VALUE,
                ConnectionSecretRenderer.APPDATABASE_LABEL,
                "teacher-portal"));
    assertThat(s.getMetadata().getAnnotations())
        .containsExactlyEntriesOf(Map.of("reloader.stakater.com/match", "true"));
  }

  @Test
  void exactlyOneControllerOwnerReference() {
    Secret s = ConnectionSecretRenderer.render(owner(), "tp-db", PG);
    assertThat(s.getMetadata().getOwnerReferences())
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.getApiVersion()).isEqualTo("appdb.io/v1alpha1");
              assertThat(r.getKind()).isEqualTo("AppDatabase");
              assertThat(r.getName()).isEqualTo("teacher-portal");
              assertThat(r.getUid()).isEqualTo("uid-1");
              assertThat(r.getController()).isTrue();
              assertThat(r.getBlockOwnerDeletion()).isTrue();
            });
  }

  @Test
  void operatorLabelsWinOverSpecLabels() {
    AppDatabase owner = owner();
    owner
        .getSpec()
        .getSecret()
        .setLabels(
            Map.of(MANAGED_BY_LABEL, "helm", ConnectionSecretRenderer.APPDATABASE_LABEL, "x"));
    Secret s = ConnectionSecretRenderer.render(owner, "tp-db", PG);
    assertThat(s.getMetadata().getLabels())
        .containsEntry(MANAGED_BY_LABEL, MANAGED_BY_VALUE)
        .containsEntry(ConnectionSecretRenderer.APPDATABASE_LABEL, "teacher-portal");
  }

  @Test
  void longOwnerNamesAreShortenedInTheLabel() {
    AppDatabase owner = owner();
    String longName = "a".repeat(100) + ".b";
    owner.getMetadata().setName(longName);
    String value =
        ConnectionSecretRenderer.render(owner, "x", PG)
            .getMetadata()
            .getLabels()
            .get(ConnectionSecretRenderer.APPDATABASE_LABEL);
    assertThat(value).hasSizeLessThanOrEqualTo(63).matches("a+-[0-9a-f]{8}");
    owner.getMetadata().setName("a".repeat(100) + ".c");
    assertThat(
            ConnectionSecretRenderer.render(owner, "x", PG)
                .getMetadata()
                .getLabels()
                .get(ConnectionSecretRenderer.APPDATABASE_LABEL))
        .isNotEqualTo(value);
  }

  @Test
  void serviceBindingKeysWhenEnabled() {
    AppDatabase owner = owner();
    owner.getSpec().getSecret().setServiceBinding(true);
    Map<String, String> v = decoded(ConnectionSecretRenderer.render(owner, "tp-db", PG));
    assertThat(v.keySet())
        .containsAll(ConnectionSecretRenderer.STANDARD_KEYS)
        .containsAll(ConnectionSecretRenderer.SERVICE_BINDING_KEYS)
        .hasSize(17);
    assertThat(v)
        .containsEntry("type", "postgresql")
        .containsEntry("provider", "appdb-operator")
        .containsEntry("host", "shared-postgres.db.svc")
        .containsEntry("port", "5432")
        .containsEntry("database", "teacher_portal")
        .containsEntry("username", "teacher_portal_user")
        .containsEntry("password", PASSWORD)
        .containsEntry("uri", v.get("DATABASE_URL"))
        .containsEntry("jdbc-url", v.get("JDBC_URL"));
  }

  @Test
  void noServiceBindingKeysWhenDisabled() {
    AppDatabase owner = owner();
    owner.getSpec().getSecret().setServiceBinding(false);
    assertThat(decoded(ConnectionSecretRenderer.render(owner, "tp-db", PG)))
        .doesNotContainKeys(ConnectionSecretRenderer.SERVICE_BINDING_KEYS.toArray(String[]::new));
  }

  @Test
  void mysqlSecret() {
    ConnectionDetails my =
        new ConnectionDetails(
            Engine.MYSQL, "mysql", 3306, "billing", "billing_user", "pw", Map.of());
    Map<String, String> v = decoded(ConnectionSecretRenderer.render(owner(), "b", my));
    assertThat(v)
        .containsEntry("DATABASE_URL", "mysql://billing_user:pw@mysql:3306/billing")
        .containsEntry("JDBC_URL", "jdbc:mysql://mysql:3306/billing")
        .containsEntry("DB_TYPE", "mysql");
  }

  @Test
  void templateKeysAreRenderedAndCannotReplaceStandardKeys() {
    AppDatabase owner = owner();
    owner
        .getSpec()
        .getSecret()
        .setTemplate(
            Map.of(
                "SQLALCHEMY_URL",
                    "postgresql+asyncpg://{{ .Username }}@{{ .Host }}/{{ .Database }}",
                "DB_PASSWORD", "hijacked"));
    Map<String, String> v = decoded(ConnectionSecretRenderer.render(owner, "tp-db", PG));
    assertThat(v)
        .containsEntry(
            "SQLALCHEMY_URL",
            "postgresql+asyncpg://teacher_portal_user@shared-postgres.db.svc/teacher_portal")
        .containsEntry("DB_PASSWORD", PASSWORD);
  }

  @Test
  void invalidTemplateFailsWithoutShowingThePassword() {
    AppDatabase owner = owner();
    owner.getSpec().getSecret().setTemplate(Map.of("X", "{{ .Password | b64enc }}"));
    assertThatThrownBy(() -> ConnectionSecretRenderer.render(owner, "tp-db", PG))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageNotContaining(PASSWORD);
  }

  @Test
  void renderingIsDeterministic() {
    AppDatabase owner = owner();
    owner.getSpec().getSecret().setTemplate(Map.of("B", "{{ .Port }}", "A", "{{ .Host }}"));
    Secret a = ConnectionSecretRenderer.render(owner, "tp-db", PG);
    Secret b = ConnectionSecretRenderer.render(owner, "tp-db", PG);
    assertThat(a).isEqualTo(b);
    assertThat(Serialization.asYaml(a)).isEqualTo(Serialization.asYaml(b));
  }

  @Test
  void renderRejectsNulls() {
    assertThatThrownBy(() -> ConnectionSecretRenderer.render(null, "x", PG))
        .isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> ConnectionSecretRenderer.render(owner(), null, PG))
        .isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> ConnectionSecretRenderer.render(owner(), "x", null))
        .isInstanceOf(NullPointerException.class);
  }

  @Test
  void renderToleratesAMissingSecretSpec() {
    AppDatabase owner = owner();
    owner.getSpec().setSecret(null);
    assertThat(decoded(ConnectionSecretRenderer.render(owner, "x", PG))).hasSize(8);
  }

  // ---- secretName ----

  @Test
  void secretNameDefaultsToNameDashDb() {
    AppDatabase owner = owner();
    assertThat(ConnectionSecretRenderer.secretName(owner)).isEqualTo("teacher-portal-db");
    owner.getSpec().getSecret().setName("custom");
    assertThat(ConnectionSecretRenderer.secretName(owner)).isEqualTo("custom");
  }

  // ---- password ----

  @Test
  void passwordIsReadBackFromData() {
    Secret s = ConnectionSecretRenderer.render(owner(), "tp-db", PG);
    assertThat(ConnectionSecretRenderer.password(s)).contains(PASSWORD);
  }

  @Test
  void passwordIsEmptyWhenMissingBlankOrBroken() {
    assertThat(ConnectionSecretRenderer.password(null)).isEmpty();
    assertThat(ConnectionSecretRenderer.password(new SecretBuilder().build())).isEmpty();
    assertThat(ConnectionSecretRenderer.password(secretWithData(Map.of("OTHER", b64("x")))))
        .isEmpty();
    assertThat(ConnectionSecretRenderer.password(secretWithData(Map.of("DB_PASSWORD", b64("")))))
        .isEmpty();
    assertThat(ConnectionSecretRenderer.password(secretWithData(Map.of("DB_PASSWORD", b64("  ")))))
        .isEmpty();
    assertThat(
            ConnectionSecretRenderer.password(secretWithData(Map.of("DB_PASSWORD", "!!notbase64"))))
        .isEmpty();
  }

  @Test
  void passwordFallsBackToStringDataAsTheMockKeepsIt() {
    Secret s = new SecretBuilder().withStringData(Map.of("DB_PASSWORD", "edited")).build();
    assertThat(ConnectionSecretRenderer.password(s)).contains("edited");
    Secret both =
        new SecretBuilder()
            .withData(Map.of("DB_PASSWORD", b64("fromData")))
            .withStringData(Map.of("DB_PASSWORD", "fromStringData"))
            .build();
    assertThat(ConnectionSecretRenderer.password(both)).contains("fromData");
  }

  // ---- ownedBy ----

  @Test
  void ownedByMatchesTheControllerUid() {
    Secret s = ConnectionSecretRenderer.render(owner(), "tp-db", PG);
    assertThat(ConnectionSecretRenderer.ownedBy(s, owner())).isTrue();

    AppDatabase sameNameOtherUid = owner();
    sameNameOtherUid.getMetadata().setUid("uid-2");
    assertThat(ConnectionSecretRenderer.ownedBy(s, sameNameOtherUid)).isFalse();

    AppDatabase noUid = owner();
    noUid.getMetadata().setUid(null);
    assertThat(ConnectionSecretRenderer.ownedBy(s, noUid)).isFalse();
  }

  @Test
  void aNonControllerReferenceIsNotOwnership() {
    OwnerReference notController =
        new OwnerReferenceBuilder(
                ConnectionSecretRenderer.render(owner(), "x", PG)
                    .getMetadata()
                    .getOwnerReferences()
                    .get(0))
            .withController(false)
            .build();
    Secret s =
        new SecretBuilder()
            .withMetadata(new ObjectMetaBuilder().withOwnerReferences(notController).build())
            .build();
    assertThat(ConnectionSecretRenderer.ownedBy(s, owner())).isFalse();
    assertThat(
            ConnectionSecretRenderer.ownedBy(
                new SecretBuilder().withNewMetadata().endMetadata().build(), owner()))
        .isFalse();
    assertThat(ConnectionSecretRenderer.ownedBy(new SecretBuilder().build(), owner())).isFalse();
  }

  // ---- sameContent ----

  @Test
  void sameContentIgnoresServerSetMetadata() {
    Secret desired = ConnectionSecretRenderer.render(owner(), "tp-db", PG);
    Secret existing =
        new SecretBuilder(desired)
            .editMetadata()
            .withResourceVersion("42")
            .withUid("secret-uid")
            .withCreationTimestamp("2024-01-01T00:00:00Z")
            .endMetadata()
            .build();
    assertThat(ConnectionSecretRenderer.sameContent(existing, desired)).isTrue();
  }

  @Test
  void sameContentTreatsMissingMapsAsEmptyAndMissingTypeAsOpaque() {
    Secret a =
        new SecretBuilder()
            .withNewMetadata()
            .withName("x")
            .endMetadata()
            .withType("Opaque")
            .build();
    Secret b =
        new SecretBuilder()
            .withNewMetadata()
            .withName("x")
            .withLabels(Map.of())
            .withAnnotations(Map.of())
            .endMetadata()
            .withData(Map.of())
            .build();
    assertThat(ConnectionSecretRenderer.sameContent(a, b)).isTrue();
  }

  @Test
  void sameContentSeesEveryManagedDifference() {
    Secret desired = ConnectionSecretRenderer.render(owner(), "tp-db", PG);
    List<Consumer<SecretBuilder>> edits =
        List.of(
            b -> b.addToData("DB_PASSWORD", b64("changed")),
            b -> b.addToData("EXTRA", b64("x")),
            b -> b.removeFromData("DB_HOST"),
            b -> b.withType("kubernetes.io/basic-auth"),
            b -> b.editMetadata().addToLabels("extra", "x").endMetadata(),
            b -> b.editMetadata().removeFromLabels(MANAGED_BY_LABEL).endMetadata(),
            b -> b.editMetadata().addToAnnotations("a", "b").endMetadata(),
            b -> b.editMetadata().withOwnerReferences(List.of()).endMetadata(),
            b ->
                b.editMetadata()
                    .editFirstOwnerReference()
                    .withUid("other")
                    .endOwnerReference()
                    .endMetadata(),
            b ->
                b.editMetadata()
                    .editFirstOwnerReference()
                    .withController(false)
                    .endOwnerReference()
                    .endMetadata());
    for (int i = 0; i < edits.size(); i++) {
      SecretBuilder builder = new SecretBuilder(desired);
      edits.get(i).accept(builder);
      assertThat(ConnectionSecretRenderer.sameContent(builder.build(), desired))
          .as("edit #%d", i)
          .isFalse();
    }
  }

  private static AppDatabase owner() {
    AppDatabase adb = new AppDatabase();
    adb.getMetadata().setName("teacher-portal");
    adb.getMetadata().setNamespace("teacher-portal");
    adb.getMetadata().setUid("uid-1");
    return adb;
  }

  private static Secret secretWithData(Map<String, String> data) {
    return new SecretBuilder().withData(new HashMap<>(data)).build();
  }

  private static String b64(String value) {
    return Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8));
  }

  private static Map<String, String> decoded(Secret s) {
    Map<String, String> out = new LinkedHashMap<>();
    s.getData()
        .forEach(
            (k, v) ->
                out.put(k, new String(Base64.getDecoder().decode(v), StandardCharsets.UTF_8)));
    return out;
  }
}
