package io.appdb.operator.engine.postgresql;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.Provider;
import java.security.Security;
import java.security.spec.InvalidKeySpecException;
import java.security.spec.KeySpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import javax.crypto.SecretKey;
import javax.crypto.SecretKeyFactory;
import javax.crypto.SecretKeyFactorySpi;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Lets the login check of a new PostgreSQL role reuse the PBKDF2 its SCRAM verifier was derived
 * with, so that a create derives SCRAM's {@code SaltedPassword} once instead of twice.
 *
 * <p>Why: SCRAM-SHA-256 derives {@code SaltedPassword = PBKDF2-HMAC-SHA-256(password, salt, 4096)}
 * on the client, once for the verifier the role is created with (pgjdbc's {@code PasswordUtil}) and
 * again in the login check (pgjdbc's SCRAM client), where the server sends back the very salt of
 * that verifier. Each derivation costs about 1 ms of CPU on the benchmark's machine, the largest
 * single item of a PostgreSQL create on the operator's side. pgjdbc takes only the password for a
 * login, not a derived key, and both derivations ask the JDK for {@code
 * SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256")}. So this is a JCA provider, the JDK's own
 * extension point for crypto, placed first for that one algorithm: it computes nothing itself and
 * hands every derivation to the next provider that offers it (the JDK's SunJCE), and it remembers a
 * result only inside {@link #remembering} (the verifier's derivation), for one reuse.
 *
 * <p>Why the proof stands: an entry is found only by the same password, salt, iteration count and
 * key length, so a reused value is exactly the one PBKDF2 would compute again (a pure function).
 * The server still checks the client's proof against the verifier it stores; a wrong password, or a
 * verifier changed by hand (a new salt), misses and fails as before ({@code
 * SaltedPasswordMemoTest}; {@code
 * DatabaseEngineContract.aPostgresLoginReusesTheVerifiersKeyOnlyForTheSamePasswordAndSalt} on
 * PostgreSQL 15 and 17).
 *
 * <p>What is kept: the derived key, which is as secret as the password (the operator holds the
 * password itself in the connection Secret it wrote), and a SHA-256 digest of the password to find
 * it by, never the password. An entry goes at its first reuse, after {@link #LIFETIME_NANOS} (2
 * minutes), or when {@link #CAPACITY} newer ones have come; a create that fails before its login
 * check leaves one behind for at most that long.
 */
public final class SaltedPasswordMemo {

  static final String ALGORITHM = "PBKDF2WithHmacSHA256";
  static final String PROVIDER_NAME = "AppDbSaltedPasswordMemo";

  /** Far longer than a verifier waits for its login check, even behind a busy server. */
  static final long LIFETIME_NANOS = 120_000_000_000L;

  /** More than the creates that can be between their verifier and their login check at once. */
  static final int CAPACITY = 1024;

  private static final SaltedPasswordMemo SHARED = new SaltedPasswordMemo(System::nanoTime);

  private static final ThreadLocal<Boolean> REMEMBERING = new ThreadLocal<>();

  private final Map<String, Entry> entries = new LinkedHashMap<>();
  private final LongSupplier clock;
  private final AtomicLong reused = new AtomicLong();
  private final AtomicLong derived = new AtomicLong();

  private record Entry(byte[] key, long bornNanos) {}

  SaltedPasswordMemo(LongSupplier clock) {
    this.clock = clock;
  }

  static SaltedPasswordMemo shared() {
    return SHARED;
  }

  /**
   * Puts the provider first for {@code PBKDF2WithHmacSHA256}, once per JVM. Every other algorithm
   * and every caller outside {@link #remembering} is served as before, by the next provider.
   */
  public static synchronized void install() {
    if (Security.getProvider(PROVIDER_NAME) == null) {
      Security.insertProviderAt(new MemoProvider(SHARED), 1);
    }
  }

  /**
   * Runs {@code derivation} (a SCRAM verifier's) so that the PBKDF2 results it computes are kept
   * for one reuse.
   */
  static <T> T remembering(Callable<T> derivation) {
    Boolean outer = REMEMBERING.get();
    REMEMBERING.set(Boolean.TRUE);
    try {
      return derivation.call();
    } catch (RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new IllegalStateException(e);
    } finally {
      if (outer == null) {
        REMEMBERING.remove();
      }
    }
  }

  /** Derivations answered from the memo, since the JVM started. */
  public static long reusedCount() {
    return SHARED.reused.get();
  }

  /** Derivations handed to the next provider, since the JVM started. */
  public static long derivedCount() {
    return SHARED.derived.get();
  }

  long reused() {
    return reused.get();
  }

  synchronized int size() {
    return entries.size();
  }

  /** The derived key for {@code spec}: reused if remembered, else from {@code next}. */
  SecretKey generate(PBEKeySpec spec, SecretKeyFactory next) throws InvalidKeySpecException {
    String id = id(spec);
    byte[] known = take(id);
    if (known != null) {
      reused.incrementAndGet();
      try {
        return new SecretKeySpec(known, ALGORITHM); // a copy
      } finally {
        Arrays.fill(known, (byte) 0);
      }
    }
    SecretKey key = next.generateSecret(spec);
    derived.incrementAndGet();
    if (Boolean.TRUE.equals(REMEMBERING.get())) {
      byte[] encoded = key.getEncoded();
      if (encoded != null) {
        put(id, encoded);
      }
    }
    return key;
  }

  private synchronized byte[] take(String id) {
    expire();
    Entry entry = entries.remove(id);
    return entry == null ? null : entry.key();
  }

  private synchronized void put(String id, byte[] key) {
    expire();
    entries.put(id, new Entry(key, clock.getAsLong()));
    Iterator<Entry> oldest = entries.values().iterator();
    while (entries.size() > CAPACITY) {
      Arrays.fill(oldest.next().key(), (byte) 0);
      oldest.remove();
    }
  }

  /** Entries are in insertion order, so the expired ones are at the head. */
  private void expire() {
    long now = clock.getAsLong();
    Iterator<Entry> it = entries.values().iterator();
    while (it.hasNext()) {
      Entry entry = it.next();
      if (now - entry.bornNanos() < LIFETIME_NANOS) {
        return;
      }
      Arrays.fill(entry.key(), (byte) 0);
      it.remove();
    }
  }

  /** Salt, iterations, key length and the password's SHA-256: every input of the derivation. */
  private static String id(PBEKeySpec spec) {
    char[] password = spec.getPassword();
    ByteBuffer bytes = StandardCharsets.UTF_8.encode(CharBuffer.wrap(password));
    try {
      MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
      sha256.update(bytes.duplicate());
      Base64.Encoder b64 = Base64.getEncoder();
      return b64.encodeToString(spec.getSalt())
          + ':'
          + spec.getIterationCount()
          + ':'
          + spec.getKeyLength()
          + ':'
          + b64.encodeToString(sha256.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    } finally {
      Arrays.fill(password, '\0');
      if (bytes.hasArray()) {
        Arrays.fill(bytes.array(), (byte) 0);
      }
    }
  }

  /** The JCA face: one service, {@code SecretKeyFactory.PBKDF2WithHmacSHA256}. */
  static final class MemoProvider extends Provider {
    private static final long serialVersionUID = 1L;

    MemoProvider(SaltedPasswordMemo memo) {
      super(
          PROVIDER_NAME,
          "1",
          "appdb-operator: one reuse of a SCRAM verifier's PBKDF2 by the login check that follows");
      putService(
          new Service(this, "SecretKeyFactory", ALGORITHM, MemoSpi.class.getName(), null, null) {
            @Override
            public Object newInstance(Object constructorParameter) throws NoSuchAlgorithmException {
              return new MemoSpi(memo, next(getProvider()));
            }
          });
    }

    /**
     * The first other provider of the algorithm, as if this one were not installed. Looked up on
     * every derivation, so that a provider list changed later is followed. Not through {@code
     * Security.getProviders(filter)}: that one hashes every provider's whole property table on each
     * call, about 75 µs of CPU per derivation here (two per new role). The list in order and one
     * service lookup per provider find the same provider.
     */
    private static SecretKeyFactory next(Provider self) throws NoSuchAlgorithmException {
      for (Provider provider : Security.getProviders()) {
        if (provider != self && provider.getService("SecretKeyFactory", ALGORITHM) != null) {
          return SecretKeyFactory.getInstance(ALGORITHM, provider);
        }
      }
      throw new NoSuchAlgorithmException("no other provider of " + ALGORITHM);
    }
  }

  static final class MemoSpi extends SecretKeyFactorySpi {
    private final SaltedPasswordMemo memo;
    private final SecretKeyFactory next;

    MemoSpi(SaltedPasswordMemo memo, SecretKeyFactory next) {
      this.memo = memo;
      this.next = next;
    }

    @Override
    protected SecretKey engineGenerateSecret(KeySpec spec) throws InvalidKeySpecException {
      if (spec instanceof PBEKeySpec pbe && pbe.getSalt() != null && pbe.getKeyLength() > 0) {
        return memo.generate(pbe, next);
      }
      return next.generateSecret(spec);
    }

    @Override
    protected KeySpec engineGetKeySpec(SecretKey key, Class<?> keySpec)
        throws InvalidKeySpecException {
      return next.getKeySpec(key, keySpec);
    }

    @Override
    protected SecretKey engineTranslateKey(SecretKey key) throws InvalidKeyException {
      return next.translateKey(key);
    }
  }
}
