package io.appdb.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ComparabilityTest {
  @Test
  void aServerTwiceAsSlowInOneWindowIsFlaggedWithBothFigures() {
    // Run D2 of the ninth session: PostgreSQL's slow mode in the operator's create window.
    Map<String, Object> report = report(44.2, 23.1, 3.0, 2.9);

    List<String> notes = Comparability.notes(report);

    assertThat(notes).hasSize(1);
    assertThat(notes.get(0))
        .startsWith("postgresql create ratio")
        .contains("44.2 ms", "23.1 in the limit's", "1.9 times");
    report.put("notes", notes);
    assertThat(MarkdownReport.render(report)).contains("**Note:** postgresql create ratio");
  }

  @Test
  void eitherDirectionCounts() {
    assertThat(Comparability.notes(report(23.0, 43.7, 3.0, 2.9)))
        .singleElement()
        .asString()
        .contains("1.9 times");
  }

  @Test
  void serversAsFastInBothWindowsLeaveNoNote() {
    // Run C2 of the seventh session (latest.md): 22.5 against 22.9, 3 against 2.86.
    Map<String, Object> report = report(22.5, 22.9, 3.0, 2.86);

    assertThat(Comparability.notes(report)).isEmpty();
    report.put("notes", List.of());
    assertThat(MarkdownReport.render(report)).doesNotContain("**Note:**");
  }

  @Test
  void justUnderTheFactorIsNotFlaggedAndMissingFiguresAreSkipped() {
    assertThat(Comparability.notes(report(29.9, 20.0, 0.0, 2.9))).isEmpty();
    assertThat(Comparability.notes(new LinkedHashMap<>())).isEmpty();
  }

  @Test
  void memoryHandedBackToTheHypervisorDuringAWindowIsFlagged() {
    // Run F12 of the tenth session, before the bench waited for the hand-back: 1.6 GB went back
    // in the operator's create window, 16 MB in the limit's.
    Map<String, Object> report = report(30.2, 22.9, 3.16, 2.26);
    withHandedBack(report, 1622, 16);

    assertThat(Comparability.notes(report))
        .singleElement()
        .asString()
        .startsWith("create ratios")
        .contains("1622 MB", "16 MB during the limit's");
  }

  @Test
  void aLittleMemoryHandedBackIsNotFlagged() {
    Map<String, Object> report = report(30.1, 29.1, 3.2, 2.78);
    withHandedBack(report, 0, 134);

    assertThat(Comparability.notes(report)).isEmpty();
  }

  @Test
  void withTwoLimitWindowsEachIsComparedAndNamed() {
    Map<String, Object> report = report(24.0, 23.1, 3.0, 2.9);
    report.put(Bench.LIMIT_BEFORE, Map.of("create", phase(40.2, 2.9)));

    assertThat(Comparability.notes(report))
        .singleElement()
        .asString()
        .contains("24.0 ms", "40.2 in the limit's before it", "1.7 times");
  }

  @Test
  void memoryHandedBackIsOneNoteNamingEveryWindow() {
    Map<String, Object> report = report(24.0, 23.1, 3.0, 2.9);
    report.put(Bench.LIMIT_BEFORE, Map.of("create", phase(24.5, 2.9)));
    withHandedBack(report, 12, 300);
    withHandedBack(report, Bench.LIMIT_BEFORE, 700);

    assertThat(Comparability.notes(report))
        .singleElement()
        .asString()
        .contains(
            "12 MB of free memory",
            "700 MB during the limit's before it",
            "300 MB during the limit's after it");
  }

  private static void withHandedBack(Map<String, Object> report, String side, long mib) {
    @SuppressWarnings("unchecked")
    Map<String, Object> create =
        new LinkedHashMap<>(
            (Map<String, Object>) ((Map<String, Object>) report.get(side)).get("create"));
    @SuppressWarnings("unchecked")
    Map<String, Object> cost = new LinkedHashMap<>((Map<String, Object>) create.get("cost"));
    cost.put("memory", Map.of("handedBackMiB", mib));
    create.put("cost", cost);
    report.put(side, Map.of("create", create));
  }

  private static void withHandedBack(Map<String, Object> report, long operator, long limit) {
    withHandedBack(report, "operator", operator);
    withHandedBack(report, Bench.LIMIT, limit);
  }

  /** The create phase of a report with the given server CPU per AppDatabase. */
  private static Map<String, Object> report(
      double pgOperator, double pgLimit, double myOperator, double myLimit) {
    Map<String, Object> report = new LinkedHashMap<>();
    report.put("operator", Map.of("create", phase(pgOperator, myOperator)));
    report.put("limit", Map.of("create", phase(pgLimit, myLimit)));
    return report;
  }

  private static Map<String, Object> phase(double postgresql, double mariadb) {
    return Map.of(
        "engines",
        Map.of("postgresql", Map.of("perSecond", 30.0), "mariadb", Map.of("perSecond", 100.0)),
        "cost",
        Map.of(
            "sql",
            Map.of(
                "postgresql", Map.of("serverCpuMsPerUnit", postgresql),
                "mariadb", Map.of("serverCpuMsPerUnit", mariadb))));
  }
}
