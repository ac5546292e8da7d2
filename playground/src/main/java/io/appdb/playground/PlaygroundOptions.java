package io.appdb.playground;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/** Command-line options of the playground. */
record PlaygroundOptions(boolean once, int port, Duration timeout, Path examples, boolean help) {

  static final int DEFAULT_PORT = 48080;

  static final String USAGE =
      """
      Usage: java -jar playground/target/appdb-playground.jar [options]

      Starts an in-process Kubernetes API, embedded PostgreSQL and MariaDB, and the operator;
      applies examples/*.yaml and shows the credentials the operator issued.

        --once            run the flow, print the result and exit: 0 only if every AppDatabase
                          became Ready and every login worked
        --port N          port of the Kubernetes API on 127.0.0.1 (default 48080)
        --timeout SECS    how long to wait for Ready (default 120)
        --examples DIR    apply the manifests in DIR instead of the examples built into the jar
        --help            this text
      """;

  static PlaygroundOptions parse(String... args) {
    boolean once = false;
    boolean help = false;
    int port = DEFAULT_PORT;
    Duration timeout = Duration.ofSeconds(120);
    Path examples = null;
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      switch (arg) {
        case "--once" -> once = true;
        case "--help", "-h" -> help = true;
        case "--port" -> port = port(value(args, ++i, arg));
        case "--timeout" -> timeout = Duration.ofSeconds(positive(value(args, ++i, arg), arg));
        case "--examples" -> {
          examples = Path.of(value(args, ++i, arg));
          if (!Files.isDirectory(examples)) {
            throw new IllegalArgumentException("--examples " + examples + " is not a directory");
          }
        }
        default -> throw new IllegalArgumentException("unknown option " + arg);
      }
    }
    return new PlaygroundOptions(once, port, timeout, examples, help);
  }

  private static String value(String[] args, int i, String option) {
    if (i >= args.length) {
      throw new IllegalArgumentException(option + " needs a value");
    }
    return args[i];
  }

  private static int port(String text) {
    int port = positive(text, "--port");
    if (port > 65535) {
      throw new IllegalArgumentException("--port must be at most 65535, got " + text);
    }
    return port;
  }

  private static int positive(String text, String option) {
    try {
      int value = Integer.parseInt(text);
      if (value <= 0) {
        throw new IllegalArgumentException(option + " must be positive, got " + text);
      }
      return value;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(option + " must be a number, got " + text);
    }
  }
}
