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
    try (BenchEnvironment env = BenchEnvironment.start(work)) {
      Users users = new Users(env);
      long none = Heap.usedAfterGc();
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
      }
      runtime.close();
      client.close();
      Bench.log("churn: operator stopped, heap %d bytes", Heap.usedAfterGc() - none);
    }
    System.exit(0);
  }
}
