package io.appdb.operator.status;

import java.util.List;

/**
 * Every condition and event reason the operator uses, CamelCase as metav1.Condition requires. One
 * list so that documentation, dashboards and alerts can rely on a closed set.
 */
public final class Reasons {

  // Ready=True
  public static final String PROVISIONED = "Provisioned";
  public static final String CONNECTED = "Connected";

  // Reconciling=True: working, or retrying something that heals by itself
  public static final String PROGRESSING = "Progressing";
  public static final String SERVER_UNAVAILABLE = "ServerUnavailable";
  public static final String ADMIN_CREDENTIALS_INVALID = "AdminCredentialsInvalid";
  public static final String ADMIN_SECRET_NOT_FOUND = "AdminSecretNotFound";

  /** The admin Secret exists but lacks the {@code username} or {@code password} key. */
  public static final String ADMIN_SECRET_INVALID = "AdminSecretInvalid";

  public static final String INSUFFICIENT_PRIVILEGES = "InsufficientPrivileges";
  public static final String SERVER_NOT_READY = "ServerNotReady";
  public static final String SQL_ERROR = "SqlError";

  /** The application user could not log in with the Secret's password during the check. */
  public static final String LOGIN_FAILED = "LoginFailed";

  public static final String DELETING = "Deleting";

  /** A call to the Kubernetes API failed (conflict, timeout, 5xx): retried. */
  public static final String API_ERROR = "ApiError";

  /** An unexpected exception in the operator itself: retried, and worth a bug report. */
  public static final String INTERNAL_ERROR = "InternalError";

  // Stalled=True: only a person can fix it
  public static final String INVALID_SPEC = "InvalidSpec";
  public static final String SERVER_NOT_FOUND = "ServerNotFound";
  public static final String NO_DEFAULT_SERVER = "NoDefaultServer";
  public static final String NAMESPACE_NOT_ALLOWED = "NamespaceNotAllowed";
  public static final String DATABASE_CLAIMED = "DatabaseClaimed";
  public static final String DATABASE_EXISTS = "DatabaseExists";
  public static final String USER_EXISTS = "UserExists";
  public static final String USER_CLAIMED = "UserClaimed";

  /** A database this AppDatabase had was dropped outside the operator; a person decides. */
  public static final String DATABASE_MISSING = "DatabaseMissing";

  public static final String SECRET_CONFLICT = "SecretConflict";

  // Events only
  public static final String CREATED = "Created";
  public static final String PASSWORD_APPLIED = "PasswordApplied";
  public static final String DRIFT_CORRECTED = "DriftCorrected";
  public static final String DELETED = "Deleted";

  public static final List<String> ALL =
      List.of(
          PROVISIONED,
          CONNECTED,
          PROGRESSING,
          SERVER_UNAVAILABLE,
          ADMIN_CREDENTIALS_INVALID,
          ADMIN_SECRET_NOT_FOUND,
          ADMIN_SECRET_INVALID,
          INSUFFICIENT_PRIVILEGES,
          SERVER_NOT_READY,
          SQL_ERROR,
          LOGIN_FAILED,
          DELETING,
          API_ERROR,
          INTERNAL_ERROR,
          INVALID_SPEC,
          SERVER_NOT_FOUND,
          NO_DEFAULT_SERVER,
          NAMESPACE_NOT_ALLOWED,
          DATABASE_CLAIMED,
          DATABASE_EXISTS,
          USER_EXISTS,
          USER_CLAIMED,
          DATABASE_MISSING,
          SECRET_CONFLICT,
          CREATED,
          PASSWORD_APPLIED,
          DRIFT_CORRECTED,
          DELETED);

  private Reasons() {}
}
