package io.appdb.operator.status;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The result of one reconcile in kstatus terms, turned into conditions by {@link Conditions}.
 *
 * @param reason CamelCase, one of {@link Reasons}
 * @param message for people: what is happening or what to change; never a password or URL
 */
public record Outcome(State state, String reason, String message) {

  public enum State {
    /** Everything is in place: Ready=True. */
    READY,
    /** Working, or retrying a transient failure: Reconciling=True. */
    RECONCILING,
    /** Only a person can fix it: Stalled=True. */
    STALLED
  }

  // metav1.Condition's rule for reason.
  private static final Pattern REASON = Pattern.compile("^[A-Za-z]([A-Za-z0-9_,:]*[A-Za-z0-9_])?$");

  public Outcome {
    Objects.requireNonNull(state, "state");
    Objects.requireNonNull(reason, "reason");
    if (reason.length() > 1024 || !REASON.matcher(reason).matches()) {
      throw new IllegalArgumentException("not a condition reason: '" + reason + "'");
    }
    message = message == null ? "" : message;
  }

  public static Outcome ready(String reason, String message) {
    return new Outcome(State.READY, reason, message);
  }

  public static Outcome reconciling(String reason, String message) {
    return new Outcome(State.RECONCILING, reason, message);
  }

  public static Outcome stalled(String reason, String message) {
    return new Outcome(State.STALLED, reason, message);
  }
}
