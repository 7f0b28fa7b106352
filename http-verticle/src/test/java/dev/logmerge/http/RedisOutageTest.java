package dev.logmerge.http;

import static dev.logmerge.http.ApiClient.assertPromptProblemWithRetryAfter;

import dev.logmerge.core.config.Setting;
import dev.logmerge.core.job.JobIds;
import dev.logmerge.devservices.LocalPorts;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Without Redis there is no truth about jobs: the API must say so with 503 and {@code Retry-After},
 * promptly, instead of failing with 500 or hanging.
 */
@ExtendWith(VertxExtension.class)
class RedisOutageTest {
  /** The job store bounds each call at 5 s; an answer must come well within a few seconds more. */
  private static final Duration PROMPT = Duration.ofSeconds(8);

  private static TestServices services;

  @BeforeAll
  static void start(Vertx vertx, @TempDir Path s3Dir) {
    services = TestServices.start(vertx, s3Dir, Map.of());
  }

  @AfterAll
  static void stop() {
    services.close();
  }

  @Test
  void answers503WhenTheRedisItUsedHasStopped() {
    ApiClient api = services.deployApi(services.config);
    String id = api.initiated("2019-08-19", "2019-08-25");

    services.redis.close();

    assertUnavailable(() -> api.initiate("2019-08-19", "2019-08-25"), "/initiate");
    assertUnavailable(() -> api.get("/download/" + id), "/download/" + id);
    assertUnavailable(() -> api.get("/status/" + id), "/status/" + id);
    assertUnavailable(
        () -> api.get("/customers/cust-1/stats?from=2019-08-19"), "/customers/cust-1/stats");
    assertUnavailable(() -> api.get("/stats/days/2019-08-19"), "/stats/days/2019-08-19");
    assertUnavailable(
        () ->
            api.post(
                "/stats/reindex",
                "application/json",
                "{\"start_date\":\"2019-08-19\",\"end_date\":\"2019-08-25\"}"),
        "/stats/reindex");
  }

  @Test
  void startsAndAnswers503WhenRedisWasNeverReachable() {
    String closedPort = "redis://127.0.0.1:" + LocalPorts.resolve("test", 0);
    ApiClient api = services.deployApi(services.config.with(Setting.REDIS_URL, closedPort));

    assertUnavailable(() -> api.initiate("2019-08-19", "2019-08-25"), "/initiate");
    assertUnavailable(() -> api.get("/download?id=" + JobIds.newId()), "/download");
  }

  private static void assertUnavailable(Supplier<HttpResponse<Buffer>> request, String path) {
    assertPromptProblemWithRetryAfter(
        request, PROMPT, 503, "job-store-unavailable", path, "job store");
  }
}
