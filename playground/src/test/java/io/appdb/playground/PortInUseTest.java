package io.appdb.playground;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class PortInUseTest {

  @Test
  void aTakenPortStopsTheRunWithAClearMessageAndExitCode2() throws IOException {
    Path workDir = PlaygroundDirectories.newWorkDirectory();
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      int port = taken.getLocalPort();

      int code =
          Playground.run(
              PlaygroundOptions.parse("--once", "--port", String.valueOf(port)),
              workDir,
              new PrintStream(bytes, true, StandardCharsets.UTF_8),
              false);

      String output = bytes.toString(StandardCharsets.UTF_8);
      assertThat(code).isEqualTo(Playground.USAGE_OR_PORT);
      assertThat(output)
          .contains("error: port " + port + " on 127.0.0.1 is already in use")
          .contains("--port N")
          .doesNotContain("starting PostgreSQL");
      assertThat(workDir).doesNotExist();
    }
  }
}
