package io.appdb.operator.reconciler;

import io.appdb.operator.api.v1alpha1.DatabaseServer;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Read access to DatabaseServers and namespace labels, from caches where the operator has them. */
public interface ServerLookup {
  Optional<DatabaseServer> server(String name);

  List<DatabaseServer> servers();

  Map<String, String> namespaceLabels(String namespace);
}
