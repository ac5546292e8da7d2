package io.appdb.playground;

import io.appdb.operator.OperatorRuntime;
import io.appdb.operator.api.v1alpha1.AppDatabase;
import io.appdb.operator.api.v1alpha1.DatabaseServer;
import io.appdb.operator.api.v1alpha1.Engine;
import io.appdb.operator.status.Conditions;
import io.appdb.operator.testing.MariaDbServer;
import io.appdb.operator.testing.PostgresServer;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.NonDeletingOperation;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * One playground run: the in-process API, the embedded databases and the real operator, the
 * examples applied, Ready awaited, and the issued credentials shown and tried. {@link #close()}
 * stops everything and deletes the run's directory.
 */
final class PlaygroundSession implements AutoCloseable {

  /** Empty problems means every AppDatabase became Ready and every login worked. */
  record Result(List<String> problems, int appDatabases, int logins) {
    boolean ok() {
      return problems.isEmpty() && appDatabases > 0;
    }
  }

  private static final Duration POLL = Duration.ofMillis(200);

  private final PlaygroundOptions options;
  private final Progress progress;
  private final Path workDir;
  private LocalKubernetesApi api;
  private CompletableFuture<EmbeddedDatabases> startingDatabases;
  private EmbeddedDatabases databases;
  private OperatorRuntime operator;
  private OwnedSecretCollector collector;
  private boolean closed;

  PlaygroundSession(PlaygroundOptions options, Progress progress, Path workDir) {
    this.options = options;
    this.progress = progress;
    this.workDir = workDir;
  }

  KubernetesClient client() {
    return api.client();
  }

  Path kubeconfig() {
    return workDir.resolve("kubeconfig");
  }

  Path workDir() {
    return workDir;
  }

  Result start() throws LocalKubernetesApi.PortInUseException, EmbeddedDatabases.StartFailure {
    long mark = progress.mark();
    api = LocalKubernetesApi.start(options.port());
    progress.done("Kubernetes API (in-process fabric8 mock, CRUD mode) on " + api.url(), mark);
    writeKubeconfig();

    progress.line(
        "starting PostgreSQL "
            + EmbeddedDatabases.POSTGRES_MAJOR
            + " and MariaDB 11.4 (embedded, in parallel) ...");
    startingDatabases =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return EmbeddedDatabases.start(
                    workDir, PlaygroundDirectories.binaryCache(), progress);
              } catch (EmbeddedDatabases.StartFailure e) {
                throw new CompletionException(e);
              }
            });
    mark = progress.mark();
    operator =
        OperatorRuntime.start(
            api.client(), OperatorRuntime.Options.defaults().withSqlTimeout(Duration.ofSeconds(5)));
    progress.done(
        "operator started (io.appdb.operator.OperatorRuntime, the production code)", mark);
    collector = OwnedSecretCollector.start(api.client());
    // Parsing needs no database, so it overlaps with their start.
    List<ExampleManifests.Manifest> manifests =
        ExampleManifests.load(api.client(), options.examples());
    try {
      databases = startingDatabases.join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof EmbeddedDatabases.StartFailure failure) {
        throw failure;
      }
      throw e;
    }

    List<HasMetadata> applied = applyExamples(manifests);
    List<String> problems = new ArrayList<>(awaitReady(applied));
    List<AppDatabase> appDatabases = appDatabases(applied);
    int logins = 0;
    for (AppDatabase adb : appDatabases) {
      logins += report(adb, problems);
    }
    return new Result(problems, appDatabases.size(), logins);
  }

  private List<HasMetadata> applyExamples(List<ExampleManifests.Manifest> manifests) {
    long mark = progress.mark();
    Map<Engine, EmbeddedServerRewrite.Endpoint> endpoints = new LinkedHashMap<>();
    PostgresServer pg = databases.postgres();
    MariaDbServer maria = databases.mariadb();
    endpoints.put(
        Engine.POSTGRESQL,
        new EmbeddedServerRewrite.Endpoint(
            pg.host(), pg.port(), pg.adminUser(), pg.adminPassword(), pg.version()));
    endpoints.put(
        Engine.MYSQL,
        new EmbeddedServerRewrite.Endpoint(
            maria.host(), maria.port(), maria.adminUser(), maria.adminPassword(), maria.version()));
    EmbeddedServerRewrite rewrite = new EmbeddedServerRewrite(endpoints);
    KubernetesClient client = api.client();
    List<HasMetadata> resources = rewrite.rewrite(manifests);
    String source =
        options.examples() == null
            ? "examples/ (built into the jar)"
            : options.examples().toString();
    progress.line("applying " + source + ", adapted to the embedded servers:");
    rewrite.notes().forEach(note -> progress.plain("         - " + note));
    createNamespacesOf(resources);
    for (HasMetadata r : resources) {
      client.resource(r).createOr(NonDeletingOperation::update);
      progress.plain("         applied " + describe(r));
    }
    progress.done("applied " + resources.size() + " resources", mark);
    return resources;
  }

  /** A real API server refuses objects in a missing namespace; the examples assume the chart's. */
  private void createNamespacesOf(List<HasMetadata> resources) {
    Set<String> declared = new LinkedHashSet<>();
    resources.stream()
        .filter(r -> "Namespace".equals(r.getKind()))
        .forEach(r -> declared.add(r.getMetadata().getName()));
    resources.stream()
        .map(r -> r.getMetadata().getNamespace())
        .filter(ns -> ns != null && !declared.contains(ns))
        .distinct()
        .forEach(
            ns -> {
              api.client()
                  .namespaces()
                  .resource(
                      new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build())
                  .createOr(NonDeletingOperation::update);
              progress.plain("         created Namespace " + ns + " (the chart's namespace)");
            });
  }

  private List<String> awaitReady(List<HasMetadata> applied) {
    long mark = progress.mark();
    progress.line("waiting for every DatabaseServer and AppDatabase to become Ready ...");
    KubernetesClient client = api.client();
    Set<String> servers = new LinkedHashSet<>();
    applied.stream()
        .filter(r -> r instanceof DatabaseServer)
        .forEach(r -> servers.add(r.getMetadata().getName()));
    Set<String> apps = new LinkedHashSet<>();
    appDatabases(applied).forEach(a -> apps.add(key(a)));
    List<String> problems = new ArrayList<>();
    long deadline = System.nanoTime() + options.timeout().toNanos();
    while ((!servers.isEmpty() || !apps.isEmpty()) && System.nanoTime() < deadline) {
      for (String name : List.copyOf(servers)) {
        DatabaseServer s = client.resources(DatabaseServer.class).withName(name).get();
        if (s != null
            && s.getStatus() != null
            && Conditions.isTrue(s.getStatus().getConditions(), Conditions.READY)) {
          servers.remove(name);
          progress.done(
              "DatabaseServer " + name + " Ready: " + s.getStatus().getServerVersion(), mark);
        }
      }
      for (String key : List.copyOf(apps)) {
        String[] nsName = key.split("/", 2);
        AppDatabase a =
            client.resources(AppDatabase.class).inNamespace(nsName[0]).withName(nsName[1]).get();
        if (a == null || a.getStatus() == null) {
          continue;
        }
        List<Condition> conditions = a.getStatus().getConditions();
        if (Conditions.isTrue(conditions, Conditions.READY)
            && a.getMetadata().getGeneration().equals(a.getStatus().getObservedGeneration())) {
          apps.remove(key);
          progress.done("AppDatabase " + key + " Ready", mark);
        } else if (Conditions.isTrue(conditions, Conditions.STALLED)) {
          apps.remove(key);
          problems.add(
              "AppDatabase " + key + " is Stalled: " + condition(conditions, Conditions.STALLED));
        }
      }
      sleep(POLL);
    }
    for (String name : servers) {
      DatabaseServer s = client.resources(DatabaseServer.class).withName(name).get();
      problems.add(
          "DatabaseServer "
              + name
              + " not Ready after "
              + options.timeout().toSeconds()
              + "s: "
              + (s == null || s.getStatus() == null
                  ? "no status"
                  : condition(s.getStatus().getConditions(), Conditions.READY)));
    }
    for (String key : apps) {
      String[] nsName = key.split("/", 2);
      AppDatabase a =
          client.resources(AppDatabase.class).inNamespace(nsName[0]).withName(nsName[1]).get();
      problems.add(
          "AppDatabase "
              + key
              + " not Ready after "
              + options.timeout().toSeconds()
              + "s: "
              + (a == null || a.getStatus() == null
                  ? "no status"
                  : condition(a.getStatus().getConditions(), Conditions.READY)));
    }
    return problems;
  }

  /**
   * Prints the AppDatabase, its Secrets (masked) and the logins tried; returns the logins that
   * worked.
   */
  private int report(AppDatabase applied, List<String> problems) {
    KubernetesClient client = api.client();
    String key = key(applied);
    AppDatabase adb =
        client
            .resources(AppDatabase.class)
            .inNamespace(applied.getMetadata().getNamespace())
            .withName(applied.getMetadata().getName())
            .get();
    progress.plain("");
    if (adb == null || adb.getStatus() == null) {
      progress.plain("AppDatabase " + key + ": no status");
      return 0;
    }
    var status = adb.getStatus();
    progress.plain(
        "AppDatabase "
            + key
            + "  Ready="
            + Conditions.find(status.getConditions(), Conditions.READY)
                .map(Condition::getStatus)
                .orElse("-")
            + " ("
            + Conditions.find(status.getConditions(), Conditions.READY)
                .map(Condition::getReason)
                .orElse("-")
            + ")  server="
            + status.getServer()
            + "  engine="
            + (status.getEngine() == null ? "-" : status.getEngine().toString())
            + "  database="
            + status.getDatabaseName()
            + "  user="
            + status.getUsername());
    // One Secret per account: every Secret this AppDatabase controls, not only status.binding.
    List<Secret> secrets =
        client.secrets().inNamespace(adb.getMetadata().getNamespace()).list().getItems().stream()
            .filter(secret -> controlledBy(secret, adb))
            .sorted(Comparator.comparing(secret -> secret.getMetadata().getName()))
            .toList();
    if (secrets.isEmpty()) {
      problems.add("AppDatabase " + key + ": no Secret written");
      return 0;
    }
    int logins = 0;
    for (Secret secret : secrets) {
      if (reportSecret(key, status.getEngine(), secret, problems)) {
        logins++;
      }
    }
    return logins;
  }

  private boolean reportSecret(String key, Engine engine, Secret secret, List<String> problems) {
    String name = secret.getMetadata().getNamespace() + "/" + secret.getMetadata().getName();
    Map<String, String> data = new TreeMap<>();
    secret
        .getData()
        .forEach(
            (k, v) ->
                data.put(k, new String(Base64.getDecoder().decode(v), StandardCharsets.UTF_8)));
    String password = data.get("DB_PASSWORD");
    progress.plain(
        "  Secret "
            + name
            + " ("
            + data.size()
            + " keys, passwords shown as "
            + SecretMasking.MASK
            + "):");
    int width = data.keySet().stream().mapToInt(String::length).max().orElse(0);
    data.forEach(
        (k, v) ->
            progress.plain(
                "    "
                    + k
                    + " ".repeat(width - k.length() + 2)
                    + SecretMasking.mask(k, v, password)));
    long mark = progress.mark();
    try {
      AppLogin.Session session = AppLogin.login(engine, data);
      progress.plain(
          "  login with this Secret's JDBC_URL, DB_USER and DB_PASSWORD: OK ("
              + (System.nanoTime() - mark) / 1_000_000
              + " ms) as "
              + session.currentUser()
              + " in database "
              + session.database());
      progress.plain("    server version seen by the app user: " + session.serverVersion());
      return true;
    } catch (SQLException | RuntimeException e) {
      progress.plain("  login with the Secret's credentials FAILED: " + e.getMessage());
      problems.add(
          "AppDatabase " + key + ": login with Secret " + name + " failed: " + e.getMessage());
      return false;
    }
  }

  private static boolean controlledBy(Secret secret, AppDatabase adb) {
    return secret.getData() != null
        && secret.getMetadata().getOwnerReferences().stream()
            .anyMatch(
                o ->
                    Boolean.TRUE.equals(o.getController())
                        && adb.getMetadata().getUid().equals(o.getUid()));
  }

  private static String describe(HasMetadata r) {
    String ns = r.getMetadata().getNamespace();
    return r.getKind() + " " + (ns == null ? "" : ns + "/") + r.getMetadata().getName();
  }

  private static String condition(List<Condition> conditions, String type) {
    return Conditions.find(conditions, type)
        .map(c -> type + "=" + c.getStatus() + " " + c.getReason() + ": " + c.getMessage())
        .orElse("no " + type + " condition yet");
  }

  private static List<AppDatabase> appDatabases(List<HasMetadata> applied) {
    return applied.stream()
        .filter(r -> r instanceof AppDatabase)
        .map(r -> (AppDatabase) r)
        .sorted(Comparator.comparing(PlaygroundSession::key))
        .toList();
  }

  private static String key(HasMetadata r) {
    return r.getMetadata().getNamespace() + "/" + r.getMetadata().getName();
  }

  private void writeKubeconfig() {
    try {
      Files.writeString(kubeconfig(), Kubeconfig.render(api.url()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void sleep(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for Ready", e);
    }
  }

  /** Stops the operator, the API and both databases, then removes the run's directory. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    List<RuntimeException> failures = new ArrayList<>();
    run(failures, () -> Optional.ofNullable(collector).ifPresent(OwnedSecretCollector::close));
    run(failures, () -> Optional.ofNullable(operator).ifPresent(OperatorRuntime::close));
    run(failures, () -> Optional.ofNullable(api).ifPresent(LocalKubernetesApi::close));
    run(failures, this::stopDatabases);
    run(failures, () -> PlaygroundDirectories.delete(workDir));
    if (!failures.isEmpty()) {
      RuntimeException first = failures.get(0);
      failures.stream().skip(1).forEach(first::addSuppressed);
      throw first;
    }
  }

  /** Also when start() gave up early while the databases were still starting. */
  private void stopDatabases() {
    if (databases == null && startingDatabases != null) {
      try {
        databases = startingDatabases.join();
      } catch (CompletionException failedToStart) {
        return;
      }
    }
    if (databases != null) {
      databases.close();
    }
  }

  private static void run(List<RuntimeException> failures, Runnable step) {
    try {
      step.run();
    } catch (RuntimeException e) {
      failures.add(e);
    }
  }
}
