package dev.logmerge.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.logmerge.core.config.LogmergeConfig;
import dev.logmerge.devservices.EmbeddedS3;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A dependency that accepts connections and never answers makes its check DOWN, not /ready hang.
 */
class ProbeTimeoutTest {

  @Test
  void aRedisThatNeverAnswersMakesTheRedisCheckDownWithATimeout(@TempDir Path dataDir)
      throws Exception {
    Files.createDirectories(dataDir.resolve("logs"));
    Files.createDirectories(dataDir.resolve("merged"));
    List<Socket> held = new CopyOnWriteArrayList<>();
    Vertx vertx = Vertx.vertx();
    try (EmbeddedS3 s3 = EmbeddedS3.start(dataDir, 0, "minio", "minio123");
        ServerSocket silentRedis = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      Thread acceptor =
          new Thread(
              () -> {
                try {
                  while (true) {
                    held.add(silentRedis.accept()); // accepted, never answered
                  }
                } catch (IOException closed) {
                  // the test is over
                }
              },
              "silent-redis");
      acceptor.setDaemon(true);
      acceptor.start();
      LogmergeConfig config =
          LogmergeConfig.fromEnvNames(
              Map.of(
                  "DATA_DIR", dataDir.toString(),
                  "S3_ENDPOINT", s3.endpoint().toString(),
                  "REDIS_URL", "redis://127.0.0.1:" + silentRedis.getLocalPort()));
      try (Probes probes = Probes.create(vertx, Role.ALL, config, () -> true)) {
        // completes at all only because each check is bounded: the silent Redis never answers
        JsonObject outcome =
            probes.readiness().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        JsonObject redis = check(outcome, "redis");
        assertEquals("DOWN", redis.getString("status"), outcome.encode());
        assertTrue(
            redis.getJsonObject("data").getString("reason").startsWith("timed out"),
            outcome.encode());
        assertEquals("UP", check(outcome, "results-bucket").getString("status"), outcome.encode());
        assertEquals("DOWN", outcome.getString("status"), outcome.encode());
      }
      silentRedis.close();
      acceptor.join();
    } finally {
      for (Socket socket : held) {
        socket.close();
      }
      vertx.close().await();
    }
  }

  private static JsonObject check(JsonObject body, String id) {
    JsonArray checks = body.getJsonArray("checks");
    for (int i = 0; i < checks.size(); i++) {
      if (id.equals(checks.getJsonObject(i).getString("id"))) {
        return checks.getJsonObject(i);
      }
    }
    throw new AssertionError("no check '" + id + "' in " + body.encode());
  }
}
