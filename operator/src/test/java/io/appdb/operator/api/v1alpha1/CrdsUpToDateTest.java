package io.appdb.operator.api.v1alpha1;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The CRDs committed in {@code crds/} must be exactly what the build generates from the API
 * classes, so that a change to an annotation can never ship without its YAML. With {@code
 * -Dappdb.updateCrds=true} the test writes the generated files there instead.
 */
class CrdsUpToDateTest {

  static final String UPDATE_COMMAND =
      "mvn -o -B -pl operator test -Dappdb.updateCrds=true -Dtest=CrdsUpToDateTest"
          + " -Dsurefire.failIfNoSpecifiedTests=false";

  @Test
  void committedCrdsEqualTheGeneratedOnes() throws IOException {
    Path committedDir = CrdSchemaTest.repoRoot().resolve("crds");
    List<Path> generated = CrdSchemaTest.generatedCrds();
    if (Boolean.getBoolean("appdb.updateCrds")) {
      write(generated, committedDir);
    }

    List<String> differences = new ArrayList<>();
    for (Path source : generated) {
      Path committed = committedDir.resolve(source.getFileName());
      if (!Files.exists(committed)) {
        differences.add(committed + " is missing");
      } else if (!Arrays.equals(Files.readAllBytes(source), Files.readAllBytes(committed))) {
        differences.add(committed + " differs from " + source);
      }
    }
    Set<String> generatedNames =
        generated.stream().map(p -> p.getFileName().toString()).collect(Collectors.toSet());
    for (Path stale : crdFiles(committedDir)) {
      if (!generatedNames.contains(stale.getFileName().toString())) {
        differences.add(stale + " is no longer generated; delete it");
      }
    }
    assertThat(differences)
        .as(
            "crds/ is out of date with the API classes. Refresh it with:%n  %s%nthen commit crds/.",
            UPDATE_COMMAND)
        .isEmpty();
  }

  private static void write(List<Path> generated, Path committedDir) throws IOException {
    Files.createDirectories(committedDir);
    for (Path source : generated) {
      Files.copy(
          source, committedDir.resolve(source.getFileName()), StandardCopyOption.REPLACE_EXISTING);
    }
  }

  private static List<Path> crdFiles(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> list = Files.list(dir)) {
      return list.filter(p -> p.getFileName().toString().endsWith(".yml")).sorted().toList();
    }
  }
}
