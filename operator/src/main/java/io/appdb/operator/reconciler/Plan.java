package io.appdb.operator.reconciler;

import io.appdb.operator.api.v1alpha1.AppDatabase;
import io.appdb.operator.api.v1alpha1.DatabaseServer;
import io.appdb.operator.api.v1alpha1.Engine;
import io.appdb.operator.engine.Owner;

/** Everything decided about an AppDatabase before any SQL runs. */
public record Plan(
    AppDatabase resource,
    DatabaseServer server,
    String databaseName,
    String username,
    String secretName) {

  public String serverName() {
    return server.getMetadata().getName();
  }

  public Engine engine() {
    return server.getSpec().getEngine();
  }

  public Owner owner() {
    return new Owner(resource.getMetadata().getNamespace(), resource.getMetadata().getName());
  }

  public Provisioner.Target target() {
    boolean provisionedBefore =
        resource.getStatus() != null && resource.getStatus().getBinding() != null;
    return new Provisioner.Target(
        owner(),
        serverName(),
        databaseName,
        username,
        resource.getSpec().getConnectionLimit(),
        provisionedBefore);
  }
}
