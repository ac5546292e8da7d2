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
 * GC when idle after each round, then once more with the operator stopped. Each reading also writes
 * the live objects by class to {@code histogram-<round>.txt} in the work directory, so that two
 * rounds can be compared class by class.
 *
 * <p>What it found (twelfth session): the idle heap grows by two small entries per AppDatabase
 * deleted, exactly 1000 per round of 500. They are JOSDK's tombstones ({@code
 * TemporaryResourceCache}: the UID of every resource its informers saw deleted, AppDatabase and
 * Secret, with a timestamp, kept 20 minutes and at most a million, so that a late write cannot
 * bring a deleted resource back into its cache). About 150 bytes each; they go when they expire and
 * the cache is next used.
 *
 * <p>{@code java -cp bench/target/appdb-bench.jar io.appdb.bench.ChurnCheck <rounds> <count> <work
 * dir> [pause seconds]}: a pause between rounds makes a run outlast JOSDK's 20 minutes without
 * creating more than a few thousand AppDatabases.
 */
public final class ChurnCheck {
  private ChurnCheck() {}

  public static void main(String[] args) throws InterruptedException {
    if (args.length != 3 && args.length != 4) {
      System.err.println("usage: ChurnCheck <rounds> <count> <work dir> [pause seconds]");
      System.exit(2);
    }
    io.appdb.operator.JvmDefaults.apply();
    int rounds = Integer.parseInt(args[0]);
    int count = Integer.parseInt(args[1]);
    Path work = Path.of(args[2]).toAbsolutePath();
    long pauseMillis = args.length == 4 ? Long.parseLong(args[3]) * 1000 : 0;
    try {
      Files.createDirectories(work);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    System.setProperty("appdb.bench.log", work.resolve("operator.log").toString());
    BenchMain.quietMockServerLog();
    try (BenchEnvironment env = BenchEnvironment.start(work, BenchOptions.Mock.INDEXED)) {
      long none = Heap.usedAfterGc();
      churn(env, rounds, count, pauseMillis, work, none);
      // Read only once churn() has returned: while a local variable still held the stopped
      // runtime, its objects stayed reachable and the eleventh session billed them to the mock.
      Bench.log("churn: operator stopped, heap %d bytes", Heap.usedAfterGc() - none);
      histogram(work, "stopped");
    }
    System.exit(0);
  }

  private static void churn(
      BenchEnvironment env, int rounds, int count, long pauseMillis, Path work, long none)
      throws InterruptedException {
    Users users = new Users(env);
    KubernetesClient client = env.operatorClient();
    OperatorRuntime runtime = OperatorRuntime.start(client, OperatorRuntime.Options.defaults());
    Thread.sleep(10_000);
    Bench.log("churn: idle operator, heap %d bytes", Heap.usedAfterGc() - none);
    long start = System.nanoTime();
    for (int round = 1; round <= rounds; round++) {
      Bench.operatorRound(env, users, new Fleet("churn", count, 0.5), 600_000, "churn");
      Thread.sleep(3000 + pauseMillis);
      Bench.log(
          "churn: round %d (%d AppDatabases created and deleted, %d s since the first):"
              + " idle operator, heap %d bytes",
          round,
          round * count,
          (System.nanoTime() - start) / 1_000_000_000L,
          Heap.usedAfterGc() - none);
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
