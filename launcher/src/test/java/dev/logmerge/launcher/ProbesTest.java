package dev.logmerge.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.logmerge.core.config.LogmergeConfig;
import dev.logmerge.devservices.EmbeddedRedis;
import dev.logmerge.devservices.EmbeddedS3;
import dev.logmerge.devservices.LocalPorts;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code /health} and {@code /ready} of real JVMs (an {@code all} on the API port, a {@code merge}
 * on its management port) against a real Redis and S3 that the tests stop, break and bring back.
 */
class ProbesTest {
  private static final Duration DEADLINE = Duration.ofSeconds(30);

  @TempDir static Path dataDir;
  private static EmbeddedS3 s3;
  private static EmbeddedRedis redis;
  private static LogmergeApp app;
  private static HttpClient http;

  @BeforeAll
  static void start() throws IOException {
    Files.createDirectories(dataDir.resolve("logs"));
    s3 = EmbeddedS3.start(dataDir, 0, "minio", "minio123");
    redis = EmbeddedRedis.start(0);
    app = LogmergeApp.start(Role.ALL, config(Map.of("HTTP_PORT", "0")));
    http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  }

  @AfterAll
  static void stop() {
    if (app != null) {
      app.close();
    }
    if (redis != null) {
      redis.close();
    }
    if (s3 != null) {
      s3.close();
    }
  }

  private static LogmergeConfig config(Map<String, String> extra) {
    Map<String, String> env = new HashMap<>(extra);
    env.put("DATA_DIR", dataDir.toString());
    env.put("S3_ENDPOINT", s3.endpoint().toString());
    env.put("REDIS_URL", redis.url());
    return LogmergeConfig.fromEnvNames(env);
  }

  @Test
  void healthAnswers200WithTheEventLoopCheck() throws Exception {
    HttpResponse<String> health = get(app.httpPort(), "/health");
    assertEquals(200, health.statusCode(), health.body());
    JsonObject body = new JsonObject(health.body());
    assertEquals("UP", body.getString("status"));
    assertEquals("UP", check(body, "event-loops").getString("status"), health.body());
  }

  @Test
  void readyAnswers200WithEveryCheckUpWhenAllIsUp() throws Exception {
    HttpResponse<String> ready = awaitReady(app.httpPort(), 200);
    JsonObject body = new JsonObject(ready.body());
    for (String name : new String[] {"redis", "logs-bucket", "results-bucket", "merge-worker"}) {
      assertEquals("UP", check(body, name).getString("status"), ready.body());
    }
  }

  @Test
  void readyNamesRedisWhileItIsDownAndRecoversWhenItIsBack() throws Exception {
    int port = redis.port();
    redis.close();
    HttpResponse<String> down = awaitReady(app.httpPort(), 503);
    JsonObject body = new JsonObject(down.body());
    assertEquals("DOWN", check(body, "redis").getString("status"), down.body());
    assertEquals("UP", check(body, "results-bucket").getString("status"), down.body());

    redis = EmbeddedRedis.start(port);
    awaitReady(app.httpPort(), 200);
  }

  @Test
  void readyNamesAMissingResultsBucketAndRecoversWhenItIsBack() throws Exception {
    assertBucketCheckFollowsTheBucket("results-bucket", app.config().resultsBucket());
  }

  @Test
  void readyNamesAMissingLogsBucketAndRecoversWhenItIsBack() throws Exception {
    assertBucketCheckFollowsTheBucket("logs-bucket", app.config().logsBucket());
  }

  private static void assertBucketCheckFollowsTheBucket(String check, String bucket)
      throws Exception {
    awaitReady(app.httpPort(), 200);
    Path folder = dataDir.resolve(bucket);
    Path aside = dataDir.resolve(bucket + "-aside");
    // the embedded S3 serves each folder of DATA_DIR as a bucket
    Files.move(folder, aside);
    try {
      HttpResponse<String> down = awaitReady(app.httpPort(), 503);
      JsonObject body = new JsonObject(down.body());
      JsonObject failing = check(body, check);
      assertEquals("DOWN", failing.getString("status"), down.body());
      assertTrue(failing.getJsonObject("data").getString("reason").contains(bucket), down.body());
      assertEquals("UP", check(body, "redis").getString("status"), down.body());
    } finally {
      Files.move(aside, folder);
    }
    awaitReady(app.httpPort(), 200);
  }

  @Test
  void theMergeRoleServesItsProbesOnTheManagementPort() throws Exception {
    try (LogmergeApp merge =
        LogmergeApp.start(
            Role.MERGE, config(Map.of("MANAGEMENT_PORT", "0", "CLUSTER_HOST", "127.0.0.1")))) {
      assertEquals(-1, merge.httpPort());
      HttpResponse<String> ready = awaitReady(merge.managementPort(), 200);
      JsonObject body = new JsonObject(ready.body());
      for (String name :
          new String[] {"redis", "logs-bucket", "results-bucket", "cluster", "merge-worker"}) {
        assertEquals("UP", check(body, name).getString("status"), ready.body());
      }
      assertEquals(200, get(merge.managementPort(), "/health").statusCode());
      assertEquals(404, get(merge.managementPort(), "/initiate").statusCode());
    }
  }

  @Test
  void aTakenManagementPortStopsTheMergeRoleWithAMessageNamingIt() throws IOException {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("0.0.0.0"))) {
      LogmergeConfig config =
          config(
              Map.of(
                  "MANAGEMENT_PORT",
                  Integer.toString(taken.getLocalPort()),
                  "CLUSTER_HOST",
                  "127.0.0.1"));
      LocalPorts.PortInUseException error =
          assertThrows(
              LocalPorts.PortInUseException.class, () -> LogmergeApp.start(Role.MERGE, config));
      assertTrue(error.getMessage().contains("MANAGEMENT_PORT"), error.getMessage());
    }
  }

  @Test
  void probesKeepTheApiRouterAnswering405WithAllow() throws Exception {
    HttpResponse<String> post =
        http.send(
            HttpRequest.newBuilder(uri(app.httpPort(), "/ready"))
                .POST(HttpRequest.BodyPublishers.noBody())
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertEquals(405, post.statusCode(), post.body());
    assertEquals("GET", post.headers().firstValue("Allow").orElseThrow());
  }

  private static JsonObject check(JsonObject body, String id) {
    JsonArray checks = body.getJsonArray("checks");
    for (int i = 0; i < checks.size(); i++) {
      JsonObject check = checks.getJsonObject(i);
      if (id.equals(check.getString("id"))) {
        return check;
      }
    }
    throw new AssertionError("no check '" + id + "' in " + body.encode());
  }

  /** Polls {@code /ready} until it answers {@code status}; fails with the last answer if not. */
  private static HttpResponse<String> awaitReady(int port, int status) throws Exception {
    return poll(port, "/ready", response -> response.statusCode() == status);
  }

  private static HttpResponse<String> poll(
      int port, String path, Predicate<HttpResponse<String>> wanted) throws Exception {
    Instant deadline = Instant.now().plus(DEADLINE);
    HttpResponse<String> last = null;
    while (Instant.now().isBefore(deadline)) {
      last = get(port, path);
      if (wanted.test(last)) {
        return last;
      }
      Thread.sleep(50); // between polls, within the deadline
    }
    throw new AssertionError(
        path
            + " did not answer as expected within "
            + DEADLINE
            + "; last answer: "
            + (last == null ? "none" : last.statusCode() + " " + last.body()));
  }

  private static HttpResponse<String> get(int port, String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(uri(port, path)).timeout(Duration.ofSeconds(10)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static URI uri(int port, String path) {
    return URI.create("http://localhost:" + port + path);
  }
}
