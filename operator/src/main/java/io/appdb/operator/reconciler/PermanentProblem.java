package io.appdb.operator.reconciler;

/**
 * A failure only a person can fix (bad spec, a name someone else owns, a Secret we do not own).
 * Reported as {@code Stalled=True} with {@link #reason()}; not retried until the resource or a
 * watched dependency changes.
 */
public class PermanentProblem extends RuntimeException {
  private final String reason;

  public PermanentProblem(String reason, String message) {
    super(message);
    this.reason = reason;
  }

  public String reason() {
    return reason;
  }
}
