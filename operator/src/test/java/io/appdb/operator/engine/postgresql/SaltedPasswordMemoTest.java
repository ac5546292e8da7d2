package io.appdb.operator.engine.postgresql;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.Provider;
import java.security.Security;
import java.util.Arrays;
import java.util.Base64;
import java.util.concurrent.atomic.AtomicLong;
import javax.crypto.Mac;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.postgresql.util.PasswordUtil;

class SaltedPasswordMemoTest {

  private static final String ALGORITHM = SaltedPasswordMemo.ALGORITHM;

  private final AtomicLong now = new AtomicLong();
  private SaltedPasswordMemo memo;
  private SecretKeyFactory jdk;

  @BeforeAll
  static void install() {
    SaltedPasswordMemo.install();
  }

  @BeforeEach
  void freshMemo() throws Exception {
    memo = new SaltedPasswordMemo(now::get);
    jdk = SecretKeyFactory.getInstance(ALGORITHM, "SunJCE");
  }

  @Test
  void isTheFirstProviderOfPbkdf2AndOfNothingElse() throws Exception {
    assertThat(SecretKeyFactory.getInstance(ALGORITHM).getProvider().getName())
        .isEqualTo(SaltedPasswordMemo.PROVIDER_NAME);
    assertThat(SecretKeyFactory.getInstance("PBKDF2WithHmacSHA1").getProvider().getName())
        .isNotEqualTo(SaltedPasswordMemo.PROVIDER_NAME);
    assertThat(Mac.getInstance("HmacSHA256").getProvider().getName())
        .isNotEqualTo(SaltedPasswordMemo.PROVIDER_NAME);
    SaltedPasswordMemo.install();
    assertThat(
            Arrays.stream(Security.getProviders())
                .filter(p -> p.getName().equals(SaltedPasswordMemo.PROVIDER_NAME)))
        .hasSize(1);
  }

  @Test
  void answersWhatTheJdkAnswers() throws Exception {
    SecretKeyFactory installed = SecretKeyFactory.getInstance(ALGORITHM);
    PBEKeySpec spec = spec("a password", salt(1), 4096);

    assertThat(installed.generateSecret(spec).getEncoded())
        .isEqualTo(jdk.generateSecret(spec).getEncoded());
  }

  /**
   * The memo hands each derivation to the provider that would serve it without the memo: one placed
   * right after it, here, rather than the JDK's, which comes later.
   */
  @Test
  void derivesThroughTheNextProviderOfTheAlgorithm() throws Exception {
    AtomicLong served = new AtomicLong();
    Thread test = Thread.currentThread();
    Provider counting =
        new Provider(
            "AppDbTestCountingPbkdf2", "1", "counts the PBKDF2 implementations it hands out") {
          {
            putService(
                new Service(this, "SecretKeyFactory", ALGORITHM, "unused", null, null) {
                  @Override
                  public Object newInstance(Object parameter) throws NoSuchAlgorithmException {
                    // The JDK's own implementation, counted as it is handed out to this test
                    // (the provider list is the JVM's, shared with any other thread).
                    if (Thread.currentThread() == test) {
                      served.incrementAndGet();
                    }
                    return jdk.getProvider()
                        .getService("SecretKeyFactory", ALGORITHM)
                        .newInstance(parameter);
                  }
                });
          }
        };
    Security.insertProviderAt(counting, 2);
    try {
      PBEKeySpec spec = spec("a password", salt(7), 4096);
      byte[] key = SecretKeyFactory.getInstance(ALGORITHM).generateSecret(spec).getEncoded();

      assertThat(served).hasValue(1);
      assertThat(key).isEqualTo(jdk.generateSecret(spec).getEncoded());
    } finally {
      Security.removeProvider(counting.getName());
    }
    SecretKeyFactory.getInstance(ALGORITHM).generateSecret(spec("a password", salt(7), 4096));
    assertThat(served).hasValue(1);
  }

  @Test
  void aRememberedDerivationIsReusedOnceForTheSameInputs() throws Exception {
    byte[] first = SaltedPasswordMemo.remembering(() -> derive("pw", salt(2), 4096));
    assertThat(memo.size()).isEqualTo(1);

    assertThat(derive("pw", salt(2), 4096)).isEqualTo(first);
    assertThat(memo.reused()).isEqualTo(1);
    assertThat(memo.size()).isZero();

    assertThat(derive("pw", salt(2), 4096)).isEqualTo(first);
    assertThat(memo.reused()).isEqualTo(1);
  }

  @Test
  void nothingIsRememberedOutsideAVerifiersDerivation() throws Exception {
    derive("pw", salt(3), 4096);
    derive("pw", salt(3), 4096);

    assertThat(memo.size()).isZero();
    assertThat(memo.reused()).isZero();
  }

  /** The attack: the remembered salt with another password must not get the remembered key. */
  @Test
  void anotherPasswordWithTheRememberedSaltGetsItsOwnKey() throws Exception {
    byte[] right = SaltedPasswordMemo.remembering(() -> derive("right", salt(4), 4096));

    byte[] wrong = derive("wrong", salt(4), 4096);

    assertThat(wrong).isNotEqualTo(right).isEqualTo(jdkDerive("wrong", salt(4), 4096));
    assertThat(memo.reused()).isZero();
    assertThat(memo.size()).isEqualTo(1);
    // A prefix or the same password with different salt, rounds or length misses too.
    assertThat(derive("righ", salt(4), 4096)).isEqualTo(jdkDerive("righ", salt(4), 4096));
    assertThat(derive("right", salt(5), 4096)).isEqualTo(jdkDerive("right", salt(5), 4096));
    assertThat(derive("right", salt(4), 4097)).isEqualTo(jdkDerive("right", salt(4), 4097));
    assertThat(memo.reused()).isZero();
  }

  @Test
  void anEntryExpires() throws Exception {
    SaltedPasswordMemo.remembering(() -> derive("pw", salt(6), 4096));

    now.addAndGet(SaltedPasswordMemo.LIFETIME_NANOS);
    derive("pw", salt(6), 4096);

    assertThat(memo.reused()).isZero();
    assertThat(memo.size()).isZero();
  }

  @Test
  void holdsAtMostItsCapacityAndDropsTheOldest() throws Exception {
    for (int i = 0; i <= SaltedPasswordMemo.CAPACITY; i++) {
      byte[] salt = salt(i);
      SaltedPasswordMemo.remembering(() -> derive("pw", salt, 1));
    }
    assertThat(memo.size()).isEqualTo(SaltedPasswordMemo.CAPACITY);

    derive("pw", salt(0), 1);
    assertThat(memo.reused()).isZero();
    derive("pw", salt(SaltedPasswordMemo.CAPACITY), 1);
    assertThat(memo.reused()).isEqualTo(1);
  }

  /**
   * End to end through pgjdbc's own code: the verifier is made by {@code PasswordUtil}, and the
   * login's derivation, as its SCRAM client makes it from the salt the server sends, is answered by
   * the memo with the key whose StoredKey is the verifier's.
   */
  @Test
  void pgjdbcsLoginDerivationReusesTheVerifiersKey() throws Exception {
    SaltedPasswordMemo shared = SaltedPasswordMemo.shared();
    char[] password = "Sn0wflake-password-0123456789abcd".toCharArray();
    String verifier =
        SaltedPasswordMemo.remembering(() -> PasswordUtil.encodeScramSha256(password.clone()));
    // SCRAM-SHA-256$<iterations>:<salt>$<StoredKey>:<ServerKey>
    String[] parts = verifier.split("[$:]");
    int iterations = Integer.parseInt(parts[1]);
    byte[] salt = Base64.getDecoder().decode(parts[2]);
    long before = shared.reused();

    byte[] saltedPassword =
        SecretKeyFactory.getInstance(ALGORITHM)
            .generateSecret(new PBEKeySpec(password, salt, iterations, 256))
            .getEncoded();

    assertThat(shared.reused()).isEqualTo(before + 1);
    Mac hmac = Mac.getInstance("HmacSHA256");
    hmac.init(new SecretKeySpec(saltedPassword, "HmacSHA256"));
    byte[] clientKey = hmac.doFinal("Client Key".getBytes(StandardCharsets.US_ASCII));
    byte[] storedKey = MessageDigest.getInstance("SHA-256").digest(clientKey);
    assertThat(Base64.getEncoder().encodeToString(storedKey)).isEqualTo(parts[3]);
  }

  private byte[] derive(String password, byte[] salt, int iterations) throws Exception {
    return memo.generate(spec(password, salt, iterations), jdk).getEncoded();
  }

  private byte[] jdkDerive(String password, byte[] salt, int iterations) throws Exception {
    return jdk.generateSecret(spec(password, salt, iterations)).getEncoded();
  }

  private static PBEKeySpec spec(String password, byte[] salt, int iterations) {
    return new PBEKeySpec(password.toCharArray(), salt, iterations, 256);
  }

  private static byte[] salt(int i) {
    byte[] salt = new byte[16];
    salt[0] = (byte) i;
    salt[1] = (byte) (i >> 8);
    return salt;
  }
}
