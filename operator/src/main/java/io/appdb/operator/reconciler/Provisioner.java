package io.appdb.operator.reconciler;

import io.appdb.operator.engine.ClaimKind;
import io.appdb.operator.engine.ClaimResult;
import io.appdb.operator.engine.ClaimResults;
import io.appdb.operator.engine.Credential;
import io.appdb.operator.engine.DatabaseEngine;
import io.appdb.operator.engine.EngineException;
import io.appdb.operator.engine.NameState;
import io.appdb.operator.engine.NameStates;
import io.appdb.operator.engine.Owner;
import io.appdb.operator.status.Reasons;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The engine-neutral order of provisioning, the same for every engine: claim the names, write the
 * Secret (the source of truth for the password), then user, database, grants and revocations, and
 * finally a real login with the Secret's credentials. Each step is idempotent, so a crash between
 * any two of them converges on the next reconcile.
 */
public final class Provisioner {
  private final ProvisioningSteps.Listener steps;

  public Provisioner() {
    this(ProvisioningSteps.NONE);
  }

  public Provisioner(ProvisioningSteps.Listener steps) {
    this.steps = steps;
  }

  private void step(ProvisioningSteps.Step step, Target t) {
    steps.before(step, t.owner().toString());
  }

  /** What the Secret step produced: the password to use and whether the Secret changed. */
  public record SecretState(String password, boolean created, boolean changed) {
    @Override
    public String toString() {
      return "SecretState[created=" + created + ", changed=" + changed + "]";
    }
  }

  /** What a provisioning run did; {@code drift} holds corrections made to hand-made changes. */
  public record Result(
      boolean userCreated,
      boolean databaseCreated,
      boolean secretCreated,
      boolean passwordApplied,
      List<String> drift) {

    public boolean changedAnything() {
      return userCreated || databaseCreated || secretCreated || passwordApplied || !drift.isEmpty();
    }
  }

  /** The names and settings of one AppDatabase on one server. */
  /**
   * @param provisionedBefore this AppDatabase reached Ready before (its status names its Secret); a
   *     database missing then was dropped by someone, not never created
   */
  public record Target(
      Owner owner,
      String serverName,
      String database,
      String user,
      Integer connectionLimit,
      boolean provisionedBefore) {}

  public Result provision(DatabaseEngine engine, Target t, Supplier<SecretState> secretStep) {
    return provision(engine, t, secretStep, List.of());
  }

  /**
   * @param accountUsers the users of this AppDatabase's other accounts, whose own privileges on the
   *     database {@link AccountProvisioner} keeps; the owner's grants leave them alone
   */
  public Result provision(
      DatabaseEngine engine,
      Target t,
      Supplier<SecretState> secretStep,
      Collection<String> accountUsers) {
    // The SQL runs in sessions (one admin connection each) around the steps that need none: the
    // Secret write and the login check.
    step(ProvisioningSteps.Step.CLAIM, t);
    NewClaims claimed = engine.session(() -> claimBoth(engine, t));
    step(ProvisioningSteps.Step.SECRET, t);
    SecretState secret = secretStep.get();

    // A name claimed just now was seen not to exist right before; no need to ask again.
    NewClaims existed =
        claimed.user() && claimed.database()
            ? new NewClaims(false, false)
            : engine.session(
                () ->
                    new NewClaims(
                        !claimed.database() && engine.databaseExists(t.database()),
                        !claimed.user() && engine.userExists(t.user())));
    boolean userExisted = existed.user();
    boolean databaseExisted = existed.database();
    if (!databaseExisted && t.provisionedBefore()) {
      // Re-creating it empty would let the application carry on against an empty database and
      // hide the loss; a person decides between restoring a backup and starting afresh.
      throw new PermanentProblem(
          Reasons.DATABASE_MISSING,
          "database "
              + t.database()
              + " was provisioned for this AppDatabase but no longer exists on server "
              + t.serverName()
              + "; restore it (the operator picks it up at the next check), or delete and"
              + " re-create this AppDatabase to start with an empty database");
    }
    boolean loggedIn = false;
    boolean passwordDrift = false;
    if (userExisted && databaseExisted && !secret.changed()) {
      try {
        engine.verifyLogin(t.database(), t.user(), secret.password());
        loggedIn = true;
      } catch (EngineException e) {
        if (e.kind() != EngineException.Kind.LOGIN_FAILED) {
          throw e;
        }
        passwordDrift = true;
      }
    }

    List<String> drift = new ArrayList<>();
    if (!userExisted && t.provisionedBefore()) {
      drift.add("user " + t.user() + " was missing and was created again");
    }
    if (passwordDrift) {
      drift.add("password of user " + t.user() + " did not match the Secret and was reset");
    }
    // After a successful login the password is known to be right; setting it again would cost a
    // SCRAM hash and a statement on every resync.
    String password = loggedIn ? null : secret.password();
    boolean databaseCreated;
    if (claimed.user() && claimed.database()) {
      Credential credential = engine.credential(secret.password());
      databaseCreated = engine.session(() -> createBoth(engine, t, credential));
    } else {
      databaseCreated =
          engine.session(
              () -> {
                step(ProvisioningSteps.Step.USER, t);
                drift.addAll(engine.ensureUser(t.user(), password, t.connectionLimit()));
                step(ProvisioningSteps.Step.DATABASE, t);
                boolean created = engine.ensureDatabase(t.database(), t.user());
                step(ProvisioningSteps.Step.GRANTS, t);
                drift.addAll(engine.ensureGrants(t.database(), t.user(), accountUsers));
                return created;
              });
    }

    step(ProvisioningSteps.Step.LOGIN_CHECK, t);
    if (!loggedIn || databaseCreated || !drift.isEmpty()) {
      engine.verifyLogin(t.database(), t.user(), secret.password());
    }
    boolean passwordApplied = userExisted && (secret.changed() || passwordDrift);
    return new Result(
        !userExisted, databaseCreated, secret.created(), passwordApplied, List.copyOf(drift));
  }

  /**
   * Both names were claimed by this reconcile right after the catalogs showed neither exists: the
   * user, the database and the grants are created without reading the catalogs again (3 statements
   * on MySQL, 4 on PostgreSQL 16+: {@code MariaDbRoundTripsIT}). If either appeared in between, its
   * create fails and the retry, finding the claims already held, takes the checking steps.
   */
  private Boolean createBoth(DatabaseEngine engine, Target t, Credential credential) {
    step(ProvisioningSteps.Step.USER, t);
    engine.createUser(t.user(), credential, t.connectionLimit());
    step(ProvisioningSteps.Step.DATABASE, t);
    engine.createDatabase(t.database(), t.user());
    step(ProvisioningSteps.Step.GRANTS, t);
    engine.grantOnNewDatabase(t.database(), t.user());
    return true;
  }

  /**
   * Drops what this AppDatabase owns (deletionPolicy Delete). Only names whose claim belongs to
   * {@code t.owner()} are touched; claims are released last so that a crash half-way leaves a claim
   * the next attempt still recognises.
   *
   * @return whether anything was dropped: false when an earlier attempt already did it all
   */
  public boolean deprovision(DatabaseEngine engine, Target t) {
    step(ProvisioningSteps.Step.DROP, t);
    return engine.session(() -> dropOwned(engine, t));
  }

  /** Drops what {@code t.owner()} has claimed; false when it owned nothing (any more). */
  private static boolean dropOwned(DatabaseEngine engine, Target t) {
    boolean ownsDatabase = isOwner(engine, ClaimKind.DATABASE, t.database(), t.owner());
    boolean ownsUser = isOwner(engine, ClaimKind.USER, t.user(), t.owner());
    if (ownsDatabase || ownsUser) {
      engine.terminateSessions(ownsDatabase ? t.database() : null, ownsUser ? t.user() : null);
    }
    if (ownsDatabase) {
      engine.dropDatabase(t.database());
    }
    if (ownsUser) {
      engine.dropUser(t.user());
    }
    if (ownsDatabase) {
      engine.releaseClaim(ClaimKind.DATABASE, t.database(), t.owner());
    }
    if (ownsUser) {
      engine.releaseClaim(ClaimKind.USER, t.user(), t.owner());
    }
    return ownsDatabase || ownsUser;
  }

  private static boolean isOwner(DatabaseEngine engine, ClaimKind kind, String name, Owner owner) {
    return engine.claimOwner(kind, name).map(owner::equals).orElse(false);
  }

  /** One flag per name: which claims this reconcile took, or which names existed. */
  private record NewClaims(boolean database, boolean user) {}

  /**
   * Reads both names' claims and catalog state in one query, refuses before claiming anything if
   * either name is taken, then claims what is still unclaimed: both names in one statement for a
   * new AppDatabase.
   */
  private NewClaims claimBoth(DatabaseEngine engine, Target t) {
    NameStates states = engine.lookUp(t.database(), t.user());
    boolean database = unclaimed(t, ClaimKind.DATABASE, t.database(), states.database());
    boolean user = unclaimed(t, ClaimKind.USER, t.user(), states.user());
    if (database && user) {
      ClaimResults both = engine.claimBoth(t.database(), t.user(), t.owner());
      if (!both.database().granted() || !both.user().granted()) {
        // Another AppDatabase claimed a name in between. One that cannot proceed squats on no
        // name: what this claim took is given back.
        if (both.database().newlyClaimed()) {
          engine.releaseClaim(ClaimKind.DATABASE, t.database(), t.owner());
        }
        if (both.user().newlyClaimed()) {
          engine.releaseClaim(ClaimKind.USER, t.user(), t.owner());
        }
        throw both.database().granted()
            ? claimedBy(ClaimKind.USER, t.user(), both.user().owner(), t.serverName())
            : claimedBy(ClaimKind.DATABASE, t.database(), both.database().owner(), t.serverName());
      }
      return new NewClaims(both.database().newlyClaimed(), both.user().newlyClaimed());
    }
    if (database) {
      return new NewClaims(claim(engine, t, ClaimKind.DATABASE, t.database()), false);
    }
    if (user) {
      return new NewClaims(false, claim(engine, t, ClaimKind.USER, t.user()));
    }
    return new NewClaims(false, false);
  }

  /**
   * Whether {@code name} is free to claim: true when nobody has claimed it and it does not exist,
   * false when {@code t.owner()} holds its claim already. Anything else is refused.
   */
  private static boolean unclaimed(Target t, ClaimKind kind, String name, NameState state) {
    Optional<Owner> current = state.owner();
    if (current.isPresent()) {
      if (current.get().equals(t.owner())) {
        return false;
      }
      throw claimedBy(kind, name, current.get(), t.serverName());
    }
    if (state.exists()) {
      throw new PermanentProblem(
          kind == ClaimKind.DATABASE ? Reasons.DATABASE_EXISTS : Reasons.USER_EXISTS,
          String.format(
              "%s %s already exists on server %s and was not created for this AppDatabase; the"
                  + " operator never adopts it. Choose another %s, or have the platform team"
                  + " rename or drop the existing one.",
              kind == ClaimKind.DATABASE ? "database" : "user",
              name,
              t.serverName(),
              kind == ClaimKind.DATABASE ? "spec.databaseName" : "spec.username"));
    }
    return true;
  }

  /** Claims one name seen unclaimed; returns true when the claim was taken by this call. */
  private static boolean claim(DatabaseEngine engine, Target t, ClaimKind kind, String name) {
    ClaimResult result = engine.claim(kind, name, t.owner());
    if (!result.granted()) {
      throw claimedBy(kind, name, result.owner(), t.serverName());
    }
    return result.newlyClaimed();
  }

  private static PermanentProblem claimedBy(
      ClaimKind kind, String name, Owner other, String server) {
    return new PermanentProblem(
        kind == ClaimKind.DATABASE ? Reasons.DATABASE_CLAIMED : Reasons.USER_CLAIMED,
        String.format(
            "%s %s on server %s belongs to AppDatabase %s; choose another %s",
            kind == ClaimKind.DATABASE ? "database" : "user",
            name,
            server,
            other,
            kind == ClaimKind.DATABASE ? "spec.databaseName" : "spec.username"));
  }
}
