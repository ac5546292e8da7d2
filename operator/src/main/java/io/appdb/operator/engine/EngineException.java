package io.appdb.operator.engine;

/**
 * A failure talking to a database server, classified once, where it happens, so that the
 * reconcilers can map it to a condition reason without inspecting SQL states themselves. The
 * message never contains a password or a statement that carries one.
 */
public class EngineException extends RuntimeException {

  public enum Kind {
    /** Cannot connect, connection lost, or timed out. Transient. */
    UNAVAILABLE,
    /** The server rejected the admin credentials. Transient (fixed by editing the Secret). */
    ADMIN_CREDENTIALS_INVALID,
    /** The admin lacks a privilege needed for a statement. Transient (fixed by a GRANT). */
    INSUFFICIENT_PRIVILEGES,
    /** The server rejected the application user's credentials during the login check. */
    LOGIN_FAILED,
    /** Any other SQL error. Transient, retried with backoff. */
    SQL_ERROR
  }

  private final Kind kind;

  public EngineException(Kind kind, String message, Throwable cause) {
    super(message, cause);
    this.kind = kind;
  }

  public EngineException(Kind kind, String message) {
    this(kind, message, null);
  }

  public Kind kind() {
    return kind;
  }
}
