package io.appdb.operator.deploy;

import java.nio.file.Files;
import java.nio.file.Path;

/** The repository's top directory, where the Dockerfile, crds/ and helm/ live. */
final class RepoRoot {

  private RepoRoot() {}

  static Path path() {
    // Surefire passes it; the fallback covers running a test from an IDE in the module directory.
    String configured = System.getProperty("appdb.repoRoot");
    Path start = Path.of(configured != null ? configured : "").toAbsolutePath();
    for (Path p = start; p != null; p = p.getParent()) {
      if (Files.isRegularFile(p.resolve("Dockerfile"))
          && Files.isDirectory(p.resolve("operator"))) {
        return p;
      }
    }
    throw new IllegalStateException("repository root not found above " + start);
  }
}
