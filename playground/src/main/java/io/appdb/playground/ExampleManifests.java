package io.appdb.playground;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.FileSystem;
import java.nio.file.FileSystemAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The manifests of {@code examples/}: the copy built into the jar (so the playground runs from any
 * directory), or a directory given on the command line.
 */
final class ExampleManifests {

  /** One document and the file it came from. */
  record Manifest(String file, HasMetadata resource) {}

  private ExampleManifests() {}

  static List<Manifest> load(KubernetesClient client, Path directory) {
    if (directory != null) {
      return loadFrom(client, directory);
    }
    URL bundled = ExampleManifests.class.getResource("/examples");
    if (bundled == null) {
      throw new IllegalStateException("the examples are missing from the playground jar");
    }
    try {
      URI uri = bundled.toURI();
      if (!"jar".equals(uri.getScheme())) {
        return loadFrom(client, Path.of(uri));
      }
      FileSystem jar;
      boolean opened;
      try {
        jar = FileSystems.newFileSystem(uri, Map.of());
        opened = true;
      } catch (FileSystemAlreadyExistsException e) {
        jar = FileSystems.getFileSystem(uri);
        opened = false;
      }
      try {
        return loadFrom(client, jar.provider().getPath(uri));
      } finally {
        if (opened) {
          jar.close();
        }
      }
    } catch (URISyntaxException | IOException e) {
      throw new IllegalStateException("reading the examples built into the jar", e);
    }
  }

  private static List<Manifest> loadFrom(KubernetesClient client, Path directory) {
    List<Manifest> manifests = new ArrayList<>();
    try (Stream<Path> files = Files.list(directory)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList()) {
        try (InputStream in = Files.newInputStream(file)) {
          String name = "examples/" + file.getFileName();
          client.load(in).items().forEach(r -> manifests.add(new Manifest(name, r)));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("reading " + directory, e);
    }
    if (manifests.isEmpty()) {
      throw new IllegalStateException("no *.yaml manifests in " + directory);
    }
    return manifests;
  }
}
