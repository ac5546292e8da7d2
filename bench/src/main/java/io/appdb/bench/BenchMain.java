package io.appdb.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * {@code java -jar bench/target/appdb-bench.jar -N 1000}: runs the benchmark, writes {@code
 * results/latest.json} and {@code results/latest.md}, and prints the Markdown table.
 */
public final class BenchMain {
  private BenchMain() {}

  public static void main(String[] args) {
    io.appdb.operator.JvmDefaults.apply();
    BenchOptions options;
    try {
      options = BenchOptions.parse(args);
    } catch (IllegalArgumentException e) {
      if (!e.getMessage().equals("help")) {
        System.err.println("appdb-bench: " + e.getMessage());
      }
      System.err.print(BenchOptions.USAGE);
      System.exit(e.getMessage().equals("help") ? 0 : 2);
      return;
    }
    Path results;
    try {
      results = run(options);
    } catch (RuntimeException e) {
      e.printStackTrace();
      System.exit(1);
      return;
    }
    System.out.println(readString(results.resolve("latest.md")));
    System.out.println("bench: results in " + results);
    // Embedded servers are stopped by shutdown hooks.
    System.exit(0);
  }

  /** Runs the benchmark and writes the result files; returns the directory they are in. */
  public static Path run(BenchOptions options) {
    quietMockServerLog();
    try {
      Files.createDirectories(options.work());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    // Before the first logger exists: the operator's log goes to the work directory.
    System.setProperty("appdb.bench.log", options.work().resolve("operator.log").toString());
    Bench.log("starting the mock API server, PostgreSQL 17 and MariaDB (work: %s)", options.work());
    Map<String, Object> report;
    try (BenchEnvironment env = BenchEnvironment.start(options.work(), options.mock())) {
      report = new Bench(options, env).run();
    }
    return write(options.out(), report);
  }

  /** The mock API server logs every request through java.util.logging; that is its own cost. */
  private static final java.util.logging.Logger MOCK_LOG =
      java.util.logging.Logger.getLogger("io.fabric8.mockwebserver");

  static void quietMockServerLog() {
    MOCK_LOG.setLevel(java.util.logging.Level.WARNING);
  }

  static Path write(Path dir, Map<String, Object> report) {
    try {
      Files.createDirectories(dir);
      ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
      Files.writeString(
          dir.resolve("latest.json"),
          json.writeValueAsString(report) + "\n",
          StandardCharsets.UTF_8);
      Files.writeString(
          dir.resolve("latest.md"), MarkdownReport.render(report), StandardCharsets.UTF_8);
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String readString(Path file) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
