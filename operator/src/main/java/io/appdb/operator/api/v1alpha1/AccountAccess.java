package io.appdb.operator.api.v1alpha1;

/** What an account may do in its AppDatabase's database. */
public enum AccountAccess {
  /**
   * Owns the database and every object in it: the only account that creates, alters and drops
   * tables (the migration runner). Exactly one per AppDatabase.
   */
  Owner,
  /** Reads and writes rows in every table and sequence of the Owner, now and later; no DDL. */
  ReadWrite,
  /** Reads every table, view and sequence of the Owner, now and later; nothing else. */
  ReadOnly
}
