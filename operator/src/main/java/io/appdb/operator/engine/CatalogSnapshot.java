package io.appdb.operator.engine;

/**
 * The provisioning state of every AppDatabase on one server as its catalogs showed it at one
 * moment, read with a fixed number of queries however many AppDatabases the server holds. A resync
 * takes one snapshot per server and shares it: an AppDatabase found exactly in place needs nothing
 * but its login check, instead of a round of statements of its own.
 *
 * <p>A snapshot only ever answers "nothing to do" when the live checks of {@link DatabaseEngine}
 * ({@code ensureUser}, {@code ensureDatabase}, {@code ensureGrants}) would find nothing to correct
 * either; when it cannot tell (something it does not read, such as a grant inside a database), it
 * answers false and the caller runs those checks.
 */
public interface CatalogSnapshot {

  /**
   * True when both claims belong to {@code expected.owner()}, the user exists with exactly the
   * attributes and connection limit provisioning gives it, the database exists, and the grants on
   * it and of the user are exactly as {@code ensureGrants} leaves them for an AppDatabase without
   * other accounts.
   */
  boolean inPlace(Expected expected);

  /** What one AppDatabase without other accounts should have on the server. */
  record Expected(Owner owner, String database, String user, Integer connectionLimit) {}
}
