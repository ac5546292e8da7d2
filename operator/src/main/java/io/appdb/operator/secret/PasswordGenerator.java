package io.appdb.operator.secret;

import java.security.SecureRandom;

/**
 * Passwords for application users: 32 characters from {@code [A-Za-z0-9]} (about 190 bits), drawn
 * from {@link SecureRandom}. The alphabet needs no quoting in SQL, URLs, shells or YAML, so a
 * password can never be the reason a connection string breaks.
 */
public final class PasswordGenerator {

  public static final int LENGTH = 32;

  static final String ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

  private static final SecureRandom RANDOM = new SecureRandom();

  private PasswordGenerator() {}

  public static String generate() {
    char[] password = new char[LENGTH];
    for (int i = 0; i < LENGTH; i++) {
      // nextInt(bound) rejects out-of-range draws, so every character is equally likely.
      password[i] = ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length()));
    }
    return new String(password);
  }
}
