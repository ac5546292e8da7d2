package io.appdb.operator.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.appdb.operator.api.v1alpha1.AppDatabase;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The Flux example must keep pointing at the real AppDatabase API and order app after database. */
class FluxExampleTest {

  @SuppressWarnings("unchecked")
  private static Map<String, Object> spec(GenericKubernetesResource r) {
    return (Map<String, Object>) r.getAdditionalProperties().get("spec");
  }

  @SuppressWarnings("unchecked")
  private static List<String> dependsOn(GenericKubernetesResource r) {
    List<Map<String, String>> deps =
        (List<Map<String, String>>) spec(r).getOrDefault("dependsOn", List.of());
    return deps.stream().map(d -> d.get("name")).toList();
  }

  @Test
  @SuppressWarnings("unchecked")
  void appWaitsForItsAppDatabaseWhichWaitsForTheOperator() throws IOException {
    String text = Files.readString(RepoRoot.path().resolve("deploy/flux/kustomizations.yaml"));
    KubernetesSerialization serialization = new KubernetesSerialization();
    Map<String, GenericKubernetesResource> byName =
        Arrays.stream(text.split("(?m)^---\\s*$"))
            .filter(doc -> doc.contains("kind:"))
            .map(doc -> serialization.unmarshal(doc, GenericKubernetesResource.class))
            .peek(r -> assertThat(r.getKind()).isEqualTo("Kustomization"))
            .collect(Collectors.toMap(r -> r.getMetadata().getName(), r -> r));

    GenericKubernetesResource database = byName.get("teacher-portal-database");
    assertThat(dependsOn(database)).containsExactly("appdb-operator");
    List<Map<String, String>> checks =
        (List<Map<String, String>>) spec(database).get("healthChecks");
    assertThat(checks)
        .singleElement()
        .satisfies(
            c -> {
              assertThat(c)
                  .containsEntry("apiVersion", HasMetadata.getApiVersion(AppDatabase.class));
              assertThat(c).containsEntry("kind", HasMetadata.getKind(AppDatabase.class));
            });

    assertThat(dependsOn(byName.get("teacher-portal"))).containsExactly("teacher-portal-database");
    assertThat(spec(byName.get("appdb-operator"))).containsEntry("wait", true);
  }
}
