package io.appdb.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Flags a ratio that says more about a database server than about the operator: the operator and
 * the limit send the same statements to the same server, so the server's own CPU per AppDatabase
 * should be about the same in both windows. On the machine of 2026-12-06 the embedded PostgreSQL's
 * CPU per create was bimodal (about 22 or about 44 ms, all of the difference kernel time in the
 * backend), and a window that fell in the slow mode halved that engine's throughput whichever side
 * it was. The tenth session found the cause (ext4 without a journal stepping over inodes deleted
 * less than a minute before, see {@code Bench.settleFiles}), and the bench now waits it out; the
 * note stays for whatever else makes a server slower in one window. The report keeps the ratio and
 * says so next to it, rather than leaving the reader to find the two server figures in the table.
 */
final class Comparability {
  /**
   * The factor between the two windows' server CPU per AppDatabase beyond which a ratio is flagged.
   * Over the 69 runs in {@code bench/results/history.md} before this check (both machines), the
   * PostgreSQL server's create windows differed by at most 1.33 when both were in the same mode,
   * and by 1.52-2.85 in the 16 where one window was slow (32-86 ms per create against 21-31 in the
   * other).
   */
  static final double MAX_FACTOR = 1.5;

  /**
   * Free memory handed back to the hypervisor during a window ({@link PageReporting}) beyond which
   * the ratios are flagged. The bench waits before each window until the hand-back is still, and a
   * create window then saw 0-24 MB go back (F15-F21 of 2026-12-06), against 1.6 GB in the
   * operator's create window of F12, before the wait. A delete window frees memory itself and saw
   * 6-558 MB go back, flagged above this.
   */
  static final double MAX_HANDED_BACK_MIB = 256;

  private Comparability() {}

  /**
   * One sentence per engine and phase whose server CPU per AppDatabase differs beyond the factor,
   * and one per phase in which either window handed back more than {@link #MAX_HANDED_BACK_MIB}.
   */
  static List<String> notes(Map<String, Object> report) {
    List<String> notes = new ArrayList<>();
    MarkdownReport view = MarkdownReport.view(report);
    Map<String, String> windows = new LinkedHashMap<>();
    if (report.containsKey(Bench.LIMIT_BEFORE)) {
      windows.put(Bench.LIMIT_BEFORE, "the limit's before it");
      windows.put(Bench.LIMIT, "the limit's after it");
    } else {
      windows.put(Bench.LIMIT, "the limit's");
    }
    windows.forEach((side, window) -> serverNotes(view, side, window, notes));
    memoryNotes(view, windows, notes);
    return notes;
  }

  private static void serverNotes(
      MarkdownReport view, String side, String window, List<String> notes) {
    for (String phase : List.of("create", "delete")) {
      for (String engine : List.of("postgresql", "mariadb")) {
        String path = phase + ".cost.sql." + engine + ".serverCpuMsPerUnit";
        double operator = number(view.get("operator." + path));
        double limit = number(view.get(side + "." + path));
        if (operator <= 0 || limit <= 0) {
          continue;
        }
        double factor = Math.max(operator, limit) / Math.min(operator, limit);
        if (factor > MAX_FACTOR) {
          notes.add(
              String.format(
                  Locale.ROOT,
                  "%s %s ratio: the %s server used %.1f ms of CPU per AppDatabase in the"
                      + " operator's window and %.1f in %s, with the same statements (%.1f"
                      + " times): the ratio measures the server's speed in the two windows more"
                      + " than the operator.",
                  engine,
                  phase,
                  engine,
                  operator,
                  limit,
                  window,
                  factor));
        }
      }
    }
  }

  private static void memoryNotes(
      MarkdownReport view, Map<String, String> windows, List<String> notes) {
    for (String phase : List.of("create", "delete")) {
      String path = phase + ".cost.memory.handedBackMiB";
      double max = number(view.get("operator." + path));
      StringBuilder others = new StringBuilder();
      for (var w : windows.entrySet()) {
        double limit = number(view.get(w.getKey() + "." + path));
        max = Math.max(max, limit);
        others.append(others.isEmpty() ? "" : " and ");
        others.append(String.format(Locale.ROOT, "%.0f MB during %s", limit, w.getValue()));
      }
      if (max > MAX_HANDED_BACK_MIB) {
        notes.add(
            String.format(
                Locale.ROOT,
                "%s ratios: the VM handed %.0f MB of free memory back to the hypervisor during the"
                    + " operator's window, %s; the hand-back takes CPU in the window, and whatever"
                    + " allocates those pages next waits for the hypervisor to fault them in"
                    + " again.",
                phase,
                number(view.get("operator." + path)),
                others));
      }
    }
  }

  private static double number(Object value) {
    return value instanceof Number n ? n.doubleValue() : 0;
  }
}
