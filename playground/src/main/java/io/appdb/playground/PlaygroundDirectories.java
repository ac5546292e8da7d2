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
   * Unpacked database binaries (PostgreSQL about 60 MB, MariaDB several hundred) outlive a run,
   * like Maven's repository: unpacking them costs many seconds on every start otherwise. Data never
   * goes here.
   */
  static Path binaryCache() {
    return Path.of(System.getProperty("java.io.tmpdir"), "appdb-playground-cache");
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
