package io.appdb.playground;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * The two CRDs exactly as the build generated them into the operator's jar, so the in-process API
 * serves the same names, scopes and printer columns as a cluster with {@code crds/} applied.
 */
final class OperatorCrds {

  private static final List<String> FILES =
      List.of("appdatabases.appdb.io-v1.yml", "databaseservers.appdb.io-v1.yml");

  private OperatorCrds() {}

  static List<CustomResourceDefinition> load() {
    return FILES.stream().map(OperatorCrds::read).toList();
  }

  private static CustomResourceDefinition read(String file) {
    String resource = "/META-INF/fabric8/" + file;
    try (InputStream in = OperatorCrds.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException(resource + " is not on the classpath (operator jar)");
      }
      return new KubernetesSerialization().unmarshal(in, CustomResourceDefinition.class);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
