package io.appdb.operator.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.appdb.operator.api.v1alpha1.AppDatabase;
import io.appdb.operator.api.v1alpha1.AppDatabaseStatus;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.luaj.vm2.Globals;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.lib.jse.JsePlatform;

/**
 * Runs the shipped Argo CD health script with LuaJ, the way Argo CD does: the resource as the
 * global {@code obj}, the chunk returning {status, message}. The sample objects are AppDatabases
 * built with the API classes and serialized as the API server would return them.
 */
class ArgoHealthLuaTest {

  private static final Path SCRIPT =
      RepoRoot.path().resolve("deploy/argocd/appdatabase-health.lua");
  private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();
  private static String script;

  record Health(String status, String message) {}

  @BeforeAll
  static void load() throws IOException {
    script = Files.readString(SCRIPT);
  }

  private static Health health(AppDatabase resource) {
    Map<String, Object> obj = SERIALIZATION.convertValue(resource, Map.class);
    Globals globals = JsePlatform.standardGlobals();
    globals.set("obj", toLua(obj));
    LuaValue result = globals.load(script, "appdatabase-health.lua").call();
    return new Health(result.get("status").tojstring(), result.get("message").optjstring(null));
  }

  static LuaValue toLua(Object value) {
    if (value == null) {
      return LuaValue.NIL;
    }
    if (value instanceof Map<?, ?> map) {
      LuaTable table = new LuaTable();
      map.forEach((k, v) -> table.set(String.valueOf(k), toLua(v)));
      return table;
    }
    if (value instanceof List<?> list) {
      LuaTable table = new LuaTable();
      for (int i = 0; i < list.size(); i++) {
        table.set(i + 1, toLua(list.get(i)));
      }
      return table;
    }
    if (value instanceof Boolean b) {
      return LuaValue.valueOf(b);
    }
    if (value instanceof Number n) {
      // Argo CD hands Lua JSON numbers, i.e. floats; integral ones compare equal either way.
      return LuaValue.valueOf(n.doubleValue());
    }
    return LuaValue.valueOf(String.valueOf(value));
  }

  private static AppDatabase appDatabase(long generation, Long observedGeneration, Condition... c) {
    AppDatabase adb = new AppDatabase();
    adb.setMetadata(
        new ObjectMetaBuilder()
            .withName("teacher-portal")
            .withNamespace("teacher-portal")
            .withGeneration(generation)
            .build());
    if (observedGeneration != null || c.length > 0) {
      AppDatabaseStatus status = new AppDatabaseStatus();
      status.setObservedGeneration(observedGeneration);
      status.setConditions(List.of(c));
      adb.setStatus(status);
    }
    return adb;
  }

  private static Condition condition(
      String type, String status, String reason, String message, long observedGeneration) {
    return new ConditionBuilder()
        .withType(type)
        .withStatus(status)
        .withReason(reason)
        .withMessage(message)
        .withObservedGeneration(observedGeneration)
        .withLastTransitionTime("2025-01-01T00:00:00Z")
        .build();
  }

  @Test
  void readyForTheCurrentGenerationIsHealthy() {
    Health h =
        health(
            appDatabase(
                3,
                3L,
                condition("Ready", "True", "Provisioned", "Database and Secret are ready", 3),
                condition("Reconciling", "False", "Provisioned", "", 3),
                condition("Stalled", "False", "Provisioned", "", 3)));

    assertThat(h.status()).isEqualTo("Healthy");
    assertThat(h.message()).contains("Database and Secret are ready");
  }

  @Test
  void readyForAnOlderGenerationIsProgressing() {
    Health h =
        health(
            appDatabase(
                4,
                3L,
                condition("Ready", "True", "Provisioned", "Database and Secret are ready", 3)));

    assertThat(h.status()).isEqualTo("Progressing");
    assertThat(h.message()).contains("generation 4");
  }

  @Test
  void aReadyConditionLeftFromAnOlderGenerationIsNotHealthy() {
    Health h = health(appDatabase(4, 4L, condition("Ready", "True", "Provisioned", "old", 3)));

    assertThat(h.status()).isEqualTo("Progressing");
  }

  @Test
  void stalledIsDegradedWithTheOperatorsMessage() {
    Health h =
        health(
            appDatabase(
                2,
                2L,
                condition("Ready", "False", "NamespaceNotAllowed", "not allowed", 2),
                condition("Reconciling", "False", "NamespaceNotAllowed", "", 2),
                condition(
                    "Stalled",
                    "True",
                    "NamespaceNotAllowed",
                    "DatabaseServer shared-postgres does not allow namespace teacher-portal",
                    2)));

    assertThat(h.status()).isEqualTo("Degraded");
    assertThat(h.message())
        .isEqualTo(
            "NamespaceNotAllowed: DatabaseServer shared-postgres does not allow namespace"
                + " teacher-portal");
  }

  @Test
  void stalledForAnOlderGenerationIsProgressingBecauseTheFixMayBeInTheNewSpec() {
    Health h =
        health(
            appDatabase(
                3, 2L, condition("Stalled", "True", "InvalidSpec", "template key is invalid", 2)));

    assertThat(h.status()).isEqualTo("Progressing");
  }

  @Test
  void reconcilingIsProgressingWithItsMessage() {
    Health h =
        health(
            appDatabase(
                1,
                1L,
                condition("Ready", "False", "ServerUnavailable", "connection refused", 1),
                condition(
                    "Reconciling",
                    "True",
                    "ServerUnavailable",
                    "retrying: connection refused",
                    1)));

    assertThat(h.status()).isEqualTo("Progressing");
    assertThat(h.message()).isEqualTo("ServerUnavailable: retrying: connection refused");
  }

  @Test
  void noStatusIsProgressing() {
    Health h = health(appDatabase(1, null));

    assertThat(h.status()).isEqualTo("Progressing");
    assertThat(h.message()).contains("Waiting for the operator");
  }

  @Test
  void statusWithoutConditionsIsProgressing() {
    Health h = health(appDatabase(1, 1L));

    assertThat(h.status()).isEqualTo("Progressing");
    assertThat(h.message()).isEqualTo("Waiting for the Ready condition");
  }

  @Test
  void readyFalseWithoutReconcilingIsStillProgressing() {
    Health h = health(appDatabase(1, 1L, condition("Ready", "False", "Progressing", "", 1)));

    assertThat(h.status()).isEqualTo("Progressing");
  }

  @Test
  void theArgoConfigMapPatchEmbedsThisExactScriptForBothKinds() throws IOException {
    Map<String, Object> configMap =
        SERIALIZATION.unmarshal(
            Files.readString(RepoRoot.path().resolve("deploy/argocd/argocd-cm-patch.yaml")),
            Map.class);
    @SuppressWarnings("unchecked")
    Map<String, String> data = (Map<String, String>) configMap.get("data");

    assertThat(data)
        .containsOnlyKeys(
            "resource.customizations.health.appdb.io_AppDatabase",
            "resource.customizations.health.appdb.io_DatabaseServer");
    assertThat(data.values()).allSatisfy(embedded -> assertThat(embedded).isEqualTo(script));
  }
}
