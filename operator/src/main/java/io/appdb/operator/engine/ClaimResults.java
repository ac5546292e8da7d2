package io.appdb.operator.engine;

/** Outcome of {@link DatabaseEngine#claimBoth}: one {@link ClaimResult} per name. */
public record ClaimResults(ClaimResult database, ClaimResult user) {}
