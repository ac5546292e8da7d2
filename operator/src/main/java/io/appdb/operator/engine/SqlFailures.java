package io.appdb.operator.engine;

import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.sql.SQLException;
import java.sql.SQLTimeoutException;

/**
 * What both engines' error classifiers need to know about a failure before looking at their own SQL
 * states: the driver's own exception under any pool wrapper, and whether the failure is about
 * reaching the server at all.
 */
public final class SqlFailures {

  private SqlFailures() {}

  /** Whether the statement that failed was sensitive, deciding what the exception may carry. */
  public enum Exposure {
    PLAIN,
    SENSITIVE
  }

  /**
   * The deepest {@link SQLException} in the cause chain: HikariCP wraps the driver's exception
   * (which carries the vendor code) in its own timeout exception.
   */
  public static SQLException driverException(SQLException e) {
    SQLException deepest = e;
    for (Throwable t = e.getCause(); t != null && t != t.getCause(); t = t.getCause()) {
      if (t instanceof SQLException s) {
        deepest = s;
      }
    }
    return deepest;
  }

  /** Connection refused, unknown host, connection lost, or any timeout. */
  public static boolean isConnectivity(SQLException e) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof SQLTimeoutException
          || t instanceof SocketTimeoutException
          || t instanceof ConnectException
          || t instanceof NoRouteToHostException
          || t instanceof UnknownHostException) {
        return true;
      }
      if (t instanceof SQLException s
          && s.getSQLState() != null
          && s.getSQLState().startsWith("08")) {
        return true;
      }
    }
    return false;
  }

  /**
   * Builds the exception the reconcilers see. A failure of a sensitive statement carries neither
   * the driver's message nor the driver exception as cause, since MySQL syntax errors quote the
   * statement text around the error position.
   */
  public static EngineException toEngineException(
      EngineException.Kind kind, String action, SQLException e, Exposure exposure) {
    SQLException driver = driverException(e);
    String codes = " (SQLState " + driver.getSQLState() + ", error " + driver.getErrorCode() + ")";
    if (exposure == Exposure.SENSITIVE) {
      return new EngineException(kind, action + " failed" + codes);
    }
    return new EngineException(kind, action + " failed: " + driver.getMessage() + codes, e);
  }
}
