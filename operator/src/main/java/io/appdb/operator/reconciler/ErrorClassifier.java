package io.appdb.operator.reconciler;

import io.appdb.operator.engine.EngineException;
import io.appdb.operator.status.Outcome;
import io.appdb.operator.status.Reasons;
import io.fabric8.kubernetes.client.KubernetesClientException;

/**
 * The one mapping from a failure to a condition: permanent problems stall, everything else is
 * reported as reconciling and retried with backoff. Messages of unknown exceptions are not copied
 * into status, since they could carry anything; their class name is enough to look up the log.
 */
public final class ErrorClassifier {
  private ErrorClassifier() {}

  public static Outcome classify(Throwable error) {
    for (Throwable t = error; t != null; t = t.getCause()) {
      if (t instanceof PermanentProblem p) {
        return Outcome.stalled(p.reason(), p.getMessage());
      }
      if (t instanceof TransientProblem p) {
        return Outcome.reconciling(p.reason(), p.getMessage());
      }
      if (t instanceof EngineException e) {
        return Outcome.reconciling(reasonOf(e.kind()), e.getMessage());
      }
      if (t instanceof KubernetesClientException k) {
        return Outcome.reconciling(
            Reasons.API_ERROR, "Kubernetes API request failed with HTTP " + k.getCode());
      }
      if (t.getCause() == t) {
        break;
      }
    }
    return Outcome.reconciling(
        Reasons.INTERNAL_ERROR,
        "unexpected " + error.getClass().getSimpleName() + "; see the operator log");
  }

  /** True when the failure comes from the operator stopping (a thread interrupted mid-call). */
  public static boolean interrupted(Throwable error) {
    if (Thread.currentThread().isInterrupted()) {
      return true;
    }
    for (Throwable t = error; t != null && t.getCause() != t; t = t.getCause()) {
      // Not InterruptedIOException: SocketTimeoutException is one, and a timeout is real news.
      if (t instanceof InterruptedException
          || (t.getMessage() != null && t.getMessage().contains("Interrupted during connection"))) {
        return true;
      }
    }
    return false;
  }

  static String reasonOf(EngineException.Kind kind) {
    return switch (kind) {
      case UNAVAILABLE -> Reasons.SERVER_UNAVAILABLE;
      case ADMIN_CREDENTIALS_INVALID -> Reasons.ADMIN_CREDENTIALS_INVALID;
      case INSUFFICIENT_PRIVILEGES -> Reasons.INSUFFICIENT_PRIVILEGES;
      case LOGIN_FAILED -> Reasons.LOGIN_FAILED;
      case SQL_ERROR -> Reasons.SQL_ERROR;
    };
  }
}
