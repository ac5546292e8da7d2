package io.appdb.operator.api.v1alpha1;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/** A database and its dedicated user on a shared server, requested by an application team. */
@Group(DatabaseServer.GROUP)
@Version(DatabaseServer.VERSION)
@Plural("appdatabases")
@ShortNames("appdb")
@AdditionalPrinterColumn(
    name = "Ready",
    jsonPath = ".status.conditions[?(@.type==\"Ready\")].status",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
    name = "Server",
    jsonPath = ".status.server",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
    name = "Database",
    jsonPath = ".status.databaseName",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
    name = "Secret",
    jsonPath = ".status.binding.name",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
    name = "Age",
    jsonPath = ".metadata.creationTimestamp",
    type = AdditionalPrinterColumn.Type.DATE)
public class AppDatabase extends CustomResource<AppDatabaseSpec, AppDatabaseStatus>
    implements Namespaced {

  @Override
  protected AppDatabaseSpec initSpec() {
    return new AppDatabaseSpec();
  }

  @Override
  protected AppDatabaseStatus initStatus() {
    return new AppDatabaseStatus();
  }
}
