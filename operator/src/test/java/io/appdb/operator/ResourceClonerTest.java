package io.appdb.operator;

import static org.assertj.core.api.Assertions.assertThat;

import io.appdb.operator.api.v1alpha1.AppDatabase;
import io.appdb.operator.api.v1alpha1.AppDatabaseSpec;
import io.appdb.operator.api.v1alpha1.AppDatabaseStatus;
import io.appdb.operator.api.v1alpha1.Binding;
import io.appdb.operator.api.v1alpha1.DeletionPolicy;
import io.appdb.operator.api.v1alpha1.ServerRef;
import io.appdb.operator.status.Conditions;
import io.appdb.operator.status.Outcome;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ResourceClonerTest {
  private final KubernetesSerialization serialization = new KubernetesSerialization();
  private final ResourceCloner cloner = new ResourceCloner(serialization);

  private static AppDatabase appDatabase() {
    AppDatabase adb = new AppDatabase();
    adb.getMetadata().setNamespace("team");
    adb.getMetadata().setName("orders");
    adb.getMetadata().setResourceVersion("42");
    adb.getMetadata().setGeneration(3L);
    adb.getMetadata().setLabels(new HashMap<>(Map.of("app", "orders")));
    adb.getMetadata().setFinalizers(new ArrayList<>(List.of("appdatabases.appdb.io/finalizer")));
    adb.setSpec(new AppDatabaseSpec());
    adb.getSpec().setServerRef(new ServerRef("shared-pg"));
    adb.getSpec().setDeletionPolicy(DeletionPolicy.Delete);
    AppDatabaseStatus status = new AppDatabaseStatus();
    status.setObservedGeneration(3L);
    status.setConditions(
        Conditions.apply(
            List.of(),
            Outcome.ready("Provisioned", "ready"),
            3L,
            Instant.parse("2026-12-06T00:00:00Z")));
    status.setBinding(new Binding("orders-db"));
    adb.setStatus(status);
    return adb;
  }

  @Test
  void aCloneIsAnEqualButSeparateCopy() {
    AppDatabase original = appDatabase();
    String before = serialization.asJson(original);

    AppDatabase copy = cloner.clone(original);

    assertThat(copy).isNotSameAs(original).isInstanceOf(AppDatabase.class);
    assertThat(serialization.asJson(copy)).isEqualTo(before);
    // Changing every level of the copy leaves the original as it was.
    copy.getMetadata().getLabels().put("app", "changed");
    copy.getMetadata().getFinalizers().clear();
    copy.getSpec().getServerRef().setName("other");
    copy.getStatus().getConditions().get(0).setStatus("False");
    copy.getStatus().getBinding().setName("other-db");
    assertThat(serialization.asJson(original)).isEqualTo(before);
  }

  @Test
  void secretDataAndUnknownFieldsSurvive() {
    Secret secret =
        new SecretBuilder()
            .withNewMetadata()
            .withName("orders-db")
            .withNamespace("team")
            .endMetadata()
            .withData(Map.of("DB_PASSWORD", "c2VjcmV0"))
            .build();
    secret.setAdditionalProperty("futureField", Map.of("nested", List.of(1, 2)));
    Secret copy = cloner.clone(secret);
    assertThat(copy).isEqualTo(secret).isNotSameAs(secret);
    assertThat(copy.getData()).isNotSameAs(secret.getData());

    GenericKubernetesResource generic =
        serialization.unmarshal(
            "{\"apiVersion\":\"example.com/v1\",\"kind\":\"Thing\",\"metadata\":{\"name\":\"x\"},"
                + "\"spec\":{\"a\":[1,{\"b\":null}]}}",
            GenericKubernetesResource.class);
    assertThat(serialization.asJson(cloner.clone(generic)))
        .isEqualTo(serialization.asJson(generic));
  }
}
