package io.appdb.operator.engine;

import java.util.Objects;

/**
 * One SQL statement about to be sent to a server. A statement carrying a secret is built with
 * {@link #sensitive}; its {@link #toString()} is the redacted form, so the statement can be logged
 * at DEBUG and put into exception messages without ever printing the secret.
 */
public final class Sql {

  private final String text;
  private final String redacted;

  private Sql(String text, String redacted) {
    this.text = Objects.requireNonNull(text);
    this.redacted = redacted;
  }

  public static Sql of(String text) {
    return new Sql(text, null);
  }

  /**
   * A statement containing a secret.
   *
   * @param redacted what to show instead, e.g. {@code ALTER USER 'x'@'%' IDENTIFIED BY ***}
   */
  public static Sql sensitive(String text, String redacted) {
    return new Sql(text, Objects.requireNonNull(redacted));
  }

  /** The text to send to the server. Never log this; log the object. */
  public String text() {
    return text;
  }

  public boolean isSensitive() {
    return redacted != null;
  }

  @Override
  public String toString() {
    return redacted != null ? redacted : text;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Sql other && text.equals(other.text);
  }

  @Override
  public int hashCode() {
    return text.hashCode();
  }
}
