package io.appdb.operator.engine;

import java.util.List;

/** What {@link DatabaseEngine#probe()} learnt about the server and the admin account. */
public record ServerProbe(String serverVersion, List<String> missingPrivileges) {
  public boolean sufficient() {
    return missingPrivileges.isEmpty();
  }
}
