package io.appdb.playground;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/** Hides a password wherever it appears in a Secret value (plain or percent-encoded in a URL). */
final class SecretMasking {

  static final String MASK = "****";

  private SecretMasking() {}

  static String mask(String key, String value, String password) {
    if (key.toLowerCase(Locale.ROOT).contains("password")) {
      return MASK;
    }
    if (password == null || password.isEmpty()) {
      return value;
    }
    return value
        .replace(password, MASK)
        .replace(URLEncoder.encode(password, StandardCharsets.UTF_8).replace("+", "%20"), MASK);
  }
}
