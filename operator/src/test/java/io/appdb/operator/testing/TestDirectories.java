package io.appdb.operator.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Directories the embedded servers use under {@code operator/target/embedded/}. Each JVM gets its
 * own data directories (suffixed with its pid) because several builds may run in one work tree at
 * once; directories left by JVMs that no longer run are removed.
 */
final class TestDirectories {

  private TestDirectories() {}

  /** {@code operator/target}, found from the build's system property or the working directory. */
  static Path target() {
    String binaries = System.getProperty("appdb.pgBinaries");
    if (binaries != null && !binaries.isBlank()) {
      return Paths.get(binaries).toAbsolutePath().getParent();
    }
    Path moduleTarget = Paths.get("target");
    if (Files.isDirectory(moduleTarget.resolve("pg-binaries"))) {
      return moduleTarget.toAbsolutePath();
    }
    return Paths.get("operator", "target").toAbsolutePath();
  }

  static Path embedded() {
    return target().resolve("embedded");
  }

  /** A fresh directory {@code embedded/<prefix>-<pid>}, after removing stale ones of the prefix. */
  static Path freshForThisJvm(String prefix) {
    Path root = embedded();
    try {
      Files.createDirectories(root);
      try (Stream<Path> children = Files.list(root)) {
        children
            .filter(p -> p.getFileName().toString().startsWith(prefix + "-"))
            .filter(p -> !isLiveJvm(p.getFileName().toString().substring(prefix.length() + 1)))
            .forEach(TestDirectories::deleteRecursively);
      }
      Path mine = root.resolve(prefix + "-" + ProcessHandle.current().pid());
      deleteRecursively(mine);
      return Files.createDirectories(mine);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static void deleteRecursively(Path path) {
    if (!Files.exists(path)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(path)) {
      walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static boolean isLiveJvm(String pid) {
    try {
      return ProcessHandle.of(Long.parseLong(pid)).map(ProcessHandle::isAlive).orElse(false);
    } catch (NumberFormatException e) {
      return true;
    }
  }
}
