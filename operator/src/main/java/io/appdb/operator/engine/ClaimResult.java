package io.appdb.operator.engine;

/** Outcome of {@link DatabaseEngine#claim}: the owner of the name after the call. */
public record ClaimResult(Owner owner, boolean newlyClaimed, Owner requestedBy) {
  /** True when the name now belongs to the requester (newly or from before). */
  public boolean granted() {
    return owner.equals(requestedBy);
  }
}
