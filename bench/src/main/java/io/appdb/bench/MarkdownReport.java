package io.appdb.bench;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** The report as Markdown tables: operator next to the limit, then cost details and targets. */
final class MarkdownReport {
  private final Map<String, Object> r;
  private final StringBuilder md = new StringBuilder();

  private MarkdownReport(Map<String, Object> report) {
    this.r = report;
  }

  static String render(Map<String, Object> report) {
    return new MarkdownReport(report).build();
  }

  /** Read access to {@code report} by dotted path ({@link #get}), without rendering it. */
  static MarkdownReport view(Map<String, Object> report) {
    return new MarkdownReport(report);
  }

  private String build() {
    Object n = get("run.appDatabases");
    md.append(
        String.format(
            "N = %s AppDatabases (%s on %s, %s on %s), resync %s s, admin pool cap %s, warm-up"
                + " %s × %s per path, mock API server %s; %s CPUs (%s), %s.%n%n",
            n,
            get("run.postgresql"),
            get("run.postgresqlVersion"),
            get("run.mariadb"),
            get("run.mariadbVersion"),
            get("run.resyncSeconds"),
            get("run.adminMaxConnections"),
            get("run.warmUpRounds"),
            get("run.warmUp"),
            "stock".equals(String.valueOf(get("run.mock")))
                ? "fabric8's (a scan of every object per request)"
                : "indexed by name",
            get("machine.cpus"),
            get("machine.cpuModel"),
            get("machine.java")));
    engineTable();
    notes();
    limitWindowsTable();
    operatorTable();
    sqlKinds();
    apiKinds();
    return md.toString();
  }

  private void engineTable() {
    List<String> engines = engines();
    StringBuilder head = new StringBuilder("| per engine |");
    StringBuilder rule = new StringBuilder("|---|");
    for (String e : engines) {
      head.append(" ").append(e).append(" operator | ");
      if (limitBefore()) {
        head.append(e).append(" limit before | ").append(e).append(" limit after | ratio |");
        rule.append("---:|---:|---:|---:|");
      } else {
        head.append(e).append(" limit | ratio |");
        rule.append("---:|---:|---:|");
      }
    }
    md.append(head).append('\n').append(rule).append('\n');
    for (String phase : List.of("create", "delete")) {
      String verb = phase.equals("create") ? "create" : "delete";
      row(engines, verb + ": AppDatabases/s", phase, e -> "engines." + e + ".perSecond", true);
      if (limitBefore()) {
        windowRatios(engines, phase);
      }
      row(
          engines,
          verb + ": seconds until all done",
          phase,
          e -> "engines." + e + ".seconds",
          false);
      // One figure for the whole burst, shown under each engine: the mock API server serves all
      // requests on one thread, so the users' requests queue behind whatever else it is doing.
      row(
          engines,
          verb + ": seconds the users took to send all N requests",
          phase,
          e -> "submitSeconds",
          false);
      row(
          engines,
          verb + ": connections the API server accepted / AppDatabase (from all clients)",
          phase,
          e -> "cost.api.serverConnectionsPerUnit",
          false);
      row(
          engines,
          verb + ": p50 latency (ms)",
          phase,
          e -> "engines." + e + ".latencyMs.p50",
          false);
      row(
          engines,
          verb + ": p95 latency (ms)",
          phase,
          e -> "engines." + e + ".latencyMs.p95",
          false);
      row(
          engines,
          verb + ": p99 latency (ms)",
          phase,
          e -> "engines." + e + ".latencyMs.p99",
          false);
      row(
          engines,
          verb + ": SQL statements / AppDatabase",
          phase,
          e -> "cost.sql." + e + ".statementsPerUnit",
          false);
      row(
          engines,
          verb + ": new admin connections / AppDatabase",
          phase,
          e -> "cost.sql." + e + ".newAdminConnectionsPerUnit",
          false);
      row(
          engines,
          verb + ": login checks (new app-user connections) / AppDatabase",
          phase,
          e -> "cost.sql." + e + ".newLoginConnectionsPerUnit",
          false);
      row(
          engines,
          verb + ": peak admin connections (seen by the server)",
          phase,
          e -> "cost.sql." + e + ".peakAdminConnections",
          false);
      row(
          engines,
          verb + ": admin connection held ms / AppDatabase (HikariCP)",
          phase,
          e -> "cost.sql." + e + ".adminConnectionHeldMsPerUnit",
          false);
      row(
          engines,
          verb + ": wait for an admin connection, ms per borrow (HikariCP)",
          phase,
          e -> "cost.sql." + e + ".adminWaitMsPerBorrow",
          false);
      row(
          engines,
          verb + ": DB server CPU ms / AppDatabase",
          phase,
          e -> "cost.sql." + e + ".serverCpuMsPerUnit",
          false);
      // Machine-wide figures, the same under each engine: the window holds both engines' work.
      row(
          engines,
          verb + ": whole machine CPU ms / AppDatabase (every process, both engines)",
          phase,
          e -> "cost.cpu.machineMsPerUnit",
          false);
      row(
          engines,
          verb + ": cores busy (of the machine's)",
          phase,
          e -> "cost.cpu.machineCoresBusy",
          false);
      row(
          engines,
          verb + ": CPU stolen by the hypervisor, ms / AppDatabase",
          phase,
          e -> "cost.cpu.stealMsPerUnit",
          false);
      row(
          engines,
          verb + ": page faults / AppDatabase (every process)",
          phase,
          e -> "cost.memory.machinePageFaultsPerUnit",
          false);
      row(
          engines,
          verb
              + ": MB of free memory handed back to the hypervisor while settling before the window",
          phase,
          e -> "settledBefore.handedBackMiB",
          false);
      row(
          engines,
          verb + ": MB of free memory handed back to the hypervisor in the window",
          phase,
          e -> "cost.memory.handedBackMiB",
          false);
    }
    md.append('\n');
  }

  /** What {@link Comparability} found, right under the ratios it is about. */
  private void notes() {
    if (get("notes") instanceof List<?> notes && !notes.isEmpty()) {
      for (Object note : notes) {
        md.append("**Note:** ").append(note).append("\n\n");
      }
    }
  }

  private interface PathOf {
    String of(String engine);
  }

  private void row(List<String> engines, String label, String phase, PathOf path, boolean ratio) {
    md.append("| ").append(label).append(" |");
    for (String e : engines) {
      md.append(' ').append(fmt(get("operator." + phase + "." + path.of(e)))).append(" | ");
      if (limitBefore()) {
        md.append(fmt(get("limitBefore." + phase + "." + path.of(e)))).append(" | ");
      }
      md.append(fmt(get("limit." + phase + "." + path.of(e)))).append(" | ");
      md.append(ratio ? fmt(get("ratio." + phase + "." + e)) : "").append(" |");
    }
    md.append('\n');
  }

  /**
   * The ratio against each limit window alone, under the ratio against their mean: how far apart
   * they are is how far two windows of the same code differ in this run.
   */
  private void windowRatios(List<String> engines, String phase) {
    md.append("| ").append(phase).append(": ratio against the limit before / after alone |");
    for (String e : engines) {
      md.append(" | | | ")
          .append(fmt(get("ratioByWindow.limitBefore." + phase + "." + e)))
          .append(" / ")
          .append(fmt(get("ratioByWindow.limit." + phase + "." + e)))
          .append(" |");
    }
    md.append('\n');
  }

  /**
   * With {@code --limit-windows 3}: the limit's three windows side by side, in the order they ran,
   * with each one's speed, the operator's ratio against it alone, and what its servers and its own
   * process spent per AppDatabase.
   */
  private void limitWindowsTable() {
    if (!r.containsKey(Bench.LIMIT_EARLY)) {
      return;
    }
    List<String> engines = engines();
    md.append("The limit's three windows in the order they ran (the ratios above use the last two)")
        .append(":\n\n| the limit's window | phase |");
    StringBuilder rule = new StringBuilder("|---|---|");
    for (String e : engines) {
      md.append(' ')
          .append(e)
          .append(" AppDatabases/s | ratio alone | server CPU ms / AppDatabase | admin connection")
          .append(" held ms / AppDatabase |");
      rule.append("---:|---:|---:|---:|");
    }
    md.append(" limit process CPU ms / AppDatabase |\n").append(rule).append("---:|\n");
    Map<String, String> names =
        Map.of(
            Bench.LIMIT_EARLY, "first, before",
            Bench.LIMIT_BEFORE, "second, before",
            Bench.LIMIT, "third, after the operator");
    for (String phase : List.of("create", "delete")) {
      for (String w : Bench.LIMIT_WINDOWS) {
        String at = w + "." + phase + ".";
        md.append("| ").append(names.get(w)).append(" | ").append(phase).append(" |");
        for (String e : engines) {
          md.append(' ')
              .append(cell(at + "engines." + e + ".perSecond"))
              .append(" | ")
              .append(cell("ratioByWindow." + w + "." + phase + "." + e))
              .append(" | ")
              .append(cell(at + "cost.sql." + e + ".serverCpuMsPerUnit"))
              .append(" | ")
              .append(cell(at + "cost.sql." + e + ".adminConnectionHeldMsPerUnit"))
              .append(" |");
        }
        md.append(' ').append(cell(at + "cost.cpu.operatorMsPerUnit")).append(" |\n");
      }
    }
    md.append('\n');
  }

  /** Whether the run measured the limit before the operator too ({@code --limit-windows 2, 3}). */
  private boolean limitBefore() {
    return r.containsKey(Bench.LIMIT_BEFORE);
  }

  private void operatorTable() {
    md.append(
        "| operator | create | steady state (per AppDatabase resync) | restart | delete | target |\n");
    md.append("|---|---:|---:|---:|---:|---|\n");
    line(
        "time until all done (s)",
        "operator.create.seconds",
        "operator.steady.windowSeconds",
        "operator.restart.secondsUntilAllReconciled",
        "operator.delete.seconds",
        "");
    line(
        "AppDatabases/s, both servers",
        "operator.create.perSecond",
        null,
        null,
        "operator.delete.perSecond",
        "");
    line(
        "p50 latency (ms)",
        "operator.create.latencyMs.p50",
        null,
        null,
        "operator.delete.latencyMs.p50",
        "");
    line(
        "p99 latency (ms)",
        "operator.create.latencyMs.p99",
        null,
        null,
        "operator.delete.latencyMs.p99",
        "");
    line(
        "reconciles started by JOSDK / AppDatabase (both controllers)",
        "operator.create.cost.josdkReconcilesPerUnit",
        "operator.steady.cost.josdkReconcilesPerUnit",
        "operator.restart.cost.josdkReconcilesPerUnit",
        "operator.delete.cost.josdkReconcilesPerUnit",
        "");
    line(
        "API reads / AppDatabase",
        "operator.create.cost.api.readsPerUnit",
        "operator.steady.cost.api.readsPerUnit",
        "operator.restart.cost.api.readsPerUnit",
        "operator.delete.cost.api.readsPerUnit",
        "");
    line(
        "API writes / AppDatabase",
        "operator.create.cost.api.writesPerUnit",
        "operator.steady.cost.api.writesPerUnit",
        "operator.restart.cost.api.writesPerUnit",
        "operator.delete.cost.api.writesPerUnit",
        "create <= 5 (finalizer) / 4; steady 0; delete <= 2");
    Set<String> kinds = new LinkedHashSet<>();
    for (String phase : List.of("create", "steady", "restart", "delete")) {
      Object m = get("operator." + phase + ".cost.api.writesByKindPerUnit");
      if (m instanceof Map<?, ?> map) {
        map.keySet().forEach(k -> kinds.add(k.toString()));
      }
    }
    for (String kind : kinds) {
      line(
          "&nbsp;&nbsp;writes: " + kind,
          "operator.create.cost.api.writesByKindPerUnit." + kind,
          "operator.steady.cost.api.writesByKindPerUnit." + kind,
          "operator.restart.cost.api.writesByKindPerUnit." + kind,
          "operator.delete.cost.api.writesByKindPerUnit." + kind,
          "");
    }
    line(
        "operator CPU ms / AppDatabase (process - mock API - bench - JIT - GC)",
        "operator.create.cost.cpu.operatorMsPerUnit",
        "operator.steady.cost.cpu.operatorMsPerUnit",
        "operator.restart.cost.cpu.operatorMsPerUnit",
        "operator.delete.cost.cpu.operatorMsPerUnit",
        "create <= 5");
    if (limitBefore()) {
      line(
          "&nbsp;&nbsp;the limit before the operator, same measure",
          "limitBefore.create.cost.cpu.operatorMsPerUnit",
          null,
          null,
          "limitBefore.delete.cost.cpu.operatorMsPerUnit",
          "");
    }
    line(
        "&nbsp;&nbsp;the limit"
            + (limitBefore() ? " after the operator" : "")
            + ", same measure (same SQL, login, Secret and status writes)",
        "limit.create.cost.cpu.operatorMsPerUnit",
        null,
        null,
        "limit.delete.cost.cpu.operatorMsPerUnit",
        "");
    line(
        "&nbsp;&nbsp;of which operator threads",
        "operator.create.cost.cpu.operatorThreadsMsPerUnit",
        "operator.steady.cost.cpu.operatorThreadsMsPerUnit",
        "operator.restart.cost.cpu.operatorThreadsMsPerUnit",
        "operator.delete.cost.cpu.operatorThreadsMsPerUnit",
        "");
    for (String[] group :
        new String[][] {
          {"pool-#-thread-#", "JOSDK's reconciler pool"}, {"OkHttp", "the HTTP client's calls"}
        }) {
      String key = "cost.cpu.operatorThreadsMsPerUnitByGroup." + group[0];
      line(
          "&nbsp;&nbsp;&nbsp;&nbsp;of which " + group[1] + " (" + group[0] + ")",
          "operator.create." + key,
          "operator.steady." + key,
          "operator.restart." + key,
          "operator.delete." + key,
          "");
    }
    md.append(
        String.format(
            "| SCRAM's PBKDF2 / AppDatabase, computed + reused by the login check (whole JVM; the"
                + " limit after: %s) | %s | %s | %s | %s |  |%n",
            pbkdf2("limit.create"),
            pbkdf2("operator.create"),
            pbkdf2("operator.steady"),
            pbkdf2("operator.restart"),
            pbkdf2("operator.delete")));
    line(
        "process CPU ms / AppDatabase (+ mock API, bench)",
        "operator.create.cost.cpu.processMsPerUnit",
        "operator.steady.cost.cpu.processMsPerUnit",
        "operator.restart.cost.cpu.processMsPerUnit",
        "operator.delete.cost.cpu.processMsPerUnit",
        "");
    line(
        "&nbsp;&nbsp;of which mock API server",
        "operator.create.cost.cpu.mockApiMsPerUnit",
        "operator.steady.cost.cpu.mockApiMsPerUnit",
        "operator.restart.cost.cpu.mockApiMsPerUnit",
        "operator.delete.cost.cpu.mockApiMsPerUnit",
        "");
    line(
        "&nbsp;&nbsp;of which JIT compiler threads (whole JVM)",
        "operator.create.cost.cpu.jitMsPerUnit",
        "operator.steady.cost.cpu.jitMsPerUnit",
        "operator.restart.cost.cpu.jitMsPerUnit",
        "operator.delete.cost.cpu.jitMsPerUnit",
        "");
    line(
        "&nbsp;&nbsp;of which GC threads (whole JVM)",
        "operator.create.cost.cpu.gcMsPerUnit",
        "operator.steady.cost.cpu.gcMsPerUnit",
        "operator.restart.cost.cpu.gcMsPerUnit",
        "operator.delete.cost.cpu.gcMsPerUnit",
        "");
    for (String e : engines()) {
      line(
          e + ": SQL statements / AppDatabase",
          "operator.create.cost.sql." + e + ".statementsPerUnit",
          "operator.steady.cost.sql." + e + ".statementsPerUnit",
          "operator.restart.cost.sql." + e + ".statementsPerUnit",
          "operator.delete.cost.sql." + e + ".statementsPerUnit",
          "");
      md.append(
          String.format(
              "| %s: new connections / AppDatabase (admin + login) | %s + %s | %s + %s | %s + %s | %s + %s | no new admin connection per AppDatabase; 1 login check per create |%n",
              e,
              fmt(get("operator.create.cost.sql." + e + ".newAdminConnectionsPerUnit")),
              fmt(get("operator.create.cost.sql." + e + ".newLoginConnectionsPerUnit")),
              fmt(get("operator.steady.cost.sql." + e + ".newAdminConnectionsPerUnit")),
              fmt(get("operator.steady.cost.sql." + e + ".newLoginConnectionsPerUnit")),
              fmt(get("operator.restart.cost.sql." + e + ".newAdminConnectionsPerUnit")),
              fmt(get("operator.restart.cost.sql." + e + ".newLoginConnectionsPerUnit")),
              fmt(get("operator.delete.cost.sql." + e + ".newAdminConnectionsPerUnit")),
              fmt(get("operator.delete.cost.sql." + e + ".newLoginConnectionsPerUnit"))));
      line(
          e + ": peak admin connections",
          "operator.create.cost.sql." + e + ".peakAdminConnections",
          "operator.steady.cost.sql." + e + ".peakAdminConnections",
          "operator.restart.cost.sql." + e + ".peakAdminConnections",
          "operator.delete.cost.sql." + e + ".peakAdminConnections",
          "<= pool cap");
    }
    md.append(
        String.format(
            "| heap after GC / AppDatabase (bytes) | %s | | | | <= 8 KiB at N = 5000 |%n",
            fmt(get("operator.heap.bytesPerAppDatabase"))));
    md.append('\n');
  }

  private void line(
      String label, String create, String steady, String restart, String delete, String target) {
    md.append(
        String.format(
            "| %s | %s | %s | %s | %s | %s |%n",
            label, cell(create), cell(steady), cell(restart), cell(delete), target));
  }

  /** "computed + reused" SCRAM PBKDF2 per AppDatabase in a phase ({@code SaltedPasswordMemo}). */
  private String pbkdf2(String phase) {
    return cell(phase + ".cost.cpu.pbkdf2DerivedPerUnit")
        + " + "
        + cell(phase + ".cost.cpu.pbkdf2ReusedPerUnit");
  }

  private String cell(String path) {
    return path == null ? "" : fmt(get(path));
  }

  private void sqlKinds() {
    for (String e : engines()) {
      byPhase(e, "statements by kind, per AppDatabase", "statementsByKindPerUnit");
      byPhase(e, "server CPU ms by process, per AppDatabase", "serverCpuMsPerUnitByProcess");
    }
  }

  /** One row per key of the map at {@code cost.sql.<engine>.<field>}, one column per phase. */
  private void byPhase(String e, String title, String field) {
    md.append("| ")
        .append(e)
        .append(": ")
        .append(title)
        .append(
            limitBefore()
                ? " | operator create | limit create (after) | steady (per resync) | operator delete"
                    + " | limit delete (after) |\n"
                : " | operator create | limit create | steady (per resync) | operator delete | limit"
                    + " delete |\n");
    md.append("|---|---:|---:|---:|---:|---:|\n");
    String[] paths = {
      "operator.create.cost.sql." + e + "." + field,
      "limit.create.cost.sql." + e + "." + field,
      "operator.steady.cost.sql." + e + "." + field,
      "operator.delete.cost.sql." + e + "." + field,
      "limit.delete.cost.sql." + e + "." + field
    };
    Set<String> kinds = new java.util.TreeSet<>();
    for (String p : paths) {
      if (get(p) instanceof Map<?, ?> m) {
        m.keySet().forEach(k -> kinds.add(k.toString()));
      }
    }
    for (String kind : kinds) {
      md.append("| ").append(kind).append(" |");
      for (String p : paths) {
        Object v = get(p) instanceof Map<?, ?> m ? m.get(kind) : null;
        md.append(' ').append(v == null ? "" : fmt(v)).append(" |");
      }
      md.append('\n');
    }
    md.append('\n');
  }

  private void apiKinds() {
    md.append("| API requests of the operator (totals) | create | steady | restart | delete |\n");
    md.append("|---|---:|---:|---:|---:|\n");
    Set<String> kinds = new java.util.TreeSet<>();
    List<String> phases = List.of("create", "steady", "restart", "delete");
    for (String phase : phases) {
      for (String rw : List.of("readsByKind", "writesByKind")) {
        if (get("operator." + phase + ".cost.api." + rw) instanceof Map<?, ?> m) {
          m.keySet().forEach(k -> kinds.add(rw.charAt(0) + ":" + k));
        }
      }
    }
    for (String kind : kinds) {
      String rw = kind.startsWith("r") ? "readsByKind" : "writesByKind";
      String k = kind.substring(2);
      md.append("| ").append(rw.startsWith("r") ? "read " : "write ").append(k).append(" |");
      for (String phase : phases) {
        Object v =
            get("operator." + phase + ".cost.api." + rw) instanceof Map<?, ?> m ? m.get(k) : null;
        md.append(' ').append(v == null ? "" : fmt(v)).append(" |");
      }
      md.append('\n');
    }
    md.append('\n');
  }

  private List<String> engines() {
    List<String> out = new ArrayList<>();
    if (get("operator.create.engines") instanceof Map<?, ?> m) {
      m.keySet().forEach(k -> out.add(k.toString()));
    }
    return out;
  }

  /** A value by dotted path; keys may contain spaces but not dots. */
  Object get(String path) {
    Object cur = r;
    for (String key : path.split("\\.")) {
      if (!(cur instanceof Map<?, ?> m)) {
        return null;
      }
      cur = m.get(key);
    }
    return cur;
  }

  static String fmt(Object v) {
    if (v == null) {
      return "";
    }
    if (v instanceof Double d) {
      if (d == Math.rint(d) && Math.abs(d) < 1e15) {
        return Long.toString(d.longValue());
      }
      return Math.abs(d) >= 100
          ? String.format(Locale.ROOT, "%.0f", d)
          : Math.abs(d) >= 10
              ? String.format(Locale.ROOT, "%.1f", d)
              : String.format(Locale.ROOT, "%.2f", d);
    }
    return v.toString();
  }
}
