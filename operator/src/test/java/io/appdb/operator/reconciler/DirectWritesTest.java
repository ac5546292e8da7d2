package io.appdb.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.appdb.operator.api.v1alpha1.AppDatabase;
import io.appdb.operator.api.v1alpha1.DatabaseServer;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.net.HttpURLConnection;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The writes sent without fabric8's DSL, against the mock API server in CRUD mode: they land where
 * the DSL would put them, return the stored object, and fail with the DSL's exception and HTTP
 * code.
 */
class DirectWritesTest {
  private final CrudApi api = new CrudApi();
  private final KubernetesClient client = api.client;
  private final DirectWrites writes = new DirectWrites(client);

  @AfterEach
  void stop() {
    api.close();
  }

  private static Secret secret(String name) {
    return new SecretBuilder()
        .withNewMetadata()
        .withNamespace("team")
        .withName(name)
        .withLabels(Map.of("app.kubernetes.io/managed-by", "appdb-operator"))
        .endMetadata()
        .withData(Map.of("DB_USER", "c2hvcF91c2Vy"))
        .build();
  }

  @Test
  void pathsFollowTheTypesGroupVersionAndScope() {
    assertThat(DirectWrites.collection(Secret.class, "team"))
        .isEqualTo("/api/v1/namespaces/team/secrets");
    assertThat(DirectWrites.collection(AppDatabase.class, "team"))
        .isEqualTo("/apis/appdb.io/v1alpha1/namespaces/team/appdatabases");
    assertThat(DirectWrites.collection(DatabaseServer.class, null))
        .isEqualTo("/apis/appdb.io/v1alpha1/databaseservers");
  }

  @Test
  void aCreatedObjectIsStoredAndReturnedAsStored() {
    Secret created = writes.create(secret("shop-db"));

    assertThat(created.getMetadata().getResourceVersion()).isNotBlank();
    Secret stored = client.secrets().inNamespace("team").withName("shop-db").get();
    assertThat(stored.getData()).containsEntry("DB_USER", "c2hvcF91c2Vy");
    assertThat(stored.getMetadata().getResourceVersion())
        .isEqualTo(created.getMetadata().getResourceVersion());
  }

  @Test
  void aSecondCreateFailsWithConflictAsWithTheDsl() {
    writes.create(secret("shop-db"));

    KubernetesClientException failure =
        catchThrowableOfType(
            () -> writes.create(secret("shop-db")), KubernetesClientException.class);

    assertThat(failure.getCode()).isEqualTo(HttpURLConnection.HTTP_CONFLICT);
    assertThat(failure.getMessage()).contains("POST").contains("/namespaces/team/secrets");
  }

  @Test
  void patchingAnObjectThatIsGoneFailsWithNotFound() {
    KubernetesClientException failure =
        catchThrowableOfType(
            () ->
                writes.patch(
                    AppDatabase.class,
                    "team",
                    "missing",
                    "[{\"op\":\"add\",\"path\":\"/metadata/finalizers\",\"value\":[]}]",
                    false),
            KubernetesClientException.class);

    assertThat(failure.getCode()).isEqualTo(HttpURLConnection.HTTP_NOT_FOUND);
  }

  @Test
  void anEventWrittenWithoutReadingTheReplyIsStoredWhole() {
    writes.createIgnoringReply(
        Event.class,
        "team",
        "{\"apiVersion\":\"v1\",\"kind\":\"Event\",\"metadata\":{\"namespace\":\"team\","
            + "\"name\":\"shop.1\"},\"reason\":\"Provisioned\",\"message\":\"ready\"}");

    Event stored = client.v1().events().inNamespace("team").withName("shop.1").get();
    assertThat(stored.getReason()).isEqualTo("Provisioned");
    assertThat(stored.getMessage()).isEqualTo("ready");
  }

  @Test
  void anUnreachableServerIsTheDslsExceptionToo() {
    try (KubernetesClient unreachable =
        new KubernetesClientBuilder()
            .withConfig(
                new ConfigBuilder()
                    .withMasterUrl("http://127.0.0.1:1")
                    .withRequestRetryBackoffLimit(0)
                    .withRequestTimeout(2000)
                    .build())
            .build()) {
      KubernetesClientException failure =
          catchThrowableOfType(
              () -> new DirectWrites(unreachable).createIgnoringReply(Event.class, "team", "{}"),
              KubernetesClientException.class);

      assertThat(failure).isNotNull();
      assertThat(failure.getCause()).isNotNull();
    }
  }
}
