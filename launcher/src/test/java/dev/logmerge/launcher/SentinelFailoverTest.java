package dev.logmerge.launcher;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.logmerge.core.config.LogmergeConfig;
import dev.logmerge.devservices.SentinelRedis;
import dev.logmerge.devservices.SortOracle;
import dev.logmerge.loggen.GeneratorOptions;
import dev.logmerge.loggen.LogGenerator;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Redis fails over under load: a master, a replica and three sentinels (real redis-server
 * processes); two apps of role {@code all} in this JVM (two HTTP front ends and two merge workers)
 * found Redis through Sentinel. With merges running and jobs queued, the master is killed with
 * SIGKILL; Sentinel promotes the replica, the apps follow it without a restart, every job ends DONE
 * with the oracle's bytes, and {@code /initiate} answers 201 again.
 */
class SentinelFailoverTest {
  private static final Duration DEADLINE = Duration.ofSeconds(60);
  private static final LocalDate FIRST_DAY = LocalDate.of(2021, 5, 1);
  private static final int DAYS = 6;
  private static final int FILES_PER_DAY = 4;

  @TempDir Path dataDir;
  private final List<AutoCloseable> started = new ArrayList<>();
  private final HttpClient http = HttpClient.newHttpClient();

  @AfterEach
  void stop() {
    for (int i = started.size() - 1; i >= 0; i--) {
      try {
        started.get(i).close();
      } catch (Exception e) {
        // the next one still has to stop
      }
    }
  }

  @Test
  void everyJobEndsDoneWithTheOracleBytesAfterTheMasterIsKilled() throws Exception {
    SentinelRedis redis = SentinelRedis.start("logmerge", 1, 3, Duration.ofSeconds(1));
    started.add(redis);
    redis.awaitReady(Duration.ofSeconds(30));
    List<Path> files =
        LogGenerator.generate(
            GeneratorOptions.defaults(dataDir.resolve("logs"))
                .withStartDate(FIRST_DAY)
                .withDays(DAYS)
                .withFilesPerDay(FILES_PER_DAY)
                .withLinesPerFile(20_000));

    Map<String, String> env = new HashMap<>();
    env.put("DATA_DIR", dataDir.toString());
    env.put("HTTP_PORT", "0");
    env.put("EMBEDDED_S3_PORT", "0");
    env.put("REDIS_SENTINELS", String.join(",", redis.sentinelAddresses()));
    env.put("REDIS_MASTER_NAME", redis.masterName());
    env.put("MERGE_SLOTS", "1");
    env.put("RESULT_CACHE", "false");
    env.put("SCAN_INTERVAL", "500ms");
    env.put("LEASE_TIMEOUT", "6s");
    env.put("HEARTBEAT_INTERVAL", "1s");
    LogmergeApp first = LogmergeApp.start(Role.ALL, LogmergeConfig.fromEnvNames(env));
    started.add(first);
    env.put("S3_ENDPOINT", first.config().s3Endpoint().toString());
    env.put("METRICS_ENABLED", "false");
    LogmergeApp second = LogmergeApp.start(Role.ALL, LogmergeConfig.fromEnvNames(env));
    started.add(second);
    URI api = URI.create("http://localhost:" + first.httpPort());

    Map<String, int[]> jobs = new LinkedHashMap<>();
    for (int i = 0; i < 8; i++) {
      int from = i % DAYS;
      int to = Math.min(DAYS - 1, from + 1 + i % 3);
      jobs.put(created(initiate(api, from, to)), new int[] {from, to});
    }
    awaitRunning(api, jobs.keySet());

    long killedAt = System.nanoTime();
    int oldMaster = redis.killMaster();
    HttpResponse<String> initiated = initiate(api, 0, 0);
    while (initiated.statusCode() != 201) {
      assertEquals(503, initiated.statusCode(), "unavailable, not broken: " + initiated.body());
      assertTrue(
          new JsonObject(initiated.body()).getString("type").endsWith("/job-store-unavailable"),
          initiated.body());
      pause(100);
      initiated = initiate(api, 0, 0);
    }
    long windowMs = (System.nanoTime() - killedAt) / 1_000_000;
    jobs.put(created(initiated), new int[] {0, 0});
    int newMaster = redis.awaitNewMaster(oldMaster, Duration.ofSeconds(30));
    assertNotEquals(oldMaster, newMaster, "the replica was promoted");
    System.out.printf(
        "failover: master %d killed; /initiate answered 201 again after %d ms (new master %d)%n",
        oldMaster, windowMs, newMaster);

    for (Map.Entry<String, int[]> job : jobs.entrySet()) {
      int[] range = job.getValue();
      List<Path> inputs =
          files.stream()
              .filter(
                  f -> {
                    String name = f.getFileName().toString();
                    return name.compareTo(day(range[0])) >= 0
                        && name.compareTo(day(range[1]) + "_~") < 0;
                  })
              .toList();
      assertEquals((range[1] - range[0] + 1) * FILES_PER_DAY, inputs.size());
      assertArrayEquals(
          SortOracle.expected(inputs),
          awaitDownload(api, job.getKey()),
          "job " + job.getKey() + " " + day(range[0]) + ".." + day(range[1]));
      assertEquals("DONE", status(api, job.getKey()).getString("state"));
    }
  }

  /** Polls until one of the jobs is RUNNING (a merge in flight), the others queued or running. */
  private void awaitRunning(URI api, Iterable<String> ids) throws Exception {
    long deadline = System.nanoTime() + DEADLINE.toNanos();
    while (System.nanoTime() < deadline) {
      for (String id : ids) {
        if ("RUNNING".equals(status(api, id).getString("state"))) {
          return;
        }
      }
      pause(20);
    }
    throw new AssertionError("no job started running within " + DEADLINE);
  }

  /** Polls the download while it is pending (202) or Redis is away (503); the bytes once 200. */
  private byte[] awaitDownload(URI api, String id) throws Exception {
    long deadline = System.nanoTime() + DEADLINE.toNanos();
    while (System.nanoTime() < deadline) {
      HttpResponse<byte[]> answer =
          http.send(
              HttpRequest.newBuilder(api.resolve("/download/" + id)).build(),
              HttpResponse.BodyHandlers.ofByteArray());
      if (answer.statusCode() == 200) {
        return answer.body();
      }
      assertTrue(
          answer.statusCode() == 202 || answer.statusCode() == 503,
          "download of " + id + ": " + answer.statusCode() + " " + new String(answer.body()));
      pause(100);
    }
    throw new AssertionError("download of " + id + " not ready after " + DEADLINE);
  }

  private JsonObject status(URI api, String id) throws Exception {
    HttpResponse<String> answer =
        http.send(
            HttpRequest.newBuilder(api.resolve("/status/" + id)).build(),
            HttpResponse.BodyHandlers.ofString());
    assertEquals(200, answer.statusCode(), answer.body());
    return new JsonObject(answer.body());
  }

  private HttpResponse<String> initiate(URI api, int from, int to) throws Exception {
    return http.send(
        HttpRequest.newBuilder(api.resolve("/initiate"))
            .header("Content-Type", "application/json")
            .POST(
                HttpRequest.BodyPublishers.ofString(
                    new JsonObject()
                        .put("start_date", day(from))
                        .put("end_date", day(to))
                        .encode()))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static String created(HttpResponse<String> initiated) {
    assertEquals(201, initiated.statusCode(), initiated.body());
    return new JsonObject(initiated.body()).getString("download_id");
  }

  private static String day(int offset) {
    return FIRST_DAY.plusDays(offset).toString();
  }

  private static void pause(long millis) throws InterruptedException {
    Thread.sleep(millis);
  }
}
