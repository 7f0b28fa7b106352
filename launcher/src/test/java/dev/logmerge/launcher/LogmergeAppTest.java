package dev.logmerge.launcher;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.logmerge.core.config.LogmergeConfig;
import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LogmergeAppTest {

  @Test
  void aTakenHttpPortFailsTheStartWithTheBindErrorAsCause(@TempDir Path dataDir)
      throws IOException {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("0.0.0.0"))) {
      LogmergeConfig config =
          LogmergeConfig.fromEnvNames(
              Map.of(
                  "DATA_DIR",
                  dataDir.toString(),
                  "HTTP_PORT",
                  Integer.toString(taken.getLocalPort()),
                  "EMBEDDED_S3_PORT",
                  "0",
                  "EMBEDDED_REDIS_PORT",
                  "0"));
      IllegalStateException error =
          assertThrows(IllegalStateException.class, () -> LogmergeApp.start(Role.ALL, config));
      assertInstanceOf(BindException.class, error.getCause(), error.toString());
    }
  }
}
