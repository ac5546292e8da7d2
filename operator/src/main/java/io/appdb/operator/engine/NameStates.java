package io.appdb.operator.engine;

/**
 * Outcome of {@link DatabaseEngine#lookUp}: the state of an AppDatabase's database name and of its
 * user name, read in one query.
 */
public record NameStates(NameState database, NameState user) {}
