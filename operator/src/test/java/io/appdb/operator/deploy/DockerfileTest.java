package io.appdb.operator.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Structural checks of the top-level Dockerfile. No container engine exists where the tests run, so
 * the properties the chart relies on (non-root numeric user, heap sized from the memory limit, the
 * jar path) are asserted on the parsed instructions instead.
 */
class DockerfileTest {

  record Instruction(String keyword, String args) {}

  private static List<Instruction> instructions;

  @BeforeAll
  static void parse() throws IOException {
    instructions = parse(Files.readString(RepoRoot.path().resolve("Dockerfile")));
  }

  /** Joins continuation lines and drops comments, as the Dockerfile frontend does. */
  static List<Instruction> parse(String text) {
    List<Instruction> result = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    for (String line : text.split("\n", -1)) {
      String trimmed = line.strip();
      if (current.length() == 0 && (trimmed.isEmpty() || trimmed.startsWith("#"))) {
        continue;
      }
      if (trimmed.startsWith("#")) {
        continue;
      }
      if (trimmed.endsWith("\\")) {
        current.append(trimmed, 0, trimmed.length() - 1).append(' ');
        continue;
      }
      current.append(trimmed);
      String full = current.toString().strip();
      current.setLength(0);
      if (full.isEmpty()) {
        continue;
      }
      int space = full.indexOf(' ');
      result.add(
          space < 0
              ? new Instruction(full.toUpperCase(), "")
              : new Instruction(full.substring(0, space).toUpperCase(), full.substring(space + 1)));
    }
    return result;
  }

  private static List<Instruction> all(String keyword) {
    return instructions.stream().filter(i -> i.keyword().equals(keyword)).toList();
  }

  /** Instructions of the last stage, the one that becomes the image. */
  private static List<Instruction> finalStage() {
    int lastFrom = -1;
    for (int i = 0; i < instructions.size(); i++) {
      if (instructions.get(i).keyword().equals("FROM")) {
        lastFrom = i;
      }
    }
    return instructions.subList(lastFrom, instructions.size());
  }

  @Test
  void isMultiStageWithAMavenBuildAndAJreRuntime() {
    List<Instruction> froms = all("FROM");
    assertThat(froms).hasSizeGreaterThanOrEqualTo(2);
    assertThat(froms.get(0).args()).startsWith("maven:3.9-eclipse-temurin-17").contains(" AS ");
    assertThat(froms.get(froms.size() - 1).args())
        .matches("(eclipse-temurin:17-jre.*|gcr\\.io/distroless/java17.*)");
  }

  @Test
  void buildsTheOperatorModuleWithItsDependencies() {
    assertThat(all("RUN"))
        .anySatisfy(
            run ->
                assertThat(run.args())
                    .contains("mvn -B -pl operator -am package")
                    .contains("-DskipTests"));
  }

  @Test
  void runtimeUserIsNumericAndNotRoot() {
    List<Instruction> users =
        finalStage().stream().filter(i -> i.keyword().equals("USER")).toList();
    assertThat(users).isNotEmpty();
    String user = users.get(users.size() - 1).args().strip();
    Matcher m = Pattern.compile("(\\d+)(?::(\\d+))?").matcher(user);
    assertThat(m.matches()).as("USER %s must be numeric uid[:gid]", user).isTrue();
    assertThat(Integer.parseInt(m.group(1))).isEqualTo(65532);
    if (m.group(2) != null) {
      assertThat(Integer.parseInt(m.group(2))).isNotZero();
    }
  }

  @Test
  void jvmHeapFollowsTheContainerMemoryLimit() {
    String env =
        finalStage().stream()
            .filter(i -> i.keyword().equals("ENV"))
            .map(Instruction::args)
            .filter(a -> a.contains("JAVA_TOOL_OPTIONS"))
            .findFirst()
            .orElseThrow(() -> new AssertionError("no JAVA_TOOL_OPTIONS in the runtime stage"));
    assertThat(env).contains("-XX:MaxRAMPercentage=75").contains("-Djava.io.tmpdir=/tmp");
    assertThat(env).doesNotContain("-Xmx");
  }

  @Test
  void runsTheShadedJar() {
    assertThat(finalStage())
        .anySatisfy(
            i -> {
              assertThat(i.keyword()).isEqualTo("COPY");
              assertThat(i.args()).contains("--from=build").endsWith("/app/appdb-operator.jar");
            });
    List<Instruction> entrypoints = all("ENTRYPOINT");
    assertThat(entrypoints).hasSize(1);
    assertThat(entrypoints.get(0).args())
        .isEqualTo("[\"java\", \"-jar\", \"/app/appdb-operator.jar\"]");
  }

  @Test
  void exposesTheHttpPort() {
    assertThat(all("EXPOSE")).extracting(Instruction::args).containsExactly("8080");
  }

  @Test
  void carriesOciLabels() {
    String labels =
        String.join(
            " ",
            finalStage().stream()
                .filter(i -> i.keyword().equals("LABEL"))
                .map(Instruction::args)
                .toList());
    for (String key :
        List.of("title", "description", "source", "licenses", "version", "revision", "created")) {
      assertThat(labels).contains("org.opencontainers.image." + key + "=");
    }
  }

  @Test
  void buildContextExcludesLocalBuildOutput() throws IOException {
    List<String> ignored =
        Files.readAllLines(RepoRoot.path().resolve(".dockerignore")).stream()
            .map(String::strip)
            .filter(l -> !l.isEmpty() && !l.startsWith("#"))
            .toList();
    assertThat(ignored).contains("**/target", ".git");
    assertThat(ignored).doesNotContain(".mvn", "crds", "operator");
  }

  @Test
  void parserJoinsContinuationsAndSkipsComments() {
    List<Instruction> parsed = parse("# c\nFROM a AS b\nRUN one \\\n  # inner\n  two\nUSER 1:1\n");
    assertThat(parsed)
        .containsExactly(
            new Instruction("FROM", "a AS b"),
            new Instruction("RUN", "one  two"),
            new Instruction("USER", "1:1"));
  }
}
