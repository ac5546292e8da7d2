package io.appdb.operator.reconciler;

/**
 * A failure expected to go away by itself or by a fix elsewhere (server down, admin credentials
 * being rotated). Reported as {@code Reconciling=True} with {@link #reason()} and retried with
 * backoff by the JOSDK retry.
 */
public class TransientProblem extends RuntimeException {
  private final String reason;

  public TransientProblem(String reason, String message) {
    this(reason, message, null);
  }

  public TransientProblem(String reason, String message, Throwable cause) {
    super(message, cause);
    this.reason = reason;
  }

  public String reason() {
    return reason;
  }
}
