package io.appdb.playground;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The README's first command, with --once, in this JVM: the CI proof that the playground works. */
class PlaygroundOnceIT {

  private static final Pattern URL_PASSWORD = Pattern.compile("://[^:/@\\s]+:([^@\\s]+)@");
  private static final Pattern PASSWORD_KEY =
      Pattern.compile("(?m)^\\s+(?:DB_PASSWORD|password|SPRING_DATASOURCE_PASSWORD)\\s+(\\S+)$");

  @Test
  void everyExampleBecomesReadyAndItsCredentialsLogIn() throws IOException {
    Path workDir = PlaygroundDirectories.newWorkDirectory();
    Playground.configureLogging(workDir);
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);

    int code =
        Playground.run(
            PlaygroundOptions.parse("--once", "--port", String.valueOf(freePort())),
            workDir,
            out,
            false);

    String output = bytes.toString(StandardCharsets.UTF_8);
    System.out.println(output);
    assertThat(code).as("exit code").isEqualTo(Playground.OK);
    assertThat(output)
        .contains("AppDatabase billing/billing Ready")
        .contains("AppDatabase teacher-portal/teacher-portal Ready")
        .contains("AppDatabase teacher-portal/gradebook Ready")
        .contains("everything works: 3 AppDatabases Ready, 5 logins")
        .contains("server version seen by the app user: PostgreSQL 17.")
        .contains("server version seen by the app user: 11.4.")
        .contains("as teacher_portal_user in database teacher_portal")
        .contains("as billing_billing_user@% in database billing_billing")
        .contains("as gradebook_reporting in database gradebook");
    assertThat(workDir).as("the run's directory is removed on shutdown").doesNotExist();

    Matcher url = URL_PASSWORD.matcher(output);
    int urls = 0;
    while (url.find()) {
      assertThat(url.group(1)).as("password inside a URL").isEqualTo(SecretMasking.MASK);
      urls++;
    }
    // DATABASE_URL twice, SQLALCHEMY_URL and the service-binding uri.
    assertThat(urls).isGreaterThanOrEqualTo(4);
    Matcher passwordKey = PASSWORD_KEY.matcher(output);
    int keys = 0;
    while (passwordKey.find()) {
      assertThat(passwordKey.group(1)).as("value of a password key").isEqualTo(SecretMasking.MASK);
      keys++;
    }
    assertThat(keys).isGreaterThanOrEqualTo(4);
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
