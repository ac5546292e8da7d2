package io.appdb.operator.secret;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PasswordGeneratorTest {

  @Test
  void passwordsAre32AlphanumericCharacters() {
    for (int i = 0; i < 1000; i++) {
      assertThat(PasswordGenerator.generate()).hasSize(32).matches("[A-Za-z0-9]{32}");
    }
  }

  @Test
  void passwordsDoNotRepeat() {
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < 10_000; i++) {
      assertThat(seen.add(PasswordGenerator.generate())).isTrue();
    }
  }

  @Test
  void alphabetIsExactlyTheSixtyTwoAlphanumerics() {
    assertThat(PasswordGenerator.ALPHABET).hasSize(62).matches("[A-Za-z0-9]+");
    assertThat(PasswordGenerator.ALPHABET.chars().distinct().count()).isEqualTo(62);
  }

  @Test
  void everyCharacterIsAboutEquallyLikely() {
    int[] counts = new int[128];
    int passwords = 20_000;
    for (int i = 0; i < passwords; i++) {
      PasswordGenerator.generate().chars().forEach(c -> counts[c]++);
    }
    double expected = passwords * 32.0 / 62;
    double chiSquare = 0;
    for (char c : PasswordGenerator.ALPHABET.toCharArray()) {
      assertThat(counts[c]).as("count of %s", c).isPositive();
      chiSquare += Math.pow(counts[c] - expected, 2) / expected;
    }
    // 61 degrees of freedom: the 99.999th percentile is about 122. A modulo bias towards the
    // first characters (e.g. byte % 62) gives a chi-square in the thousands at this sample size.
    assertThat(chiSquare).isLessThan(122);
  }
}
