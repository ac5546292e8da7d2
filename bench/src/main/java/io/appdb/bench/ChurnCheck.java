package io.appdb.bench;

import io.appdb.operator.OperatorRuntime;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Diagnostic, not part of the benchmark run: one operator instance, {@code rounds} rounds of
 * creating and deleting {@code count} AppDatabases (the same names each round), and the heap after
 * GC when idle after each round, then once more with the operator stopped. What the idle operator
 * holds should not grow with the AppDatabases it has seen come and go; what remains after it
 * stopped belongs to the mock API server and the bench.
 *
 * <p>{@code java -cp bench/target/appdb-bench.jar io.appdb.bench.ChurnCheck <rounds> <count> <work
 * dir>}
 */
public final class ChurnCheck {
  private ChurnCheck() {}

  public static void main(String[] args) throws InterruptedException {
    if (args.length != 3) {
      System.err.println("usage: ChurnCheck <rounds> <count> <work dir>");
      System.exit(2);
    }
    io.appdb.operator.JvmDefaults.apply();
    int rounds = Integer.parseInt(args[0]);
    int count = Integer.parseInt(args[1]);
    Path work = Path.of(args[2]).toAbsolutePath();
    try {
      Files.createDirectories(work);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    System.setProperty("appdb.bench.log", work.resolve("operator.log").toString());
    BenchMain.quietMockServerLog();
    try (BenchEnvironment env = BenchEnvironment.start(work, BenchOptions.Mock.INDEXED)) {
      long none = Heap.usedAfterGc();
      churn(env, rounds, count, work, none);
      // Read only once churn() has returned: while a local variable still held the stopped
      // runtime, its objects stayed reachable and the eleventh session billed them to the mock.
      Bench.log("churn: operator stopped, heap %d bytes", Heap.usedAfterGc() - none);
      histogram(work, "stopped");
    }
    System.exit(0);
  }

  private static void churn(BenchEnvironment env, int rounds, int count, Path work, long none)
      throws InterruptedException {
    Users users = new Users(env);
    KubernetesClient client = env.operatorClient();
    OperatorRuntime runtime = OperatorRuntime.start(client, OperatorRuntime.Options.defaults());
    Thread.sleep(10_000);
    Bench.log("churn: idle operator, heap %d bytes", Heap.usedAfterGc() - none);
    for (int round = 1; round <= rounds; round++) {
      Bench.operatorRound(env, users, new Fleet("churn", count, 0.5), 600_000, "churn");
      Thread.sleep(3000);
      Bench.log(
          "churn: round %d (%d AppDatabases created and deleted): idle operator, heap %d bytes",
          round, round * count, Heap.usedAfterGc() - none);
      histogram(work, "round-" + round);
    }
    runtime.close();
    client.close();
  }

  /**
   * The live objects by class ({@code jcmd GC.class_histogram}, through the JVM's own diagnostic
   * MBean so that no tool has to find this process), written to {@code histogram-<label>.txt}:
   * comparing two rounds shows which classes grow, and so whose they are.
   */
  private static void histogram(Path work, String label) {
    try {
      Object text =
          java.lang.management.ManagementFactory.getPlatformMBeanServer()
              .invoke(
                  new javax.management.ObjectName("com.sun.management:type=DiagnosticCommand"),
                  "gcClassHistogram",
                  new Object[] {new String[0]},
                  new String[] {String[].class.getName()});
      Files.writeString(work.resolve("histogram-" + label + ".txt"), String.valueOf(text));
    } catch (javax.management.JMException | IOException e) {
      Bench.log("churn: no class histogram (%s)", e);
    }
  }
}
