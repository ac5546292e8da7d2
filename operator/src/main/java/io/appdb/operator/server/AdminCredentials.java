package io.appdb.operator.server;

/** Admin login read from a DatabaseServer's admin Secret. {@link #toString()} redacts. */
public record AdminCredentials(String username, String password) {
  @Override
  public String toString() {
    return "AdminCredentials[" + username + ", ****]";
  }
}
