package io.appdb.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Command-line flags of the benchmark.
 *
 * @param count AppDatabases created at once ({@code -N})
 * @param postgresShare share of them on PostgreSQL, the rest on MariaDB ({@code --split})
 * @param resync the operator's resync interval for the run ({@code --resync}, seconds or ISO-8601)
 * @param steadyResyncs resync intervals observed in steady state; 0 skips that phase
 * @param out directory of the result files ({@code --out})
 * @param work scratch directory for the embedded servers and the operator's log ({@code --work})
 * @param limitThreads workers per engine issuing the raw-SQL limit sequence (8: the limit's fastest
 *     measured here, 140-163 MariaDB creates per second against 133-150 with 16)
 * @param warmUp AppDatabases created and deleted, unmeasured, before each measured path
 * @param limitWindows 3 (default): the limit is measured twice before the operator and once after
 *     it, and the ratios are taken against the mean of the two windows beside the operator's (an
 *     A-B-A order, which cancels a drift of the machine's speed over the run); the first window,
 *     reported but left out, plays the part the operator's unmeasured "rewarm" round plays for the
 *     operator (see {@code Bench.LIMIT_EARLY}); 2: the same without that first window; 1: the limit
 *     after the operator only
 * @param mock the mock API server's store: indexed by name, or fabric8's, which scans
 */
public record BenchOptions(
    int count,
    double postgresShare,
    Duration resync,
    int steadyResyncs,
    Path out,
    Path work,
    int limitThreads,
    int warmUp,
    int limitWindows,
    Mock mock) {

  /** Which store the mock API server uses ({@code --mock}). */
  public enum Mock {
    /** fabric8's CRUD dispatcher with lookups by name ({@link IndexedCrudDispatcher}). */
    INDEXED,
    /** fabric8's CRUD dispatcher unchanged: every request scans every stored object. */
    STOCK
  }

  static final String USAGE =
      """
      usage: java -jar bench/target/appdb-bench.jar [flags]
        -N <count>              AppDatabases created at once (default 1000)
        --split <share>         share on PostgreSQL, 0..1; the rest go to MariaDB (default 0.5)
        --resync <duration>     operator resync interval, seconds or ISO-8601 (default 30)
        --steady-resyncs <k>    resync intervals observed in steady state, 0 skips it (default 2)
        --limit-threads <t>     workers per engine for the raw-SQL limit (default 8)
        --warm-up <w>           AppDatabases created and deleted, unmeasured, in each of two
                                warm-up rounds before the operator's and the limit's runs
                                (default: N, at most 1000)
        --limit-windows <1|2|3> 3: the limit twice before the operator and once after; the
                                ratios use the mean of the two beside the operator's, the
                                first is reported but left out (default); 2: once before and
                                once after; 1: after only
        --mock <indexed|stock>  the mock API server finds an addressed object by name
                                (indexed, default) or, as fabric8's does, by scanning every
                                stored object on each request (stock)
        --out <dir>             where results are written (default bench/results)
        --work <dir>            scratch directory (default bench/target/bench-work)
      """;

  public static BenchOptions defaults() {
    return new BenchOptions(
        1000,
        0.5,
        Duration.ofSeconds(30),
        2,
        defaultDir("results"),
        defaultDir("target").resolve("bench-work"),
        8,
        -1,
        3,
        Mock.INDEXED);
  }

  /** bench/&lt;dir&gt; from the repository root or from inside bench/. */
  static Path defaultDir(String dir) {
    Path here = Path.of("").toAbsolutePath();
    return here.getFileName() != null && here.getFileName().toString().equals("bench")
        ? here.resolve(dir)
        : here.resolve("bench").resolve(dir);
  }

  public static BenchOptions parse(String... args) {
    BenchOptions o = defaults();
    List<String> rest = new ArrayList<>(List.of(args));
    while (!rest.isEmpty()) {
      String flag = rest.remove(0);
      if (flag.equals("-h") || flag.equals("--help")) {
        throw new IllegalArgumentException("help");
      }
      if (rest.isEmpty()) {
        throw new IllegalArgumentException(flag + " needs a value");
      }
      String value = rest.remove(0);
      o =
          switch (flag) {
            case "-N", "--count" -> o.withCount(positive(flag, Integer.parseInt(value)));
            case "--split" -> o.withSplit(Double.parseDouble(value));
            case "--resync" -> o.withResync(duration(value));
            case "--steady-resyncs" -> o.edit(e -> e.steadyResyncs = Integer.parseInt(value));
            case "--limit-threads" ->
                o.edit(e -> e.limitThreads = positive(flag, Integer.parseInt(value)));
            case "--warm-up" -> o.withWarmUp(Integer.parseInt(value));
            case "--limit-windows" -> o.withLimitWindows(Integer.parseInt(value));
            case "--mock" -> o.withMock(mock(value));
            case "--out" -> o.withOut(Path.of(value).toAbsolutePath());
            case "--work" -> o.withWork(Path.of(value).toAbsolutePath());
            default -> throw new IllegalArgumentException("unknown flag " + flag);
          };
    }
    return o;
  }

  public BenchOptions withCount(int n) {
    return edit(e -> e.count = n);
  }

  public BenchOptions withSplit(double share) {
    if (share < 0 || share > 1) {
      throw new IllegalArgumentException("--split must be between 0 and 1");
    }
    return edit(e -> e.postgresShare = share);
  }

  public BenchOptions withResync(Duration interval) {
    return edit(e -> e.resync = interval);
  }

  public BenchOptions withOut(Path dir) {
    return edit(e -> e.out = dir);
  }

  public BenchOptions withWork(Path dir) {
    return edit(e -> e.work = dir);
  }

  public BenchOptions withWarmUp(int n) {
    if (n < 0) {
      throw new IllegalArgumentException("--warm-up must not be negative");
    }
    return edit(e -> e.warmUp = n);
  }

  public BenchOptions withLimitWindows(int n) {
    if (n < 1 || n > 3) {
      throw new IllegalArgumentException("--limit-windows must be 1, 2 or 3");
    }
    return edit(e -> e.limitWindows = n);
  }

  public BenchOptions withMock(Mock m) {
    return edit(e -> e.mock = m);
  }

  /** A copy with what {@code change} sets changed: records have no withers of their own. */
  private BenchOptions edit(java.util.function.Consumer<Editable> change) {
    Editable e = new Editable(this);
    change.accept(e);
    return e.build();
  }

  /** The components as fields, for {@link #edit}. */
  private static final class Editable {
    int count;
    double postgresShare;
    Duration resync;
    int steadyResyncs;
    Path out;
    Path work;
    int limitThreads;
    int warmUp;
    int limitWindows;
    Mock mock;

    Editable(BenchOptions o) {
      count = o.count;
      postgresShare = o.postgresShare;
      resync = o.resync;
      steadyResyncs = o.steadyResyncs;
      out = o.out;
      work = o.work;
      limitThreads = o.limitThreads;
      warmUp = o.warmUp;
      limitWindows = o.limitWindows;
      mock = o.mock;
    }

    BenchOptions build() {
      return new BenchOptions(
          count,
          postgresShare,
          resync,
          steadyResyncs,
          out,
          work,
          limitThreads,
          warmUp,
          limitWindows,
          mock);
    }
  }

  private static Mock mock(String value) {
    return switch (value) {
      case "indexed" -> Mock.INDEXED;
      case "stock" -> Mock.STOCK;
      default -> throw new IllegalArgumentException("--mock must be indexed or stock");
    };
  }

  /**
   * AppDatabases of each warm-up. By default as many as are measured, up to 1000: C2 keeps
   * compiling the operator's, the client's and the mock server's paths through a first burst of
   * that size, and a running operator has that behind it long since.
   */
  public int effectiveWarmUp() {
    return warmUp >= 0 ? warmUp : Math.min(count, 1000);
  }

  /** How many of the N go to PostgreSQL. */
  public int postgresCount() {
    return (int) Math.round(count * postgresShare);
  }

  private static Duration duration(String value) {
    return value.startsWith("P") || value.startsWith("p")
        ? Duration.parse(value)
        : Duration.ofMillis(Math.round(Double.parseDouble(value) * 1000));
  }

  private static int positive(String flag, int value) {
    if (value <= 0) {
      throw new IllegalArgumentException(flag + " must be positive");
    }
    return value;
  }
}
