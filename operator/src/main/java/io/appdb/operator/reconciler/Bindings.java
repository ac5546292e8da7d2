package io.appdb.operator.reconciler;

import io.appdb.operator.engine.Owner;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which AppDatabases are bound to which server, as last seen by the AppDatabase controller. The
 * DatabaseServer controller reads it to report {@code status.databases} without keeping a second
 * cache of every AppDatabase.
 */
public final class Bindings {
  private final Map<Owner, String> serverByOwner = new ConcurrentHashMap<>();

  public void bind(Owner owner, String server) {
    serverByOwner.put(owner, server);
  }

  public void unbind(Owner owner) {
    serverByOwner.remove(owner);
  }

  public int count(String server) {
    return (int) serverByOwner.values().stream().filter(server::equals).count();
  }

  public Set<Owner> owners() {
    return Set.copyOf(serverByOwner.keySet());
  }
}
