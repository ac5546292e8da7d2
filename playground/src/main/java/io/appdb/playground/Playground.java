package io.appdb.playground;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * The operator on a laptop, in one command: an in-process Kubernetes API, embedded PostgreSQL and
 * MariaDB, the real operator, and the manifests of {@code examples/}. Stays up for kubectl until
 * Ctrl-C; {@code --once} checks the whole flow and exits.
 */
public final class Playground {

  static final int OK = 0;
  static final int FAILED = 1;
  static final int USAGE_OR_PORT = 2;

  static final String SAMPLE_FILE = "my-appdb.yaml";
  static final String LOGBACK_CONFIGURATION = "appdb-playground-logback.xml";

  private Playground() {}

  public static void main(String[] args) {
    io.appdb.operator.JvmDefaults.apply();
    PlaygroundOptions options;
    try {
      options = PlaygroundOptions.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println("error: " + e.getMessage());
      System.err.print(PlaygroundOptions.USAGE);
      System.exit(USAGE_OR_PORT);
      return;
    }
    if (options.help()) {
      System.out.print(PlaygroundOptions.USAGE);
      return;
    }
    Path workDir = PlaygroundDirectories.newWorkDirectory();
    configureLogging(workDir);
    int code = run(options, workDir, System.out, !options.once());
    System.exit(code);
  }

  /**
   * Must run before the first logger exists. The playground's own configuration has its own name:
   * the operator jar's logback.xml is on the classpath too.
   */
  static void configureLogging(Path workDir) {
    System.setProperty("logback.configurationFile", LOGBACK_CONFIGURATION);
    System.setProperty("appdb.playground.log", workDir.resolve("operator.log").toString());
  }

  /**
   * Runs the playground. With {@code stayUp}, a successful (or merely unready) run waits for the
   * JVM to be stopped and cleans up from a shutdown hook; otherwise it cleans up and returns the
   * exit code.
   */
  static int run(PlaygroundOptions options, Path workDir, PrintStream out, boolean stayUp) {
    Progress progress = new Progress(out);
    progress.plain(
        "appdb-operator playground: the real operator, an in-process Kubernetes API, embedded"
            + " PostgreSQL and MariaDB");
    PlaygroundSession session = new PlaygroundSession(options, progress, workDir);
    Thread cleanup = new Thread(() -> stop(session, progress), "playground-stop");
    if (stayUp) {
      Runtime.getRuntime().addShutdownHook(cleanup);
    }
    PlaygroundSession.Result result;
    try {
      result = session.start();
    } catch (LocalKubernetesApi.PortInUseException e) {
      out.println(
          "error: "
              + e.getMessage()
              + ". Another playground may still be running; stop it, or pick another port with"
              + " --port N.");
      return finish(session, progress, stayUp, cleanup, USAGE_OR_PORT);
    } catch (EmbeddedDatabases.StartFailure e) {
      out.println("error: " + e.getMessage());
      return finish(session, progress, stayUp, cleanup, FAILED);
    } catch (RuntimeException e) {
      out.println("error: the playground failed: " + e);
      return finish(session, progress, stayUp, cleanup, FAILED);
    }

    progress.plain("");
    if (result.ok()) {
      progress.line(
          "everything works: "
              + result.appDatabases()
              + " AppDatabases Ready, "
              + result.logins()
              + " logins with the issued credentials succeeded");
    } else {
      progress.line("NOT everything worked:");
      result.problems().forEach(p -> progress.plain("         - " + p));
    }
    if (!stayUp) {
      return finish(session, progress, false, cleanup, result.ok() ? OK : FAILED);
    }
    printNextSteps(session, progress);
    awaitShutdown();
    return result.ok() ? OK : FAILED;
  }

  private static int finish(
      PlaygroundSession session, Progress progress, boolean stayUp, Thread cleanup, int code) {
    if (stayUp) {
      Runtime.getRuntime().removeShutdownHook(cleanup);
    }
    stop(session, progress);
    return code;
  }

  private static void stop(PlaygroundSession session, Progress progress) {
    long mark = progress.mark();
    progress.line("stopping the operator, the API server and both databases ...");
    try {
      session.close();
      progress.done("stopped; removed " + session.workDir(), mark);
    } catch (RuntimeException e) {
      progress.line("stopped with errors (" + e + "); remove " + session.workDir() + " by hand");
    }
  }

  private static void printNextSteps(PlaygroundSession session, Progress progress) {
    Path sample = session.workDir().resolve(SAMPLE_FILE);
    try {
      Files.writeString(sample, SAMPLE);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    String kubeconfig = session.kubeconfig().toString();
    progress.plain(
        """

        The playground stays up until Ctrl-C. In a second terminal:

          export KUBECONFIG=%1$s
          kubectl get dbserver
          kubectl get appdb -A
          kubectl describe appdb teacher-portal -n teacher-portal
          kubectl get secret teacher-portal-db -n teacher-portal -o yaml
          kubectl apply --validate=false -f %2$s     # a new AppDatabase on shared-mysql
          kubectl get appdb notes -n billing
          kubectl get secret notes-db -n billing -o jsonpath='{.data.DATABASE_URL}' | base64 -d; echo
          kubectl delete appdb billing -n billing --wait=false   # deletionPolicy: Delete drops it
          kubectl apply --validate=false -f examples/appdatabase-mysql.yaml   # from the repository

        The API is an in-process mock: it stores objects, answers discovery and prints the
        operator's columns, but it has no OpenAPI schema (hence --validate=false), serves watches
        only to Java clients (no kubectl -w or delete --wait), and runs no controllers besides the
        operator: the example Deployment is stored but never starts. Operator log: %3$s
        """
            .formatted(kubeconfig, sample, session.workDir().resolve("operator.log")));
  }

  private static final String SAMPLE =
      """
      # Applied with: kubectl apply --validate=false -f my-appdb.yaml
      apiVersion: appdb.io/v1alpha1
      kind: AppDatabase
      metadata:
        name: notes
        namespace: billing
      spec:
        serverRef:
          name: shared-mysql
        deletionPolicy: Delete
      """;

  private static void awaitShutdown() {
    try {
      new CountDownLatch(1).await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
