package io.appdb.operator.engine;

import java.util.Optional;

/**
 * Outcome of {@link DatabaseEngine#lookUp}: who has claimed a name, if anyone, and whether a
 * database or user of that name exists on the server, read together.
 */
public record NameState(Optional<Owner> owner, boolean exists) {}
