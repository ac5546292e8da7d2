package io.appdb.bench;

import io.appdb.operator.engine.Credential;
import io.appdb.operator.engine.DatabaseEngine;
import io.appdb.operator.engine.DatabaseEngines;
import io.appdb.operator.engine.postgresql.SaltedPasswordMemo;
import io.appdb.operator.secret.PasswordGenerator;
import io.appdb.operator.testing.PostgresServer;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.postgresql.util.PasswordUtil;

/**
 * What a new PostgreSQL role's login check costs the operator's thread when it reuses the PBKDF2 of
 * the role's SCRAM verifier ({@link SaltedPasswordMemo}) and when it derives the key again, as it
 * did before. Both kinds of role are created the same way and log in through the operator's own
 * {@code DatabaseEngine.verifyLogin}, a real SCRAM exchange with an embedded PostgreSQL 17; they
 * differ only in where the verifier came from: {@code DatabaseEngine.credential}, whose key the
 * memo keeps, or pgjdbc's {@code PasswordUtil} called directly, whose key it does not. Only the
 * thread CPU of the logins is counted. The two kinds alternate, in alternating order, round by
 * round, so that the JIT and the machine's drift treat them alike.
 *
 * <pre>java -cp bench/target/appdb-bench.jar io.appdb.bench.ScramReuseBench [rounds]</pre>
 */
public final class ScramReuseBench {
  private static final int ROLES_PER_ROUND = 200;
  private static final int WARM_UP_ROUNDS = 2;
  private static final String DATABASE = "postgres";

  private ScramReuseBench() {}

  public static void main(String[] args) {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 8;
    PgBinaries.prepare(BenchOptions.defaultDir("target").resolve("bench-work"));
    PostgresServer pg = PostgresServer.shared(17);
    DatabaseEngine engine =
        DatabaseEngines.open(pg.adminConnection("scram-bench", 2, Duration.ofSeconds(30)));
    engine.probe();
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    Map<Boolean, List<Double>> micros = new LinkedHashMap<>();
    micros.put(true, new ArrayList<>());
    micros.put(false, new ArrayList<>());
    int serial = 0;
    for (int round = 0; round < WARM_UP_ROUNDS + rounds; round++) {
      for (int i = 0; i < 2; i++) {
        boolean reuse = (round + i) % 2 == 0;
        List<String[]> roles = new ArrayList<>();
        for (int r = 0; r < ROLES_PER_ROUND; r++) {
          String user = "scram_bench_" + serial++;
          String password = PasswordGenerator.generate();
          Credential credential =
              reuse
                  ? engine.credential(password)
                  : new Credential(
                      password, PasswordUtil.encodeScramSha256(password.toCharArray()));
          engine.createUser(user, credential, null);
          roles.add(new String[] {user, password});
        }
        long reusedBefore = SaltedPasswordMemo.reusedCount();
        long cpu = threads.getCurrentThreadCpuTime();
        for (String[] role : roles) {
          engine.verifyLogin(DATABASE, role[0], role[1]);
        }
        double perLogin = (threads.getCurrentThreadCpuTime() - cpu) / 1000.0 / roles.size();
        long reused = SaltedPasswordMemo.reusedCount() - reusedBefore;
        for (String[] role : roles) {
          engine.dropUser(role[0]);
        }
        if (round >= WARM_UP_ROUNDS) {
          micros.get(reuse).add(perLogin);
        }
        System.out.printf(
            "round %d%s: %s, %.0f µs of CPU per login (%d of %d reused the verifier's key)%n",
            round,
            round < WARM_UP_ROUNDS ? " (warm-up)" : "",
            reuse ? "verifier's PBKDF2 reused" : "derived again",
            perLogin,
            reused,
            roles.size());
      }
    }
    double reused = median(micros.get(true));
    double derived = median(micros.get(false));
    System.out.printf(
        "median CPU per login check: %.0f µs with the verifier's PBKDF2 reused, %.0f µs derived"
            + " again (%.0f µs saved per new PostgreSQL role)%n",
        reused, derived, derived - reused);
    engine.close();
    System.exit(0);
  }

  private static double median(List<Double> values) {
    List<Double> sorted = new ArrayList<>(values);
    sorted.sort(null);
    int n = sorted.size();
    return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
  }
}
