package io.appdb.operator.api.v1alpha1;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.WatchEvent;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import org.junit.jupiter.api.Test;

/**
 * The CR classes are known to fabric8's deserializer (META-INF/services), so that a watch event is
 * read straight into them; otherwise the informer reads a generic resource and converts it again.
 */
class ModelRegistrationTest {
  private final KubernetesSerialization serialization = new KubernetesSerialization();

  private WatchEvent event(String kind, String namespace) {
    return serialization.unmarshal(
        "{\"type\":\"MODIFIED\",\"object\":{\"apiVersion\":\"appdb.io/v1alpha1\",\"kind\":\""
            + kind
            + "\",\"metadata\":{"
            + namespace
            + "\"name\":\"shop\",\"resourceVersion\":\"7\"},\"spec\":{}}}",
        WatchEvent.class);
  }

  @Test
  void anAppDatabaseInAWatchEventIsReadIntoItsClass() {
    Object object = event("AppDatabase", "\"namespace\":\"team\",").getObject();

    assertThat(object).isInstanceOf(AppDatabase.class);
    assertThat(((AppDatabase) object).getMetadata().getNamespace()).isEqualTo("team");
  }

  @Test
  void aDatabaseServerInAWatchEventIsReadIntoItsClass() {
    assertThat(event("DatabaseServer", "").getObject()).isInstanceOf(DatabaseServer.class);
  }
}
