package dev.logmerge.cluster;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.logmerge.devservices.FaultInjectingProxy;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.LocalDate;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The front end depends on Redis alone for job state: it survives a Redis outage and its own
 * restart.
 */
class FrontEndRecoveryTest {
  private static final LocalDate FIRST_DAY = LocalDate.of(2022, 1, 1);
  private static final Duration JOB_DEADLINE = Duration.ofSeconds(60);

  /** An unreachable Redis must turn into a prompt answer, not a hanging request. */
  private static final Duration PROMPT = Duration.ofSeconds(8);

  @RegisterExtension static final ClusterExtension cluster = new ClusterExtension();
  private static ClusterHarness harness;
  private static LogFiles logs;
  private static FaultInjectingProxy redisLink;
  private static LogmergeProcess http;
  private static LogmergeProcess merge;

  @BeforeAll
  static void startThroughAFaultyRedisLink() {
    harness = cluster.harness();
    logs = new LogFiles().add(harness.logsDir(), FIRST_DAY, 3, 3, 2_000);
    redisLink = FaultInjectingProxy.start(harness.redisPort());
    Map<String, String> viaProxy = Map.of("REDIS_URL", "redis://127.0.0.1:" + redisLink.port());
    http = harness.startHttp(viaProxy);
    merge = harness.startMerge(viaProxy);
  }

  @AfterEach
  void healRedisLink() {
    redisLink.heal();
  }

  @AfterAll
  static void closeProxy() {
    if (redisLink != null) {
      redisLink.close();
    }
  }

  @Test
  void whileRedisIsUnreachableTheApiAnswers503PromptlyAndRecoversWithoutRestarts() {
    JobClient client = harness.client(http);
    String before = client.submit(FIRST_DAY, FIRST_DAY);
    byte[] expected = logs.expected(FIRST_DAY, FIRST_DAY);
    assertArrayEquals(expected, client.awaitResult(before, JOB_DEADLINE));

    redisLink.refuseNewConnections();
    redisLink.dropOpenConnections();
    long start = System.nanoTime();
    HttpResponse<String> refused = client.initiate(FIRST_DAY, FIRST_DAY.plusDays(1));
    assertUnavailablePromptly(refused, Duration.ofNanos(System.nanoTime() - start), "initiate");
    start = System.nanoTime();
    HttpResponse<byte[]> unknowable = client.download(before);
    assertUnavailablePromptly(unknowable, Duration.ofNanos(System.nanoTime() - start), "download");

    redisLink.heal();
    String after =
        Await.until(
            "/initiate to accept jobs again",
            Duration.ofSeconds(20),
            () -> {
              HttpResponse<String> answer = client.initiate(FIRST_DAY, FIRST_DAY.plusDays(1));
              return answer.statusCode() == 201
                  ? new JsonObject(answer.body()).getString("download_id")
                  : null;
            });
    assertArrayEquals(
        logs.expected(FIRST_DAY, FIRST_DAY.plusDays(1)), client.awaitResult(after, JOB_DEADLINE));
    assertArrayEquals(expected, client.awaitResult(before, JOB_DEADLINE));
    assertTrue(http.isAlive() && merge.isAlive(), "recovered without restarts");
  }

  @Test
  void restartingTheHttpJvmLosesNoJob() {
    JobClient client = harness.client(http);
    String done = client.submit(FIRST_DAY.plusDays(1), FIRST_DAY.plusDays(2));
    client.awaitResult(done, JOB_DEADLINE);
    String pending = client.submit(FIRST_DAY, FIRST_DAY.plusDays(2));

    http.sigterm();
    http.awaitExit(Duration.ofSeconds(15));
    http = harness.startHttp(Map.of("REDIS_URL", "redis://127.0.0.1:" + redisLink.port()));
    JobClient restarted = harness.client(http);

    assertEquals("DONE", restarted.status(done).getString("state"));
    assertArrayEquals(
        logs.expected(FIRST_DAY.plusDays(1), FIRST_DAY.plusDays(2)),
        restarted.awaitResult(done, JOB_DEADLINE));
    assertArrayEquals(
        logs.expected(FIRST_DAY, FIRST_DAY.plusDays(2)),
        restarted.awaitResult(pending, JOB_DEADLINE));
  }

  private static void assertUnavailablePromptly(
      HttpResponse<?> answer, Duration took, String what) {
    System.out.printf(
        "Redis unreachable: %s answered %d in %d ms%n", what, answer.statusCode(), took.toMillis());
    assertEquals(503, answer.statusCode(), what + ": " + answer.body());
    assertTrue(
        answer.headers().firstValue("Retry-After").isPresent(), what + " without Retry-After");
    assertTrue(
        answer
            .headers()
            .firstValue("Content-Type")
            .orElseThrow()
            .startsWith("application/problem+json"));
    assertTrue(took.compareTo(PROMPT) < 0, what + " took " + took.toMillis() + " ms");
  }
}
