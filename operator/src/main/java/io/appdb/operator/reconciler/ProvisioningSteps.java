package io.appdb.operator.reconciler;

/**
 * The provisioning steps in the order they run, and a hook called before each. Production uses
 * {@link #NONE}; the crash-safety tests install a listener that fails at a chosen step to prove
 * that every interruption converges on the next reconcile.
 */
public final class ProvisioningSteps {
  public enum Step {
    CLAIM,
    SECRET,
    USER,
    DATABASE,
    GRANTS,
    LOGIN_CHECK,
    STATUS,
    DROP,
    /** A resync that found everything in place in the server's catalog snapshot: login only. */
    VERIFY,
    /**
     * A reconcile with nothing new to apply, about to be answered by a recent full check, the
     * catalog snapshot and a login, or (if those do not show everything in place) the full steps.
     */
    RESYNC
  }

  /** Called before a step runs, with the AppDatabase it runs for ("namespace/name"). */
  @FunctionalInterface
  public interface Listener {
    void before(Step step, String appDatabase);
  }

  public static final Listener NONE = (step, appDatabase) -> {};

  private ProvisioningSteps() {}
}
