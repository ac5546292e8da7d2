package io.appdb.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.appdb.operator.api.v1alpha1.AppDatabase;
import io.appdb.operator.api.v1alpha1.AppDatabaseStatus;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.CustomResourceDefinitionContext;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.crud.AttributeSet;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The bench's mock API server finds objects by name instead of scanning: every lookup here is also
 * made by fabric8's scan ({@code verify}), and a difference is recorded. Objects share names across
 * namespaces and kinds, so that a lookup by name alone would find the wrong one.
 */
class IndexedCrudDispatcherTest {
  private IndexedCrudDispatcher dispatcher;
  private KubernetesMockServer server;
  private KubernetesClient client;

  @BeforeEach
  void start() {
    dispatcher = new IndexedCrudDispatcher(true);
    server =
        new KubernetesMockServer(
            new Context(), new MockWebServer(), new HashMap<>(), dispatcher, false);
    server.init();
    server.expectCustomResource(
        CustomResourceDefinitionContext.fromCustomResourceType(AppDatabase.class));
    client = server.createClient();
  }

  @AfterEach
  void stop() {
    client.close();
    server.destroy();
  }

  @Test
  void findsTheAddressedObjectAmongNamesakesAsTheScanDoes() {
    for (String ns : new String[] {"a", "b"}) {
      client
          .namespaces()
          .resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build())
          .create();
      client.secrets().inNamespace(ns).resource(secret("x", ns)).create();
    }
    client
        .configMaps()
        .inNamespace("a")
        .resource(
            new ConfigMapBuilder()
                .withNewMetadata()
                .withName("x")
                .endMetadata()
                .addToData("k", "config")
                .build())
        .create();
    AppDatabase adb = new AppDatabase();
    adb.setMetadata(new ObjectMetaBuilder().withName("x").withNamespace("a").build());
    client.resources(AppDatabase.class).inNamespace("a").resource(adb).create();

    // A second create of the same object conflicts; of a namesake elsewhere it does not.
    assertThatThrownBy(() -> client.secrets().inNamespace("a").resource(secret("x", "a")).create())
        .isInstanceOf(KubernetesClientException.class)
        .extracting(e -> ((KubernetesClientException) e).getCode())
        .isEqualTo(409);

    // A patch changes the addressed object only.
    client
        .secrets()
        .inNamespace("b")
        .withName("x")
        .patch(
            PatchContext.of(PatchType.JSON_MERGE),
            "{\"metadata\":{\"labels\":{\"patched\":\"yes\"}}}");
    assertThat(client.secrets().inNamespace("b").withName("x").get().getMetadata().getLabels())
        .containsEntry("patched", "yes");
    assertThat(client.secrets().inNamespace("a").withName("x").get().getMetadata().getLabels())
        .doesNotContainKey("patched");
    assertThat(client.configMaps().inNamespace("a").withName("x").get().getData())
        .containsEntry("k", "config");

    // The status subresource of the custom resource, addressed by name.
    AppDatabaseStatus status = new AppDatabaseStatus();
    status.setObservedGeneration(1L);
    adb.setStatus(status);
    client.resources(AppDatabase.class).inNamespace("a").resource(adb).patchStatus();
    assertThat(
            client
                .resources(AppDatabase.class)
                .inNamespace("a")
                .withName("x")
                .get()
                .getStatus()
                .getObservedGeneration())
        .isEqualTo(1L);

    // Deleted, it is gone from the index too: created again without a conflict.
    client.secrets().inNamespace("a").withName("x").delete();
    assertThat(client.secrets().inNamespace("a").withName("x").get()).isNull();
    client.secrets().inNamespace("a").resource(secret("x", "a")).create();
    assertThat(client.secrets().inNamespace("a").withName("x").get()).isNotNull();

    // A delete by name removes the addressed namesake only; of a missing object it is a 404.
    client.secrets().inNamespace("b").withName("x").delete();
    assertThat(client.secrets().inNamespace("b").withName("x").get()).isNull();
    assertThat(client.secrets().inNamespace("a").withName("x").get()).isNotNull();
    assertThat(client.configMaps().inNamespace("a").withName("x").get()).isNotNull();
    assertThat(client.secrets().inNamespace("b").withName("x").delete()).isEmpty();

    // With a finalizer, a delete only marks the object; removing the finalizer removes it.
    setFinalizers("a", "x", java.util.List.of("appdb.io/test"));
    client.resources(AppDatabase.class).inNamespace("a").withName("x").delete();
    AppDatabase marked = client.resources(AppDatabase.class).inNamespace("a").withName("x").get();
    assertThat(marked.getMetadata().getDeletionTimestamp()).isNotNull();
    setFinalizers("a", "x", java.util.List.of());
    assertThat(client.resources(AppDatabase.class).inNamespace("a").withName("x").get()).isNull();

    // Every lookup found what fabric8's scan found, and every stored object is indexed once.
    assertThat(dispatcher.mismatches()).isEmpty();
    assertThat(dispatcher.indexed()).isEqualTo(stored().size());
  }

  @Test
  void aDifferenceFromTheScanIsRecordedAndTheScanAnswers() {
    client
        .namespaces()
        .resource(new NamespaceBuilder().withNewMetadata().withName("a").endMetadata().build())
        .create();
    client.secrets().inNamespace("a").resource(secret("x", "a")).create();
    // Stored behind the index's back: the scan finds it, the index does not.
    AttributeSet key =
        stored().keySet().stream()
            .filter(k -> k.toString().contains("secrets"))
            .findFirst()
            .orElseThrow();
    String value = stored().get(key);
    dispatcher.forgetInIndex(key);
    assertThat(stored()).containsEntry(key, value);

    assertThatThrownBy(() -> client.secrets().inNamespace("a").resource(secret("x", "a")).create())
        .isInstanceOf(KubernetesClientException.class)
        .extracting(e -> ((KubernetesClientException) e).getCode())
        .isEqualTo(409);
    assertThat(dispatcher.mismatches()).hasSize(1).first().asString().contains("scan");
  }

  private static Secret secret(String name, String ns) {
    return new SecretBuilder()
        .withNewMetadata()
        .withName(name)
        .withNamespace(ns)
        .endMetadata()
        .addToData("ns", java.util.Base64.getEncoder().encodeToString(ns.getBytes()))
        .build();
  }

  private void setFinalizers(String ns, String name, java.util.List<String> finalizers) {
    client
        .resources(AppDatabase.class)
        .inNamespace(ns)
        .withName(name)
        .edit(
            r -> {
              r.getMetadata().setFinalizers(finalizers);
              return r;
            });
  }

  private Map<AttributeSet, String> stored() {
    return dispatcher.getMap();
  }
}
