package io.appdb.operator;

/**
 * JVM settings the operator needs that cannot be left to the defaults; applied first thing in every
 * main method that runs the operator.
 */
public final class JvmDefaults {
  static final String COMMON_POOL_PARALLELISM =
      "java.util.concurrent.ForkJoinPool.common.parallelism";

  private JvmDefaults() {}

  /**
   * With one or two CPUs (a typical operator pod) the common ForkJoinPool gets parallelism 1, and
   * {@code CompletableFuture} then runs every async stage without an executor on a brand-new
   * thread. With the JDK HTTP client (used until 2026-12-06) the fabric8 client completed each HTTP
   * response that way, and a burst of API calls created thousands of short-lived threads (seen in
   * the benchmark's profile); fabric8 and JOSDK still chain such stages. A parallelism of at least
   * 2 makes them use the pool. An explicit setting is kept. Must run before anything touches the
   * common pool.
   */
  public static void apply() {
    if (System.getProperty(COMMON_POOL_PARALLELISM) == null
        && Runtime.getRuntime().availableProcessors() <= 2) {
      System.setProperty(COMMON_POOL_PARALLELISM, "2");
    }
  }
}
