package io.appdb.bench;

import io.appdb.operator.api.v1alpha1.AppDatabase;
import io.appdb.operator.api.v1alpha1.DeletionPolicy;
import io.appdb.operator.api.v1alpha1.Engine;
import io.appdb.operator.api.v1alpha1.ServerRef;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The N AppDatabases of one run, ten per namespace, interleaved between the two servers so that
 * both are loaded at the same time. The engine is part of the name ({@code -pg}/{@code -my}), which
 * lets observers attribute an AppDatabase without a lookup.
 */
final class Fleet {
  record Item(int index, String namespace, String name, Engine engine) {
    String key() {
      return namespace + "/" + name;
    }
  }

  final List<Item> items;
  final Map<String, Item> byKey;

  Fleet(String prefix, int count, double postgresShare) {
    List<Item> all = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      // Bresenham-style interleaving: exactly round(count * share) go to PostgreSQL.
      boolean pg = Math.round((i + 1) * postgresShare) > Math.round(i * postgresShare);
      Engine engine = pg ? Engine.POSTGRESQL : Engine.MYSQL;
      all.add(
          new Item(
              i,
              String.format("%s-%04d", prefix, i / 10),
              String.format("app-%05d-%s", i, engine == Engine.POSTGRESQL ? "pg" : "my"),
              engine));
    }
    items = List.copyOf(all);
    byKey = items.stream().collect(Collectors.toMap(Item::key, Function.identity()));
  }

  int count(Engine engine) {
    return (int) items.stream().filter(i -> i.engine() == engine).count();
  }

  List<String> namespaces() {
    return items.stream().map(Item::namespace).distinct().toList();
  }

  static Engine engineOf(String appDatabaseName) {
    return appDatabaseName.endsWith("-pg") ? Engine.POSTGRESQL : Engine.MYSQL;
  }

  static AppDatabase resource(Item item, String serverName) {
    AppDatabase adb = new AppDatabase();
    adb.getMetadata().setNamespace(item.namespace());
    adb.getMetadata().setName(item.name());
    adb.getSpec().setServerRef(new ServerRef(serverName));
    adb.getSpec().setDeletionPolicy(DeletionPolicy.Delete);
    return adb;
  }
}
