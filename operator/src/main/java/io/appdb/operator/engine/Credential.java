package io.appdb.operator.engine;

/**
 * A new user's password with what the engine derives from it on the client before the server sees
 * it (PostgreSQL: the SCRAM-SHA-256 verifier; null on engines that derive nothing). Made by {@link
 * DatabaseEngine#credential} before an admin connection is borrowed, so that no connection is held
 * while it is computed. Its text form shows neither.
 */
public record Credential(String password, String verifier) {
  @Override
  public String toString() {
    return "Credential[***]";
  }
}
