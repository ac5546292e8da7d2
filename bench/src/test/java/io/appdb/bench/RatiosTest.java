package io.appdb.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The operator / limit ratios, with the limit measured once or on both sides of the operator. */
class RatiosTest {

  @Test
  void twoLimitWindowsGiveTheRatioAgainstTheMeanOfTheirTimes() {
    Map<String, Object> report = operatorBetweenTwoLimitWindows();

    Map<String, Object> ratio = Bench.ratios(report);
    Map<String, Object> byWindow = Bench.ratiosByWindow(report);

    assertThat(ratio).containsEntry("create", Map.of("postgresql", 0.8, "mariadb", 0.7));
    assertThat(byWindow)
        .containsEntry(Bench.LIMIT_BEFORE, inBothPhases(0.75, 0.8))
        .containsEntry(Bench.LIMIT, inBothPhases(0.85, 0.6));

    report.put("ratio", ratio);
    report.put("ratioByWindow", byWindow);
    String md = MarkdownReport.render(report);
    assertThat(md)
        .contains(
            "| per engine | postgresql operator | postgresql limit before | postgresql limit after")
        .contains("create: ratio against the limit before / after alone | | | | 0.75 / 0.85 |");
  }

  @Test
  void anEarlyThirdLimitWindowIsReportedButLeftOutOfTheRatios() {
    Map<String, Object> report = operatorBetweenTwoLimitWindows();
    report.put(Bench.LIMIT_EARLY, sides(10.0, 5.0));

    Map<String, Object> ratio = Bench.ratios(report);
    Map<String, Object> byWindow = Bench.ratiosByWindow(report);

    // The same as without the early window: the ratios are against the windows beside the
    // operator's.
    assertThat(ratio).containsEntry("create", Map.of("postgresql", 0.8, "mariadb", 0.7));
    assertThat(byWindow)
        .containsOnlyKeys(Bench.LIMIT_EARLY, Bench.LIMIT_BEFORE, Bench.LIMIT)
        .containsEntry(Bench.LIMIT_EARLY, inBothPhases(0.5, 1.0));

    report.put("ratio", ratio);
    report.put("ratioByWindow", byWindow);
    String md = MarkdownReport.render(report);
    assertThat(md)
        .contains("The limit's three windows in the order they ran")
        .contains("| first, before | create | 50 | 0.50 |")
        .contains("| second, before | delete | 33.3 | 0.75 |")
        .contains("| third, after the operator | create | 29.4 | 0.85 |");
    assertThat(md.indexOf("| first, before | create |"))
        .isLessThan(md.indexOf("| second, before | create |"));
  }

  @Test
  void twoLimitWindowsHaveNoTableOfThree() {
    Map<String, Object> report = operatorBetweenTwoLimitWindows();
    report.put("ratio", Bench.ratios(report));
    assertThat(Bench.ratiosByWindow(report)).doesNotContainKey(Bench.LIMIT_EARLY);
    assertThat(MarkdownReport.render(report)).doesNotContain("three windows");
  }

  @Test
  void oneLimitWindowGivesItsOwnRatio() {
    Map<String, Object> report = new LinkedHashMap<>();
    report.put("operator", sides(20.0, 5.0));
    report.put(Bench.LIMIT, sides(18.0, 4.0));

    assertThat(Bench.ratios(report))
        .containsEntry("delete", Map.of("postgresql", 0.9, "mariadb", 0.8));
    assertThat(Bench.ratiosByWindow(report)).containsOnlyKeys(Bench.LIMIT);
    report.put("ratio", Bench.ratios(report));
    assertThat(MarkdownReport.render(report))
        .contains("| per engine | postgresql operator | postgresql limit | ratio |")
        .doesNotContain("limit before");
  }

  /**
   * 500 creates per engine: the operator took 20 s (PostgreSQL) and 5 s (MariaDB), the limit 15 s
   * and 4 s right before it, 17 s and 3 s after.
   */
  private static Map<String, Object> operatorBetweenTwoLimitWindows() {
    Map<String, Object> report = new LinkedHashMap<>();
    report.put("operator", sides(20.0, 5.0));
    report.put(Bench.LIMIT_BEFORE, sides(15.0, 4.0));
    report.put(Bench.LIMIT, sides(17.0, 3.0));
    return report;
  }

  /** The same ratio per engine in the create and the delete phase ({@link #sides} gives both). */
  private static Map<String, Object> inBothPhases(double postgresql, double mariadb) {
    Map<String, Object> engines = Map.of("postgresql", postgresql, "mariadb", mariadb);
    return Map.of("create", engines, "delete", engines);
  }

  /** A side's create and delete phases with the given seconds until all were done per engine. */
  private static Map<String, Object> sides(double postgresql, double mariadb) {
    // Ordered: the Markdown report lists the engines in the order the report's maps give them.
    Map<String, Object> engines = new LinkedHashMap<>();
    engines.put("postgresql", Map.of("seconds", postgresql, "perSecond", 500 / postgresql));
    engines.put("mariadb", Map.of("seconds", mariadb, "perSecond", 500 / mariadb));
    Map<String, Object> phase = Map.of("engines", engines);
    Map<String, Object> sides = new LinkedHashMap<>();
    sides.put("create", phase);
    sides.put("delete", phase);
    return sides;
  }
}
