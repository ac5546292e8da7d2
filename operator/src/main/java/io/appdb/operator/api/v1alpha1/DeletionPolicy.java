package io.appdb.operator.api.v1alpha1;

/** What happens on the server when an AppDatabase is deleted. */
public enum DeletionPolicy {
  /** Database, data, user and ownership record stay on the server; only the Secret goes. */
  Retain,
  /** Sessions are ended, then the database, the user and the ownership record are dropped. */
  Delete
}
