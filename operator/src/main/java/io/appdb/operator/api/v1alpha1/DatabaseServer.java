package io.appdb.operator.api.v1alpha1;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * A shared database server registered by the platform team. Cluster-scoped: it does not implement
 * {@link Namespaced}.
 */
@Group(DatabaseServer.GROUP)
@Version(DatabaseServer.VERSION)
@Plural("databaseservers")
@ShortNames("dbserver")
@AdditionalPrinterColumn(
    name = "Ready",
    jsonPath = ".status.conditions[?(@.type==\"Ready\")].status",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
    name = "Engine",
    jsonPath = ".spec.engine",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
    name = "Version",
    jsonPath = ".status.serverVersion",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
    name = "Databases",
    jsonPath = ".status.databases",
    type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(
    name = "Age",
    jsonPath = ".metadata.creationTimestamp",
    type = AdditionalPrinterColumn.Type.DATE)
public class DatabaseServer extends CustomResource<DatabaseServerSpec, DatabaseServerStatus> {
  public static final String GROUP = "appdb.io";
  public static final String VERSION = "v1alpha1";

  /** Marks the server used by AppDatabases that name none. */
  public static final String DEFAULT_SERVER_ANNOTATION = "appdb.io/default-server";

  @Override
  protected DatabaseServerStatus initStatus() {
    return new DatabaseServerStatus();
  }
}
