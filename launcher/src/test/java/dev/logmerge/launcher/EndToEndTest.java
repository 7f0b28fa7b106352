package dev.logmerge.launcher;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.logmerge.core.config.LogmergeConfig;
import dev.logmerge.devservices.ConcurrentClients;
import dev.logmerge.devservices.SortOracle;
import dev.logmerge.loggen.GeneratorOptions;
import dev.logmerge.loggen.LogGenerator;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The product as a user meets it: role {@code all} started through the launcher's own wiring
 * (embedded S3 over a data dir, embedded Redis, HTTP and merge verticles), driven over real HTTP.
 */
class EndToEndTest {
  private static final Duration DEADLINE = Duration.ofSeconds(60);

  @TempDir static Path dataDir;
  private static LogmergeApp app;
  private static HttpClient http;
  private static URI base;

  @BeforeAll
  static void start() throws IOException {
    Path logs = Files.createDirectories(dataDir.resolve("logs"));
    try (Stream<Path> sample = Files.list(Path.of("..", "miniodata", "logs"))) {
      for (Path file : sample.toList()) {
        Files.copy(file, logs.resolve(file.getFileName()), StandardCopyOption.REPLACE_EXISTING);
      }
    }
    app =
        LogmergeApp.start(
            Role.ALL,
            LogmergeConfig.fromEnvNames(
                Map.of(
                    "DATA_DIR", dataDir.toString(),
                    "HTTP_PORT", "0",
                    "EMBEDDED_S3_PORT", "0",
                    "EMBEDDED_REDIS_PORT", "0",
                    "SCAN_INTERVAL", "500ms")));
    http = HttpClient.newHttpClient();
    base = URI.create("http://localhost:" + app.httpPort());
  }

  @AfterAll
  static void stop() {
    app.close();
  }

  @Test
  void mergesTheShippedSampleAndServesItWithRangesAndAnETag() throws Exception {
    HttpResponse<String> initiated = initiate("2019-08-19", "2019-08-23");
    assertEquals(201, initiated.statusCode(), initiated.body());
    String id = new JsonObject(initiated.body()).getString("download_id");
    assertEquals("/download/" + id, initiated.headers().firstValue("Location").orElseThrow());

    HttpResponse<byte[]> download = awaitDownload(id);
    List<Path> sample;
    try (Stream<Path> files = Files.list(dataDir.resolve("logs"))) {
      sample = files.filter(f -> f.getFileName().toString().startsWith("2019-08-")).toList();
    }
    byte[] expected = SortOracle.expected(sample);
    assertArrayEquals(expected, download.body());
    assertEquals(
        String.valueOf(expected.length),
        download.headers().firstValue("Content-Length").orElseThrow());
    assertEquals(
        "attachment; filename=\"logs_2019-08-19_2019-08-23.log\"",
        download.headers().firstValue("Content-Disposition").orElseThrow());
    JsonObject status = new JsonObject(get("/status/" + id).body());
    assertEquals("DONE", status.getString("state"));
    assertEquals(
        status.getJsonObject("result").getString("etag"),
        download.headers().firstValue("ETag").orElseThrow());

    HttpResponse<byte[]> range =
        http.send(
            HttpRequest.newBuilder(base.resolve("/download/" + id))
                .header("Range", "bytes=10-99")
                .build(),
            HttpResponse.BodyHandlers.ofByteArray());
    assertEquals(206, range.statusCode());
    assertArrayEquals(Arrays.copyOfRange(expected, 10, 100), range.body());
  }

  @Test
  void twentyConcurrentJobsOverOverlappingRangesAllFinishCorrectly() throws Exception {
    List<Path> files =
        LogGenerator.generate(
            GeneratorOptions.defaults(dataDir.resolve("logs"))
                .withStartDate(LocalDate.of(2020, 1, 1))
                .withDays(10)
                .withFilesPerDay(4)
                .withLinesPerFile(200));
    List<CompletableFuture<HttpResponse<String>>> initiates = new ArrayList<>();
    List<int[]> ranges = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      int first = i % 10;
      int last = Math.min(9, first + i % 4);
      ranges.add(new int[] {first, last});
      initiates.add(
          http.sendAsync(
              initiateRequest(day(first), day(last)), HttpResponse.BodyHandlers.ofString()));
    }
    for (int i = 0; i < 20; i++) {
      HttpResponse<String> initiated = initiates.get(i).join();
      assertEquals(201, initiated.statusCode(), initiated.body());
      String id = new JsonObject(initiated.body()).getString("download_id");
      int first = ranges.get(i)[0];
      int last = ranges.get(i)[1];
      List<Path> selected =
          files.stream()
              .filter(
                  f -> {
                    String name = f.getFileName().toString();
                    return name.compareTo(day(first)) >= 0 && name.compareTo(day(last) + "_~") < 0;
                  })
              .toList();
      assertEquals((last - first + 1) * 4, selected.size());
      assertArrayEquals(
          SortOracle.expected(selected),
          awaitDownload(id).body(),
          "job " + i + " " + day(first) + ".." + day(last));
    }
  }

  @Test
  void theSameFilesAskedTwiceAreMergedOnceAndDownloadAlike() throws Exception {
    List<Path> files =
        LogGenerator.generate(
            GeneratorOptions.defaults(dataDir.resolve("logs"))
                .withStartDate(LocalDate.of(2020, 3, 1))
                .withDays(2)
                .withFilesPerDay(3)
                .withLinesPerFile(300));
    double cachedBefore = cachedJobsCounted();
    String first =
        new JsonObject(initiate("2020-03-01", "2020-03-02").body()).getString("download_id");
    HttpResponse<byte[]> merged = awaitDownload(first);
    // a wider range over the same files: the same output, so the same result
    String second =
        new JsonObject(initiate("2020-02-29", "2020-03-03").body()).getString("download_id");
    HttpResponse<byte[]> shared = awaitDownload(second);

    assertArrayEquals(SortOracle.expected(files), merged.body());
    assertArrayEquals(merged.body(), shared.body());
    assertEquals(false, new JsonObject(get("/status/" + first).body()).getBoolean("cached"));
    assertEquals(true, new JsonObject(get("/status/" + second).body()).getBoolean("cached"));
    assertEquals(
        merged.headers().firstValue("ETag").orElseThrow(),
        shared.headers().firstValue("ETag").orElseThrow());
    assertEquals(
        "attachment; filename=\"logs_2020-02-29_2020-03-03.log\"",
        shared.headers().firstValue("Content-Disposition").orElseThrow(),
        "named after its own range");
    assertEquals(cachedBefore + 1, cachedJobsCounted(), "the metric says: one job without a merge");
  }

  private static double cachedJobsCounted() throws Exception {
    return PrometheusScrape.parse(get("/metrics").body()).value("logmerge_jobs_cached_total");
  }

  @Test
  void aRangeWithoutFilesEndsAsNoInput404() throws Exception {
    String id =
        new JsonObject(initiate("1999-01-01", "1999-01-02").body()).getString("download_id");
    HttpResponse<byte[]> answer = awaitDownload(id);
    assertEquals(404, answer.statusCode());
    JsonObject problem = new JsonObject(new String(answer.body()));
    assertEquals("no-input", problem.getString("code"));
    assertTrue(
        answer
            .headers()
            .firstValue("Content-Type")
            .orElseThrow()
            .startsWith("application/problem+json"));
  }

  @Test
  void servesConcurrentClientsOnOnePortFromOneApiInstancePerCore() throws Exception {
    int instances = Runtime.getRuntime().availableProcessors();
    String id =
        new JsonObject(initiate("1999-02-01", "1999-02-01").body()).getString("download_id");
    // Vert.x hands new connections to the instances in turn: two clients per instance at once
    for (String answer : ConcurrentClients.get(app.httpPort(), "/status/" + id, 2 * instances)) {
      assertTrue(answer.startsWith("HTTP/1.1 200 "), answer);
      assertTrue(answer.contains("\"download_id\":\"" + id + "\""), answer);
    }
    // each instance reads jobs over a Redis connection of its own; the merge verticle has one too
    assertEquals(instances + 1, redisClientsBesidesThisOne());
  }

  private static String day(int offset) {
    return LocalDate.of(2020, 1, 1).plusDays(offset).toString();
  }

  /**
   * The number of other clients connected to the app's Redis, by a CLIENT LIST over a plain socket.
   */
  private static long redisClientsBesidesThisOne() throws IOException {
    return RedisBulkReply.of(app.config().redisUrl(), "CLIENT LIST").lines().count() - 1;
  }

  /**
   * Polls the download URL while it answers 202, as a client would; returns the first other answer.
   */
  private static HttpResponse<byte[]> awaitDownload(String id) throws Exception {
    long deadline = System.nanoTime() + DEADLINE.toNanos();
    while (System.nanoTime() < deadline) {
      HttpResponse<byte[]> answer =
          http.send(
              HttpRequest.newBuilder(base.resolve("/download/" + id)).build(),
              HttpResponse.BodyHandlers.ofByteArray());
      if (answer.statusCode() != 202) {
        return answer;
      }
      JsonObject pending = new JsonObject(new String(answer.body()));
      assertEquals(id, pending.getString("download_id"));
      assertTrue(pending.containsKey("progress"), pending.encode());
      assertTrue(answer.headers().firstValue("Retry-After").isPresent());
      Thread.sleep(50);
    }
    throw new AssertionError("download of " + id + " still pending after " + DEADLINE);
  }

  private static HttpResponse<String> initiate(String start, String end) throws Exception {
    return http.send(initiateRequest(start, end), HttpResponse.BodyHandlers.ofString());
  }

  private static HttpRequest initiateRequest(String start, String end) {
    return HttpRequest.newBuilder(base.resolve("/initiate"))
        .header("Content-Type", "application/json")
        .POST(
            HttpRequest.BodyPublishers.ofString(
                new JsonObject().put("start_date", start).put("end_date", end).encode()))
        .build();
  }

  private static HttpResponse<String> get(String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(base.resolve(path)).build(), HttpResponse.BodyHandlers.ofString());
  }
}
