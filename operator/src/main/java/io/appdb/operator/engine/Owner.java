package io.appdb.operator.engine;

/**
 * The AppDatabase a database or user belongs to. Identity is namespace and name, so that
 * re-creating an AppDatabase with {@code deletionPolicy: Retain} re-attaches to what it left.
 */
public record Owner(String namespace, String name) {
  @Override
  public String toString() {
    return namespace + "/" + name;
  }
}
