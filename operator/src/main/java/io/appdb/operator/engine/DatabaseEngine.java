package io.appdb.operator.engine;

import io.appdb.operator.api.v1alpha1.AccountAccess;
import io.appdb.operator.api.v1alpha1.Engine;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * One shared database server as the operator sees it: a small pool of admin connections and the
 * idempotent steps of provisioning. Every method may be repeated any number of times with the same
 * arguments and ends in the same state. Names passed in have already been validated by {@code
 * naming.NameRules}; implementations still quote every identifier and literal through their {@code
 * *Statements} class.
 *
 * <p>Implementations: {@code postgresql.PostgresEngine}, {@code mysql.MySqlEngine}. Errors are
 * thrown as {@link EngineException} carrying a {@link EngineException.Kind}.
 */
public interface DatabaseEngine extends AutoCloseable {

  Engine type();

  /**
   * Connects as the admin, creates the claims store if missing, and reports the server version and
   * the privileges the admin lacks (empty when it has all the operator needs).
   */
  ServerProbe probe();

  /**
   * Atomically records that {@code kind/name} belongs to {@code owner}. If the name is already
   * claimed, returns the existing owner without changing anything; two concurrent callers for the
   * same name never both get {@link ClaimResult#granted()}.
   */
  ClaimResult claim(ClaimKind kind, String name, Owner owner);

  /**
   * Claims a database name and a user name that {@link #lookUp} has just found unclaimed, in one
   * statement: the claims of a new AppDatabase cost one round trip, not two. Each name is taken
   * atomically as by {@link #claim}. A name claimed by another owner in between keeps that owner,
   * which its {@link ClaimResult} reports; the other name may still have been taken by this call.
   */
  ClaimResults claimBoth(String database, String user, Owner owner);

  /**
   * For a database name and a user name: the current owner of each one's claim, if any, and whether
   * a database, or a user, of that name exists, in one query: what is asked about an AppDatabase's
   * names before claiming them.
   */
  NameStates lookUp(String database, String user);

  /** The current owner of a claim, if any. */
  Optional<Owner> claimOwner(ClaimKind kind, String name);

  /** The names of {@code kind} claimed by {@code owner}, sorted. */
  List<String> claimedNames(ClaimKind kind, Owner owner);

  /** Removes the claim when, and only when, it belongs to {@code owner}. */
  void releaseClaim(ClaimKind kind, String name, Owner owner);

  boolean databaseExists(String database);

  boolean userExists(String user);

  /**
   * Creates the user if missing, otherwise sets its password; in both cases puts back the
   * attributes it must have (PostgreSQL: LOGIN and no other role attribute; the connection limit on
   * both engines; {@code null} means unlimited). Returns a short description of each correction
   * made to an existing user (never containing the password), empty if it was created or already
   * right.
   */
  List<String> ensureUser(String user, String password, Integer connectionLimit);

  /*
   * The three create* steps below are for names this operator has just claimed after seeing that
   * neither exists on the server: together they leave exactly the state of ensureUser,
   * ensureDatabase and ensureGrants, without first reading the catalogs. Each one fails (an
   * EngineException) instead of touching a user or database that appeared in the meantime; the
   * retry then sees the names exist and takes the ensure* steps, which check and repair.
   */

  /**
   * The password of a new user as {@link #createUser} takes it, with the work it needs on the
   * client done (PostgreSQL: the SCRAM verifier, 4096 rounds of PBKDF2). Called before a {@link
   * #session}, it keeps that work off the admin connection.
   */
  default Credential credential(String password) {
    return new Credential(password, null);
  }

  /**
   * Creates a user that does not exist, with its password ({@link #credential}) and connection
   * limit ({@code null}: unlimited). PostgreSQL: also makes the admin a member, as {@link
   * #ensureUser} does.
   */
  void createUser(String user, Credential credential, Integer connectionLimit);

  /**
   * Creates a database that does not exist, owned by {@code owner}, a user just made by {@link
   * #createUser}. Returns nothing: it either created the database or failed.
   */
  void createDatabase(String database, String owner);

  /**
   * The grants and revocations of {@link #ensureGrants(String, String)} for a database and user
   * both just made by the two steps above, where nothing else can hold a privilege yet.
   */
  void grantOnNewDatabase(String database, String user);

  /** Sets the user's password only. */
  void setPassword(String user, String password);

  /**
   * Creates the database if missing (PostgreSQL: owned by {@code owner}). Returns true if it was
   * created by this call.
   */
  boolean ensureDatabase(String database, String owner);

  /**
   * Applies the least-privilege grants of DESIGN §4 for {@code user} on {@code database} and the
   * revocations (PostgreSQL: PUBLIC has no CONNECT/TEMP; the user owns the database). Returns a
   * description of each drift it repaired (empty if nothing was out of place).
   */
  default List<String> ensureGrants(String database, String user) {
    return ensureGrants(database, user, List.of());
  }

  /**
   * {@link #ensureGrants(String, String)} for a database that also has the accounts {@code
   * accountUsers} (see {@link #ensureAccess}): on PostgreSQL each of them may hold CONNECT on the
   * database and nothing else there; everyone else loses every privilege as before.
   */
  List<String> ensureGrants(String database, String user, Collection<String> accountUsers);

  /**
   * Gives the account {@code user} exactly the privileges of {@code access} (ReadWrite or ReadOnly)
   * on {@code database}, whose objects belong to {@code owner}: on what exists now and on what the
   * owner creates later (PostgreSQL: grants on every existing table, view and sequence of the owner
   * plus default privileges for the owner role, USAGE on every schema of the owner and on {@code
   * public}, CONNECT on the database; MySQL: privileges on the database). Anything more (other
   * privileges, GRANT OPTION, role memberships, other databases) is revoked. Returns a description
   * of each drift repaired; empty when the grants were first applied or were right.
   *
   * @throws IllegalArgumentException for {@link AccountAccess#Owner}: the owner is set up by {@link
   *     #ensureUser}, {@link #ensureDatabase} and {@link #ensureGrants}
   */
  List<String> ensureAccess(String database, String owner, String user, AccountAccess access);

  /**
   * Before an account user is dropped: removes every privilege it holds in {@code database}
   * (PostgreSQL: its grants and default-privilege entries live in that database) and hands anything
   * it owns there to {@code owner}, so that no object is ever dropped with it. Refuses
   * (EngineException of kind SQL_ERROR) a user that owns the database itself.
   */
  void revokeAccess(String database, String owner, String user);

  /**
   * Logs in as {@code user} over a fresh connection (not the admin pool) to {@code database} at the
   * operator-facing address of the server and returns the server version the session reports. The
   * server accepts the session only after checking the password and the user's right to connect to
   * {@code database}, so no query is sent.
   *
   * @throws EngineException of kind {@link EngineException.Kind#LOGIN_FAILED} if the server rejects
   *     the credentials.
   */
  String verifyLogin(String database, String user, String password);

  /** Ends every session connected to {@code database} or as {@code user}. */
  void terminateSessions(String database, String user);

  /** Drops the database if it exists. */
  void dropDatabase(String database);

  /** Drops the user if it exists. */
  void dropUser(String user);

  /**
   * Reads the server's catalogs for every claimed name at once, with a fixed number of queries on
   * one admin connection, independent of how many AppDatabases the server holds.
   */
  CatalogSnapshot snapshot();

  /**
   * Runs {@code work}, a sequence of calls to this engine, on one admin connection borrowed for all
   * of it, so that the steps do not queue for a connection one by one. Keep slow work that needs no
   * admin connection (API calls, {@link #verifyLogin}) outside: the connection stays borrowed.
   */
  default <T> T session(Supplier<T> work) {
    return work.get();
  }

  /**
   * How many admin connections provisioning can use at once: the size of the pool. PostgreSQL keeps
   * one of {@code maxConnections} back for connections into a tenant's database.
   */
  int provisioningConnections();

  /** Number of admin connections currently open in the pool (for metrics and tests). */
  int openAdminConnections();

  @Override
  void close();
}
