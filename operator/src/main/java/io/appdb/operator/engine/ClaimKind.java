package io.appdb.operator.engine;

/** What a claim is for: names are claimed separately for databases and for users. */
public enum ClaimKind {
  DATABASE,
  USER
}
