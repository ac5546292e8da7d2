package io.appdb.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The bench's flags: the mock API server's store ({@code --mock}), the limit's windows. */
class BenchOptionsTest {

  @Test
  void theMockIsIndexedUnlessStockIsAskedFor() {
    assertThat(BenchOptions.parse().mock()).isEqualTo(BenchOptions.Mock.INDEXED);
    assertThat(BenchOptions.parse("--mock", "stock", "-N", "10").mock())
        .isEqualTo(BenchOptions.Mock.STOCK);
    assertThat(BenchOptions.parse("--mock", "stock", "-N", "10").count()).isEqualTo(10);
    assertThat(BenchOptions.parse("-N", "10", "--mock", "stock").withCount(20).mock())
        .isEqualTo(BenchOptions.Mock.STOCK);
  }

  @Test
  void anUnknownMockIsRefused() {
    assertThatThrownBy(() -> BenchOptions.parse("--mock", "fast"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("indexed or stock");
  }

  @Test
  void oneToThreeLimitWindowsAreAccepted() {
    assertThat(BenchOptions.parse().limitWindows()).isEqualTo(3);
    assertThat(BenchOptions.parse("--limit-windows", "2").limitWindows()).isEqualTo(2);
    assertThat(BenchOptions.parse("--limit-windows", "1").limitWindows()).isEqualTo(1);
    assertThat(BenchOptions.parse("--limit-windows", "3").limitWindows()).isEqualTo(3);
    for (String n : new String[] {"0", "4"}) {
      assertThatThrownBy(() -> BenchOptions.parse("--limit-windows", n))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("1, 2 or 3");
    }
  }
}
