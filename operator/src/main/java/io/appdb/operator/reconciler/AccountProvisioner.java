package io.appdb.operator.reconciler;

import io.appdb.operator.api.v1alpha1.AccountStatus;
import io.appdb.operator.api.v1alpha1.AppDatabase;
import io.appdb.operator.engine.ClaimKind;
import io.appdb.operator.engine.ClaimResult;
import io.appdb.operator.engine.DatabaseEngine;
import io.appdb.operator.engine.EngineException;
import io.appdb.operator.engine.Owner;
import io.appdb.operator.status.Reasons;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The ReadWrite and ReadOnly accounts of {@code spec.accounts}, after {@link Provisioner} has set
 * up the database and its Owner. Per account, in the Owner's order: claim the user, write its
 * Secret, create or correct the user, apply its access, log in. Then accounts that left the spec
 * are removed: their users (found through this AppDatabase's claims on the server, so that a crash
 * cannot orphan one) are dropped after their privileges were revoked, and their Secrets deleted.
 *
 * <p>An AppDatabase that never had accounts is not touched by any of this: no query runs.
 */
final class AccountProvisioner {
  private final ProvisioningSteps.Listener steps;

  AccountProvisioner(ProvisioningSteps.Listener steps) {
    this.steps = steps;
  }

  /** What happened to the accounts; {@code drift} holds corrections made to hand-made changes. */
  record Result(
      List<String> created,
      List<String> passwordsApplied,
      List<String> removed,
      List<String> drift) {}

  /** Whether this AppDatabase has or had accounts besides the owner user. */
  static boolean inUse(Plan plan) {
    return !plan.accounts().isEmpty() || !Accounts.recorded(plan.resource().getStatus()).isEmpty();
  }

  /**
   * The users of this AppDatabase's other accounts, present and to be removed: the owner's grants
   * leave their privileges to this class. Empty when accounts are not in use.
   */
  Set<String> accountUsers(DatabaseEngine engine, Plan plan) {
    if (!inUse(plan)) {
      return Set.of();
    }
    Set<String> users = new TreeSet<>(engine.claimedNames(ClaimKind.USER, plan.owner()));
    plan.otherAccounts().forEach(a -> users.add(a.username()));
    users.remove(plan.username());
    return users;
  }

  Result reconcile(DatabaseEngine engine, Plan plan, ConnectionSecrets secrets) {
    List<String> created = new ArrayList<>();
    List<String> applied = new ArrayList<>();
    List<String> removed = new ArrayList<>();
    List<String> drift = new ArrayList<>();
    if (!inUse(plan)) {
      return new Result(created, applied, removed, drift);
    }
    for (Plan.Account account : plan.otherAccounts()) {
      provision(engine, plan, account, secrets, created, applied, drift);
    }
    removeStale(engine, plan, secrets, removed);
    return new Result(created, applied, removed, drift);
  }

  /**
   * With deletionPolicy Delete, after the database and owner are gone: drops every other user this
   * AppDatabase claimed. Their privileges went with the database.
   */
  void dropAll(DatabaseEngine engine, Plan plan) {
    if (!inUse(plan)) {
      return;
    }
    for (String user : engine.claimedNames(ClaimKind.USER, plan.owner())) {
      if (!user.equals(plan.username())) {
        steps.before(ProvisioningSteps.Step.DROP, plan.owner().toString());
        engine.terminateSessions(null, user);
        engine.dropUser(user);
        engine.releaseClaim(ClaimKind.USER, user, plan.owner());
      }
    }
  }

  private void provision(
      DatabaseEngine engine,
      Plan plan,
      Plan.Account account,
      ConnectionSecrets secrets,
      List<String> created,
      List<String> applied,
      List<String> drift) {
    String owner = plan.owner().toString();
    String user = account.username();
    steps.before(ProvisioningSteps.Step.CLAIM, owner);
    claim(engine, plan, account);
    steps.before(ProvisioningSteps.Step.SECRET, owner);
    Provisioner.SecretState secret = secrets.ensure(plan, account);

    boolean userExisted = engine.userExists(user);
    boolean loggedIn = false;
    boolean passwordDrift = false;
    if (userExisted && !secret.changed()) {
      try {
        engine.verifyLogin(plan.databaseName(), user, secret.password());
        loggedIn = true;
      } catch (EngineException e) {
        if (e.kind() != EngineException.Kind.LOGIN_FAILED) {
          throw e;
        }
        passwordDrift = true;
      }
    }
    List<String> repaired = new ArrayList<>();
    if (passwordDrift) {
      repaired.add("password of user " + user + " did not match the Secret and was reset");
    }
    steps.before(ProvisioningSteps.Step.USER, owner);
    repaired.addAll(engine.ensureUser(user, secret.password(), account.connectionLimit()));
    steps.before(ProvisioningSteps.Step.GRANTS, owner);
    repaired.addAll(
        engine.ensureAccess(plan.databaseName(), plan.username(), user, account.access()));
    steps.before(ProvisioningSteps.Step.LOGIN_CHECK, owner);
    if (!loggedIn || !repaired.isEmpty()) {
      engine.verifyLogin(plan.databaseName(), user, secret.password());
    }
    if (!userExisted) {
      created.add(account.name() + " (user " + user + ", " + account.access() + ")");
    } else if (secret.changed() || passwordDrift) {
      applied.add(account.name() + " (user " + user + ", Secret " + account.secretName() + ")");
    }
    drift.addAll(repaired);
  }

  /**
   * Users claimed by this AppDatabase that neither the owner nor any account uses now. The owner
   * user (the recorded one included) is never among them: its objects are the data.
   */
  private void removeStale(
      DatabaseEngine engine, Plan plan, ConnectionSecrets secrets, List<String> removed) {
    Set<String> wanted = new LinkedHashSet<>();
    wanted.add(plan.username());
    plan.accounts().forEach(a -> wanted.add(a.username()));
    Optional.ofNullable(plan.resource().getStatus())
        .map(s -> s.getUsername())
        .ifPresent(wanted::add);
    for (String user : engine.claimedNames(ClaimKind.USER, plan.owner())) {
      if (wanted.contains(user)) {
        continue;
      }
      steps.before(ProvisioningSteps.Step.DROP, plan.owner().toString());
      engine.terminateSessions(null, user);
      engine.revokeAccess(plan.databaseName(), plan.username(), user);
      engine.dropUser(user);
      engine.releaseClaim(ClaimKind.USER, user, plan.owner());
      removed.add("user " + user);
    }
    Set<String> wantedSecrets = new LinkedHashSet<>();
    wantedSecrets.add(plan.secretName());
    plan.accounts().forEach(a -> wantedSecrets.add(a.secretName()));
    AppDatabase adb = plan.resource();
    for (String name : previousSecrets(plan)) {
      if (!wantedSecrets.contains(name) && secrets.deleteIfOwned(adb, name)) {
        removed.add("Secret " + name);
      }
    }
  }

  /** Secrets this AppDatabase wrote before, as its status records them. */
  private static Set<String> previousSecrets(Plan plan) {
    Set<String> names = new LinkedHashSet<>();
    var status = plan.resource().getStatus();
    if (status != null && status.getBinding() != null && status.getBinding().getName() != null) {
      names.add(status.getBinding().getName());
    }
    for (AccountStatus a : Accounts.recorded(status)) {
      if (a.getSecret() != null) {
        names.add(a.getSecret());
      }
    }
    return names;
  }

  private static void claim(DatabaseEngine engine, Plan plan, Plan.Account account) {
    String user = account.username();
    Owner self = plan.owner();
    Optional<Owner> current = engine.claimOwner(ClaimKind.USER, user);
    if (current.isPresent()) {
      if (current.get().equals(self)) {
        return;
      }
      throw claimedBy(plan, account, current.get());
    }
    if (engine.userExists(user)) {
      throw new PermanentProblem(
          Reasons.USER_EXISTS,
          String.format(
              "user %s of account %s already exists on server %s and was not created for this"
                  + " AppDatabase; the operator never adopts it. Rename the account, or have the"
                  + " platform team rename or drop the existing user.",
              user, account.name(), plan.serverName()));
    }
    ClaimResult result = engine.claim(ClaimKind.USER, user, self);
    if (!result.granted()) {
      throw claimedBy(plan, account, result.owner());
    }
  }

  private static PermanentProblem claimedBy(Plan plan, Plan.Account account, Owner other) {
    return new PermanentProblem(
        Reasons.USER_CLAIMED,
        String.format(
            "user %s of account %s on server %s belongs to AppDatabase %s; rename the account",
            account.username(), account.name(), plan.serverName(), other));
  }
}
