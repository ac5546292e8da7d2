package io.appdb.operator.reconciler;

import io.appdb.operator.api.v1alpha1.AppDatabase;
import io.appdb.operator.api.v1alpha1.AppDatabaseStatus;
import io.appdb.operator.api.v1alpha1.Binding;
import io.appdb.operator.status.Conditions;
import io.appdb.operator.status.Outcome;
import io.fabric8.kubernetes.api.model.Condition;
import java.time.Clock;
import java.util.List;
import java.util.Optional;

/**
 * Builds the status an AppDatabase should have after a reconcile and says whether it differs from
 * the stored one, so that a reconcile that changes nothing writes nothing.
 */
final class AppDatabaseStatuses {
  private final Clock clock;

  AppDatabaseStatuses(Clock clock) {
    this.clock = clock;
  }

  /** The desired status; fields of {@code plan} are recorded when a plan was made. */
  AppDatabaseStatus desired(AppDatabase adb, Outcome outcome, Plan plan, boolean secretWritten) {
    AppDatabaseStatus current = adb.getStatus() == null ? new AppDatabaseStatus() : adb.getStatus();
    long generation = Optional.ofNullable(adb.getMetadata().getGeneration()).orElse(0L);
    AppDatabaseStatus next = new AppDatabaseStatus();
    next.setObservedGeneration(generation);
    next.setConditions(
        Conditions.apply(current.getConditions(), outcome, generation, clock.instant()));
    next.setServer(plan != null ? plan.serverName() : current.getServer());
    next.setEngine(plan != null ? plan.engine() : current.getEngine());
    next.setDatabaseName(plan != null ? plan.databaseName() : current.getDatabaseName());
    next.setUsername(plan != null ? plan.username() : current.getUsername());
    next.setBinding(
        plan != null && secretWritten ? new Binding(plan.secretName()) : current.getBinding());
    next.setAccounts(
        plan != null && secretWritten
            ? (plan.accounts().isEmpty()
                ? null
                : plan.accounts().stream().map(Plan.Account::toStatus).toList())
            : current.getAccounts());
    return next;
  }

  /** The Ready condition's (status, reason) pair, used to emit events only on transitions. */
  static String readyState(AppDatabaseStatus status) {
    if (status == null) {
      return "";
    }
    List<Condition> conditions = status.getConditions();
    return Conditions.find(conditions, Conditions.READY)
        .map(c -> c.getStatus() + "/" + c.getReason())
        .orElse("");
  }
}
