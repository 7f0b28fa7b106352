package dev.logmerge.http;

import static dev.logmerge.http.ApiClient.assertProblem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.logmerge.core.metrics.LogmergeMeters;
import io.micrometer.core.instrument.Measurement;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Redis that hangs (its process stopped with SIGSTOP: connections open, nothing answered): once
 * the job store's breaker has tripped, the API answers 503 without asking Redis, and once Redis
 * runs again (SIGCONT) it answers as before, without a restart. How fast the 503s come is measured
 * in docs/BENCHMARKS.md (scripts/bench-redis-hang.sh), not asserted here.
 */
@ExtendWith(VertxExtension.class)
class RedisHangTest {
  /** Short timings, so that tripping costs two 300 ms timeouts. */
  private static final Map<String, String> SETTINGS =
      Map.of(
          "REDIS_TIMEOUT", "300ms",
          "REDIS_BREAKER_TRIP_AFTER", "2",
          "REDIS_BREAKER_PROBE_INTERVAL", "100ms");

  private static TestServices services;
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

  @BeforeAll
  static void start(Vertx vertx, @TempDir Path s3Dir) {
    services = TestServices.start(vertx, s3Dir, SETTINGS);
  }

  @AfterAll
  static void stop() {
    services.close();
  }

  @Test
  void answers503WithoutWaitingWhileRedisHangsAndRecoversWhenItRunsAgain() throws Exception {
    ApiClient api =
        new ApiClient(
            services.vertx,
            services
                .deployVerticle(services.config, null, new LogmergeMeters(registry))
                .actualPort());
    String id = api.initiated("2019-08-19", "2019-08-25");
    long redis = services.redisPid();

    signal("STOP", redis);
    try {
      // two calls in a row without an answer trip the breaker: these two wait for their timeout
      assertUnavailable(() -> api.get("/status/" + id), "/status/" + id);
      assertUnavailable(() -> api.get("/status/" + id), "/status/" + id);
      assertEquals(1.0, meter("logmerge.redis.breaker.open"));
      assertEquals(1.0, meter("logmerge.redis.breaker.trips"));
      double timeouts = callFailures();

      // now every route that needs Redis is refused without asking it
      assertUnavailable(() -> api.get("/status/" + id), "/status/" + id);
      assertUnavailable(() -> api.get("/download/" + id), "/download/" + id);
      assertUnavailable(() -> api.initiate("2019-08-19", "2019-08-25"), "/initiate");
      assertUnavailable(
          () -> api.get("/customers/cust-1/stats?from=2019-08-19"), "/customers/cust-1/stats");
      assertEquals(4.0, meter("logmerge.redis.breaker.refused"));
      assertEquals(timeouts, callFailures(), "the refused calls never went to Redis");
    } finally {
      signal("CONT", redis);
    }

    HttpResponse<Buffer> status = api.get("/status/" + id);
    long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
    while (status.statusCode() == 503 && System.nanoTime() < deadline) {
      Thread.sleep(20);
      status = api.get("/status/" + id);
    }
    assertEquals(200, status.statusCode(), status.bodyAsString());
    assertEquals(id, status.bodyAsJsonObject().getString("download_id"));
    assertEquals(0.0, meter("logmerge.redis.breaker.open"));
    assertEquals(201, api.initiate("2019-08-19", "2019-08-25").statusCode());
  }

  private static void assertUnavailable(Supplier<HttpResponse<Buffer>> request, String path) {
    HttpResponse<Buffer> response = request.get();
    assertProblem(response, 503, "job-store-unavailable", path, "job store");
    assertEquals("5", response.getHeader("Retry-After"));
  }

  /** The meter's value: a gauge's, or a counter's summed over its tags. */
  private double meter(String name) {
    return registry.find(name).meters().stream()
        .flatMap(meter -> StreamSupport.stream(meter.measure().spliterator(), false))
        .mapToDouble(Measurement::getValue)
        .sum();
  }

  /** Failed round trips of API calls to Redis (the breaker's own probes fail too meanwhile). */
  private double callFailures() {
    var probes = registry.find("logmerge.redis.call.failures").tag("operation", "probe").counter();
    return meter("logmerge.redis.call.failures") - (probes == null ? 0 : probes.count());
  }

  /** Sends the signal to the redis-server, and only to it. */
  private static void signal(String signal, long pid) throws IOException, InterruptedException {
    String command =
        ProcessHandle.of(pid).flatMap(p -> p.info().command()).orElse("(gone: pid " + pid + ")");
    assertTrue(command.contains("redis"), "pid " + pid + " is " + command + ", not redis-server");
    Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).start();
    assertEquals(0, kill.waitFor(), "kill -" + signal + " " + pid);
  }
}
