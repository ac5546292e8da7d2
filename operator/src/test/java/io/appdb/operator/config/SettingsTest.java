package io.appdb.operator.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.slf4j.event.Level;

class SettingsTest {

  @TempDir Path tmp;

  private Path noServiceAccount() {
    return tmp.resolve("absent");
  }

  private Settings parse(Map<String, String> env) {
    return Settings.fromEnv(env, noServiceAccount());
  }

  private static Map<String, String> env(String... kv) {
    Map<String, String> m = new HashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put(kv[i], kv[i + 1]);
    }
    return m;
  }

  @Test
  void defaultsOutsideACluster() {
    Settings s = parse(env("PATH", "/usr/bin", "HOME", "/root"));

    assertThat(s.watchNamespaces()).isEmpty();
    assertThat(s.watchesAllNamespaces()).isTrue();
    assertThat(s.httpPort()).isEqualTo(8080);
    assertThat(s.resyncInterval()).isEqualTo(Duration.ofMinutes(10));
    assertThat(s.leaderElection()).isFalse();
    assertThat(s.leaseNamespace()).isEmpty();
    assertThat(s.logLevel()).isEqualTo(Level.INFO);
    assertThat(s.sqlTimeout()).isEqualTo(Duration.ofSeconds(10));
  }

  @Test
  void inAClusterLeaderElectionDefaultsOnAndTheLeaseGoesToThePodNamespace() {
    Settings s = parse(env("KUBERNETES_SERVICE_HOST", "10.0.0.1", "POD_NAMESPACE", "appdb-system"));

    assertThat(s.leaderElection()).isTrue();
    assertThat(s.leaseNamespace()).contains("appdb-system");
  }

  @Test
  void podNamespaceFallsBackToTheServiceAccountFile() throws Exception {
    Path file = tmp.resolve("namespace");
    Files.writeString(file, "ops\n");

    Settings s = Settings.fromEnv(env("KUBERNETES_SERVICE_HOST", "10.0.0.1"), file);

    assertThat(s.leaseNamespace()).contains("ops");
  }

  @Test
  void explicitLeaseNamespaceWinsOverThePodNamespace() {
    Settings s =
        parse(
            env(
                "KUBERNETES_SERVICE_HOST", "10.0.0.1",
                "POD_NAMESPACE", "appdb-system",
                "APPDB_LEASE_NAMESPACE", "leases"));

    assertThat(s.leaseNamespace()).contains("leases");
  }

  @Test
  void leaderElectionWithoutAnyNamespaceFailsNamingTheVariable() {
    assertThatThrownBy(() -> parse(env("APPDB_LEADER_ELECTION", "true")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("APPDB_LEASE_NAMESPACE is required")
        .hasMessageContaining("APPDB_LEADER_ELECTION=false");
  }

  @Test
  void leaderElectionCanBeSwitchedOffInACluster() {
    Settings s =
        parse(env("KUBERNETES_SERVICE_HOST", "10.0.0.1", "APPDB_LEADER_ELECTION", "FALSE"));

    assertThat(s.leaderElection()).isFalse();
    assertThat(s.leaseNamespace()).isEmpty();
  }

  @Test
  void everyVariableIsRead() {
    Settings s =
        parse(
            env(
                "APPDB_WATCH_NAMESPACES", " team-a, team-b ,team-a",
                "APPDB_HTTP_PORT", "9090",
                "APPDB_RESYNC_INTERVAL", "PT1H30M",
                "APPDB_LEADER_ELECTION", "true",
                "APPDB_LEASE_NAMESPACE", "appdb-system",
                "APPDB_LOG_LEVEL", "debug",
                "APPDB_SQL_TIMEOUT", "PT30S"));

    assertThat(s.watchNamespaces()).containsExactly("team-a", "team-b");
    assertThat(s.watchesAllNamespaces()).isFalse();
    assertThat(s.httpPort()).isEqualTo(9090);
    assertThat(s.resyncInterval()).isEqualTo(Duration.ofMinutes(90));
    assertThat(s.leaderElection()).isTrue();
    assertThat(s.leaseNamespace()).isEqualTo(Optional.of("appdb-system"));
    assertThat(s.logLevel()).isEqualTo(Level.DEBUG);
    assertThat(s.sqlTimeout()).isEqualTo(Duration.ofSeconds(30));
  }

  @Test
  void blankValuesMeanDefaults() {
    Settings s =
        parse(
            env(
                "APPDB_WATCH_NAMESPACES", "",
                "APPDB_HTTP_PORT", " ",
                "APPDB_RESYNC_INTERVAL", "",
                "APPDB_LOG_LEVEL", "",
                "APPDB_SQL_TIMEOUT", ""));

    assertThat(s.watchNamespaces()).isEmpty();
    assertThat(s.httpPort()).isEqualTo(8080);
    assertThat(s.resyncInterval()).isEqualTo(Duration.ofMinutes(10));
    assertThat(s.logLevel()).isEqualTo(Level.INFO);
    assertThat(s.sqlTimeout()).isEqualTo(Duration.ofSeconds(10));
  }

  @Test
  void watchNamespacesIsImmutable() {
    Settings s = parse(env("APPDB_WATCH_NAMESPACES", "a"));

    assertThatThrownBy(() -> s.watchNamespaces().add("b"))
        .isInstanceOf(UnsupportedOperationException.class);
  }

  @ParameterizedTest(name = "{0}={1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "APPDB_WATCH_NAMESPACES | Team-A                   | comma-separated list",
        "APPDB_WATCH_NAMESPACES | a,,b                     | comma-separated list",
        "APPDB_WATCH_NAMESPACES | a b                      | comma-separated list",
        "APPDB_WATCH_NAMESPACES | -a                       | comma-separated list",
        "APPDB_WATCH_NAMESPACES | a_b                      | comma-separated list",
        "APPDB_WATCH_NAMESPACES | aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
            + " | comma-separated list",
        "APPDB_HTTP_PORT        | http                     | from 1 to 65535",
        "APPDB_HTTP_PORT        | 0                        | from 1 to 65535",
        "APPDB_HTTP_PORT        | 65536                    | from 1 to 65535",
        "APPDB_HTTP_PORT        | -1                       | from 1 to 65535",
        "APPDB_RESYNC_INTERVAL  | 10m                      | ISO-8601 duration",
        "APPDB_RESYNC_INTERVAL  | PT0S                     | ISO-8601 duration",
        "APPDB_RESYNC_INTERVAL  | -PT10M                   | ISO-8601 duration",
        "APPDB_LEADER_ELECTION  | yes                      | true or false",
        "APPDB_LEASE_NAMESPACE  | Kube_System              | namespace name",
        "APPDB_LOG_LEVEL        | VERBOSE                  | TRACE, DEBUG, INFO, WARN, ERROR",
        "APPDB_SQL_TIMEOUT      | 10                       | ISO-8601 duration",
        "APPDB_SQL_TIMEOUT      | PT0.5S                   | at least PT1S",
        "APPDB_SQL_TIMEOUT      | PT2H                     | at most PT1H",
      })
  void malformedValuesFailNamingTheVariableAndTheAcceptedForm(
      String name, String value, String acceptedForm) {
    assertThatThrownBy(() -> parse(env(name, value)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(name + " is '")
        .hasMessageContaining(acceptedForm);
  }

  @Test
  void unknownAppdbVariablesAreRejected() {
    assertThatThrownBy(() -> parse(env("APPDB_WATCH_NAMESPACE", "a")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("APPDB_WATCH_NAMESPACE is not a setting")
        .hasMessageContaining("APPDB_WATCH_NAMESPACES");
  }

  @Test
  void otherVariablesAreIgnored() {
    Settings s = parse(env("JAVA_TOOL_OPTIONS", "-Xmx1g", "APPDBX", "1", "appdb_http_port", "x"));

    assertThat(s.httpPort()).isEqualTo(8080);
  }

  @Test
  void allProblemsAreReportedAtOnce() {
    assertThatThrownBy(
            () -> parse(env("APPDB_HTTP_PORT", "x", "APPDB_LOG_LEVEL", "loud", "APPDB_FOO", "1")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("APPDB_HTTP_PORT")
        .hasMessageContaining("APPDB_LOG_LEVEL")
        .hasMessageContaining("APPDB_FOO");
  }
}
