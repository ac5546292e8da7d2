package io.appdb.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The whole benchmark with a handful of AppDatabases: every section is written, no thresholds. */
class BenchSmokeIT {

  @Test
  void smallRunWritesEverySection() throws Exception {
    Path work = Path.of(System.getProperty("appdb.bench.work", "target/bench-work-it"));
    Path out = work.resolve("results");
    BenchOptions options =
        BenchOptions.defaults()
            .withCount(10)
            .withResync(Duration.ofSeconds(5))
            .withOut(out.toAbsolutePath())
            .withWork(work.toAbsolutePath());

    Path dir = BenchMain.run(options);

    JsonNode report = new ObjectMapper().readTree(dir.resolve("latest.json").toFile());
    for (String phase : new String[] {"create", "steady", "heap", "restart", "delete"}) {
      assertThat(report.path("operator").has(phase)).as("operator." + phase).isTrue();
    }
    // By default the limit is measured twice before the operator and once after it.
    assertThat(report.path("run").path("limitWindows").asInt()).isEqualTo(3);
    assertThat(report.path("run").path("mock").asText()).isEqualTo("indexed");
    for (String phase : new String[] {"create", "delete"}) {
      for (String side : new String[] {"limit", "limitBefore", "limitEarly"}) {
        assertThat(report.path(side).has(phase)).as(side + "." + phase).isTrue();
        for (String engine : new String[] {"postgresql", "mariadb"}) {
          assertThat(report.path("ratioByWindow").path(side).path(phase).path(engine).asDouble())
              .as(side + " " + phase + " " + engine)
              .isPositive();
        }
      }
      for (String engine : new String[] {"postgresql", "mariadb"}) {
        assertThat(report.path("ratio").path(phase).path(engine).asDouble())
            .as(phase + " " + engine)
            .isPositive();
      }
    }
    for (String side : new String[] {"operator", "limitBefore", "limit"}) {
      JsonNode create = report.path(side).path("create");
      // Every window says what settling before it found and what the machine's memory did in it.
      assertThat(create.path("settledBefore").has("waitSeconds")).as(side).isTrue();
      assertThat(create.path("cost").path("memory").path("machinePageFaultsPerUnit").asDouble())
          .as(side + " page faults")
          .isPositive();
    }
    // Ten AppDatabases delete too few files for ext4's wait to matter (Bench.settleFiles).
    assertThat(report.path("run").path("filesSettleSeconds").asLong()).isZero();
    assertThat(report.path("operator").path("create").path("allReady").asBoolean()).isTrue();
    assertThat(report.path("operator").path("delete").path("allDeleted").asBoolean()).isTrue();
    String md = Files.readString(dir.resolve("latest.md"));
    assertThat(md)
        .contains(
            "| per engine |",
            "postgresql operator",
            "mariadb limit before",
            "The limit's three windows in the order they ran");
  }
}
