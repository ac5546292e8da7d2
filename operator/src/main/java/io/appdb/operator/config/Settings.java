package io.appdb.operator.config;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.slf4j.event.Level;

/**
 * The operator's configuration, read once from the environment at start (DESIGN §5).
 *
 * <p>Every problem is collected and reported in one {@link IllegalArgumentException} whose message
 * names each offending variable and the form it accepts, so a bad Helm value fails the pod at once
 * with one readable log line instead of a half-configured operator. A variable set to an empty or
 * blank string counts as unset, because charts and shells render "no value" that way.
 *
 * @param watchNamespaces namespaces whose AppDatabases are reconciled; empty means all namespaces
 * @param httpPort port of the health and metrics endpoints
 * @param resyncInterval how often every resource is reconciled even without a change (drift check)
 * @param leaderElection whether to take a coordination.k8s.io Lease before reconciling
 * @param leaseNamespace namespace of the Lease; present whenever leader election is on
 * @param logLevel root log level
 * @param sqlTimeout bound for JDBC connect, socket and lock waits
 */
public record Settings(
    Set<String> watchNamespaces,
    int httpPort,
    Duration resyncInterval,
    boolean leaderElection,
    Optional<String> leaseNamespace,
    Level logLevel,
    Duration sqlTimeout) {

  public static final String WATCH_NAMESPACES = "APPDB_WATCH_NAMESPACES";
  public static final String HTTP_PORT = "APPDB_HTTP_PORT";
  public static final String RESYNC_INTERVAL = "APPDB_RESYNC_INTERVAL";
  public static final String LEADER_ELECTION = "APPDB_LEADER_ELECTION";
  public static final String LEASE_NAMESPACE = "APPDB_LEASE_NAMESPACE";
  public static final String LOG_LEVEL = "APPDB_LOG_LEVEL";
  public static final String SQL_TIMEOUT = "APPDB_SQL_TIMEOUT";

  /** Every APPDB_* variable the operator reads; any other APPDB_* variable is an error. */
  public static final Set<String> VARIABLES =
      Set.of(
          WATCH_NAMESPACES,
          HTTP_PORT,
          RESYNC_INTERVAL,
          LEADER_ELECTION,
          LEASE_NAMESPACE,
          LOG_LEVEL,
          SQL_TIMEOUT);

  static final Path SERVICE_ACCOUNT_NAMESPACE =
      Path.of("/var/run/secrets/kubernetes.io/serviceaccount/namespace");

  // RFC 1123 label, which is what the API server accepts as a namespace name.
  private static final Pattern NAMESPACE = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
  private static final int NAMESPACE_MAX = 63;
  // The PostgreSQL driver takes its timeouts in whole seconds, so less than one would become
  // "none".
  private static final Duration SQL_TIMEOUT_MIN = Duration.ofSeconds(1);
  private static final Duration SQL_TIMEOUT_MAX = Duration.ofHours(1);

  public Settings {
    watchNamespaces = Collections.unmodifiableSet(new LinkedHashSet<>(watchNamespaces));
  }

  /** Reads the process environment. */
  public static Settings fromEnv() {
    return fromEnv(System.getenv());
  }

  public static Settings fromEnv(Map<String, String> env) {
    return fromEnv(env, SERVICE_ACCOUNT_NAMESPACE);
  }

  /**
   * @param serviceAccountNamespaceFile where the pod's namespace is found when neither
   *     APPDB_LEASE_NAMESPACE nor POD_NAMESPACE is set; a parameter so tests need no real pod
   */
  static Settings fromEnv(Map<String, String> env, Path serviceAccountNamespaceFile) {
    Parser p = new Parser(env);
    p.rejectUnknown();
    Set<String> watch = p.namespaces(WATCH_NAMESPACES);
    int port = p.port(HTTP_PORT, 8080);
    Duration resync =
        p.duration(RESYNC_INTERVAL, Duration.ofMinutes(10), Duration.ofSeconds(1), null);
    boolean inCluster = p.present("KUBERNETES_SERVICE_HOST");
    boolean leader = p.bool(LEADER_ELECTION, inCluster);
    Optional<String> lease = p.namespace(LEASE_NAMESPACE);
    if (lease.isEmpty()) {
      lease = podNamespace(env, serviceAccountNamespaceFile);
    }
    if (leader && lease.isEmpty() && !p.hasError(LEASE_NAMESPACE)) {
      p.error(
          LEASE_NAMESPACE,
          "is required when leader election is on and the pod's namespace is unknown"
              + " (no POD_NAMESPACE, no "
              + serviceAccountNamespaceFile
              + "); set it to the namespace that holds the Lease, or set "
              + LEADER_ELECTION
              + "=false");
    }
    Level level = p.level(LOG_LEVEL, Level.INFO);
    Duration sql =
        p.duration(SQL_TIMEOUT, Duration.ofSeconds(10), SQL_TIMEOUT_MIN, SQL_TIMEOUT_MAX);
    p.throwIfAnyError();
    return new Settings(watch, port, resync, leader, lease, level, sql);
  }

  /** True when {@link #watchNamespaces()} is empty: AppDatabases in every namespace. */
  public boolean watchesAllNamespaces() {
    return watchNamespaces.isEmpty();
  }

  private static Optional<String> podNamespace(Map<String, String> env, Path file) {
    String fromEnv = env.get("POD_NAMESPACE");
    if (fromEnv != null && !fromEnv.isBlank()) {
      return Optional.of(fromEnv.strip());
    }
    if (!Files.isReadable(file)) {
      return Optional.empty();
    }
    try {
      String content = Files.readString(file).strip();
      return content.isEmpty() ? Optional.empty() : Optional.of(content);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the pod namespace from " + file, e);
    }
  }

  /** Collects every problem so that one start reports all of them. */
  private static final class Parser {
    private final Map<String, String> env;
    private final List<String> errors = new ArrayList<>();
    private final Set<String> failed = new LinkedHashSet<>();

    Parser(Map<String, String> env) {
      this.env = env;
    }

    void rejectUnknown() {
      Set<String> unknown = new TreeSet<>();
      for (String name : env.keySet()) {
        if (name.startsWith("APPDB_") && !VARIABLES.contains(name)) {
          unknown.add(name);
        }
      }
      for (String name : unknown) {
        error(
            name, "is not a setting of this operator; known settings: " + new TreeSet<>(VARIABLES));
      }
    }

    boolean present(String name) {
      return value(name).isPresent();
    }

    Optional<String> value(String name) {
      String raw = env.get(name);
      return raw == null || raw.isBlank() ? Optional.empty() : Optional.of(raw.strip());
    }

    Set<String> namespaces(String name) {
      Set<String> result = new LinkedHashSet<>();
      Optional<String> raw = value(name);
      if (raw.isEmpty()) {
        return result;
      }
      for (String item : raw.get().split(",", -1)) {
        String ns = item.strip();
        if (!validNamespace(ns)) {
          error(
              name,
              "is '"
                  + raw.get()
                  + "': '"
                  + ns
                  + "' is not a namespace name; expected a comma-separated list of"
                  + " lowercase RFC 1123 labels (e.g. team-a,team-b), or empty for all namespaces");
          return Set.of();
        }
        result.add(ns);
      }
      return result;
    }

    Optional<String> namespace(String name) {
      Optional<String> raw = value(name);
      if (raw.isPresent() && !validNamespace(raw.get())) {
        error(name, "is '" + raw.get() + "'; expected a namespace name (lowercase RFC 1123 label)");
        return Optional.empty();
      }
      return raw;
    }

    int port(String name, int fallback) {
      Optional<String> raw = value(name);
      if (raw.isEmpty()) {
        return fallback;
      }
      try {
        int port = Integer.parseInt(raw.get());
        if (port >= 1 && port <= 65535) {
          return port;
        }
      } catch (NumberFormatException ignored) {
        // reported below, with the accepted form
      }
      error(name, "is '" + raw.get() + "'; expected a TCP port number from 1 to 65535");
      return fallback;
    }

    Duration duration(String name, Duration fallback, Duration min, Duration max) {
      Optional<String> raw = value(name);
      if (raw.isEmpty()) {
        return fallback;
      }
      String range = "at least " + min + (max == null ? "" : " and at most " + max);
      try {
        Duration d = Duration.parse(raw.get());
        if (d.compareTo(min) >= 0 && (max == null || d.compareTo(max) <= 0)) {
          return d;
        }
      } catch (DateTimeParseException ignored) {
        // reported below, with the accepted form
      }
      error(
          name,
          "is '"
              + raw.get()
              + "'; expected an ISO-8601 duration such as "
              + fallback
              + ", "
              + range);
      return fallback;
    }

    boolean bool(String name, boolean fallback) {
      Optional<String> raw = value(name);
      if (raw.isEmpty()) {
        return fallback;
      }
      switch (raw.get().toLowerCase(Locale.ROOT)) {
        case "true":
          return true;
        case "false":
          return false;
        default:
          error(name, "is '" + raw.get() + "'; expected true or false");
          return fallback;
      }
    }

    Level level(String name, Level fallback) {
      Optional<String> raw = value(name);
      if (raw.isEmpty()) {
        return fallback;
      }
      for (Level level : Level.values()) {
        if (level.name().equalsIgnoreCase(raw.get())) {
          return level;
        }
      }
      error(name, "is '" + raw.get() + "'; expected one of TRACE, DEBUG, INFO, WARN, ERROR");
      return fallback;
    }

    void error(String name, String problem) {
      failed.add(name);
      errors.add(name + " " + problem);
    }

    boolean hasError(String name) {
      return failed.contains(name);
    }

    void throwIfAnyError() {
      if (!errors.isEmpty()) {
        throw new IllegalArgumentException("Invalid configuration: " + String.join("; ", errors));
      }
    }

    private static boolean validNamespace(String s) {
      return s.length() <= NAMESPACE_MAX && NAMESPACE.matcher(s).matches();
    }
  }
}
