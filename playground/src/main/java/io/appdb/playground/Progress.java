package io.appdb.playground;

import java.io.PrintStream;
import java.util.Locale;

/** What the person at the terminal sees: one line per step, with the time since the start. */
final class Progress {

  private final PrintStream out;
  private final long start = System.nanoTime();

  Progress(PrintStream out) {
    this.out = out;
  }

  /** Nanosecond mark for {@link #done}. */
  long mark() {
    return System.nanoTime();
  }

  /** A finished step and how long it took since {@code mark}. */
  synchronized void done(String what, long mark) {
    line(what + " (" + seconds(System.nanoTime() - mark) + ")");
  }

  synchronized void line(String text) {
    out.println(
        "[" + String.format(Locale.ROOT, "%5s", seconds(System.nanoTime() - start)) + "] " + text);
    out.flush();
  }

  /** Text printed as it is, without a timestamp (tables, instructions). */
  synchronized void plain(String text) {
    out.println(text);
    out.flush();
  }

  double elapsedSeconds() {
    return (System.nanoTime() - start) / 1e9;
  }

  static String seconds(long nanos) {
    return String.format(Locale.ROOT, "%.1fs", nanos / 1e9);
  }
}
