package io.appdb.playground;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** Where a run keeps its files: a fresh temporary directory, deleted when the run stops. */
final class PlaygroundDirectories {

  private PlaygroundDirectories() {}

  static Path newWorkDirectory() {
    try {
      return Files.createTempDirectory("appdb-playground-");
    } catch (IOException e) {
      throw new UncheckedIOException("creating a temporary directory", e);
    }
  }

  /**
   * Unpacked PostgreSQL binaries (about 60 MB) outlive a run, like Maven's repository: unpacking
   * them costs seconds on every start otherwise. Data never goes here.
   */
  static Path postgresBinaryCache() {
    return Path.of(
        System.getProperty("java.io.tmpdir"),
        "appdb-playground-cache",
        "postgresql-" + EmbeddedDatabases.POSTGRES_MAJOR);
  }

  static void delete(Path path) {
    if (path == null || !Files.exists(path)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(path)) {
      walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      throw new UncheckedIOException("deleting " + path, e);
    }
  }
}
