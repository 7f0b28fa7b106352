package dev.logmerge.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.logmerge.core.config.LogmergeConfig;
import dev.logmerge.core.job.JobIds;
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
import java.time.Duration;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code GET /metrics} of real JVMs (an {@code all} on its API port, a {@code merge} on its
 * management port) after real jobs against the embedded S3 and Redis: the text parses, logmerge's
 * counters moved by exactly what the jobs did, and Vert.x's and the JVM's meters are there.
 */
class MetricsTest {
  private static final Duration DEADLINE = Duration.ofSeconds(60);

  @TempDir static Path dataDir;
  private static List<Path> inputs;
  private static LogmergeApp app;
  private static HttpClient http;

  @BeforeAll
  static void start() throws IOException {
    // two days of 3 files: a result of ~9 MB, stored in more than one multipart part
    inputs =
        LogGenerator.generate(
            GeneratorOptions.defaults(dataDir.resolve("logs"))
                .withStartDate(LocalDate.of(2021, 3, 1))
                .withDays(2)
                .withFilesPerDay(3)
                .withLinesPerFile(15_000));
    app =
        LogmergeApp.start(
            Role.ALL,
            LogmergeConfig.fromEnvNames(
                Map.of(
                    "DATA_DIR", dataDir.toString(),
                    "HTTP_PORT", "0",
                    "EMBEDDED_S3_PORT", "0",
                    "EMBEDDED_REDIS_PORT", "0",
                    "SCAN_INTERVAL", "300ms",
                    "HEARTBEAT_INTERVAL", "300ms")));
    http = HttpClient.newHttpClient();
  }

  @AfterAll
  static void stop() {
    if (app != null) {
      app.close();
    }
  }

  @Test
  void countsJobsTheirWorkAndTheirDownloadsByWhatTheyDid() throws Exception {
    PrometheusScrape before = scrape(app.httpPort());

    String done = initiate("2021-03-01", "2021-03-02");
    String failed = initiate("1999-01-01", "1999-01-01");
    JsonObject doneStatus = awaitFinal(done);
    assertEquals("DONE", doneStatus.getString("state"), doneStatus.encode());
    assertEquals("FAILED", awaitFinal(failed).getString("state"));
    HttpResponse<byte[]> download = get(app.httpPort(), "/download/" + done);
    assertEquals(200, download.statusCode());
    long resultSize = doneStatus.getJsonObject("result").getLong("size");
    assertEquals(resultSize, download.body().length);

    // a job is counted once its final state is recorded, a download once its relay has ended:
    // both may come a moment after the client saw them
    PrometheusScrape after =
        awaitScrape(
            scrape ->
                moved(before, scrape, "logmerge_jobs_finished_total") >= 2
                    && moved(before, scrape, "logmerge_download_sent_bytes_total") >= resultSize);

    long inputBytes = 0;
    long inputLines = 0;
    for (Path input : inputs) {
      inputBytes += Files.size(input);
      try (Stream<String> lines = Files.lines(input)) {
        inputLines += lines.count();
      }
    }
    assertEquals(2, moved(before, after, "logmerge_jobs_initiated_total"));
    assertEquals(
        1, moved(before, after, "logmerge_jobs_finished_total", "outcome", "done", "code", "none"));
    assertEquals(
        1,
        moved(
            before,
            after,
            "logmerge_jobs_finished_total",
            "outcome",
            "failed",
            "code",
            "no-input"));
    assertEquals(2, moved(before, after, "logmerge_jobs_finished_total"));
    assertEquals(inputBytes, moved(before, after, "logmerge_merge_input_read_bytes_total"));
    assertEquals(inputLines, moved(before, after, "logmerge_merge_lines_written_total"));
    assertEquals(1, moved(before, after, "logmerge_job_inputs_count"));
    assertEquals(inputs.size(), moved(before, after, "logmerge_job_inputs_sum"));
    assertEquals(1, moved(before, after, "logmerge_merge_throughput_bytes_per_second_count"));
    // a multipart object's ETag ends with its number of parts
    String etag = doneStatus.getJsonObject("result").getString("etag");
    long parts = Long.parseLong(etag.replace("\"", "").replaceAll(".*-", ""));
    assertTrue(parts >= 2, etag);
    assertEquals(parts, moved(before, after, "logmerge_multipart_parts_uploaded_total"));
    assertEquals(2, moved(before, after, "logmerge_job_queue_wait_seconds_count"));
    assertEquals(1, moved(before, after, "logmerge_job_duration_seconds_count", "outcome", "done"));
    assertEquals(
        1, moved(before, after, "logmerge_job_duration_seconds_count", "outcome", "failed"));
    assertEquals(resultSize, moved(before, after, "logmerge_download_sent_bytes_total"));
    assertEquals(0, after.value("logmerge_downloads_active"));
    assertEquals(2, after.value("logmerge_merge_slots"));
    assertEquals(0, after.value("logmerge_merge_slots_busy"));
    assertEquals(
        2, moved(before, after, "logmerge_redis_call_seconds_count", "operation", "create"));
    assertEquals(0, after.sum("logmerge_redis_call_failures_total"));
    assertEquals(0, after.value("logmerge_redis_breaker_open"));
    assertEquals(0, after.value("logmerge_redis_breaker_trips_total"));
  }

  @Test
  void timesEachApiRequestUnderItsRouteTemplateMethodAndStatus() throws Exception {
    String id = initiate("1999-03-01", "1999-03-01");
    awaitFinal(id);
    PrometheusScrape before = scrape(app.httpPort());

    for (int i = 0; i < 3; i++) {
      assertEquals(200, getText(app.httpPort(), "/status/" + id).statusCode());
    }
    assertEquals(
        200,
        http.send(
                HttpRequest.newBuilder(base(app.httpPort()).resolve("/status/" + id))
                    .method("HEAD", HttpRequest.BodyPublishers.noBody())
                    .build(),
                HttpResponse.BodyHandlers.discarding())
            .statusCode());
    assertEquals(404, getText(app.httpPort(), "/status/" + JobIds.newId()).statusCode());
    assertEquals(400, getText(app.httpPort(), "/status/no-such-id").statusCode());
    assertEquals(404, getText(app.httpPort(), "/no-such-route/" + id).statusCode());
    assertEquals(404, getText(app.httpPort(), "/docs/swagger-ui/no-such-asset.js").statusCode());
    assertEquals(
        405,
        http.send(
                HttpRequest.newBuilder(base(app.httpPort()).resolve("/status/" + id))
                    .PUT(HttpRequest.BodyPublishers.noBody())
                    .build(),
                HttpResponse.BodyHandlers.discarding())
            .statusCode());
    HttpResponse<String> metrics = getText(app.httpPort(), "/metrics");
    PrometheusScrape after = PrometheusScrape.parse(metrics.body());

    String timer = "logmerge_http_requests_seconds_count";
    assertEquals(
        3, moved(before, after, timer, "route", "/status/:id", "method", "GET", "status", "200"));
    assertEquals(
        1, moved(before, after, timer, "route", "/status/:id", "method", "HEAD", "status", "200"));
    assertEquals(
        1, moved(before, after, timer, "route", "/status/:id", "method", "GET", "status", "404"));
    assertEquals(
        1, moved(before, after, timer, "route", "/status/:id", "method", "GET", "status", "400"));
    assertEquals(1, moved(before, after, timer, "route", "none", "method", "GET", "status", "404"));
    assertEquals(1, moved(before, after, timer, "route", "none", "method", "PUT", "status", "405"));
    assertEquals(
        1,
        moved(
            before, after, timer, "route", "/docs/swagger-ui/*", "method", "GET", "status", "404"),
        "an asset no handler of its route has: timed once, under that route");
    assertEquals(
        1,
        moved(before, after, timer, "route", "/metrics", "method", "GET", "status", "200"),
        "the first scrape, timed once it had ended");
    assertEquals(10, moved(before, after, timer), "each request once, and nothing else");
    assertTrue(
        moved(before, after, "logmerge_http_requests_seconds_sum", "route", "/status/:id") > 0);
    assertTrue(
        after.sum(
                "logmerge_http_requests_seconds_bucket",
                "route",
                "/status/:id",
                "method",
                "GET",
                "status",
                "200",
                "le",
                "+Inf")
            >= 3,
        "a histogram, for latency quantiles by route");
    assertFalse(metrics.body().contains(id), "no label holds a job id");
    assertFalse(metrics.body().contains("no-such"), "nor any other path");
  }

  @Test
  void servesVertxAndJvmMetersAndNoLabelHoldsAJobId() throws Exception {
    String id = initiate("1999-02-01", "1999-02-01");
    awaitFinal(id);
    HttpResponse<String> metrics = getText(app.httpPort(), "/metrics");

    assertEquals(200, metrics.statusCode());
    assertTrue(
        metrics.headers().firstValue("Content-Type").orElseThrow().startsWith("text/plain"),
        metrics.headers().toString());
    assertFalse(metrics.body().contains(id), "no label holds a job id");
    PrometheusScrape scrape = PrometheusScrape.parse(metrics.body());
    assertTrue(
        scrape.sum(
                "logmerge_http_requests_seconds_count",
                "route",
                "/initiate",
                "method",
                "POST",
                "status",
                "201")
            >= 1);
    assertFalse(
        scrape.has("vertx_http_server_requests_total"),
        "Vert.x's HTTP server meters are off: the API times its requests itself");
    for (String meter :
        List.of(
            "vertx_eventbus_published_total",
            "vertx_pool_in_use",
            "vertx_net_client_active_connections",
            "jvm_memory_used_bytes",
            "jvm_gc_memory_allocated_bytes_total",
            "jvm_threads_live_threads",
            "jvm_classes_loaded_classes",
            "process_cpu_usage",
            "logmerge_jobs_queued",
            "logmerge_jobs_running",
            "logmerge_jobs_cancelled_total",
            "logmerge_jobs_cached_total",
            "logmerge_leases_expired_total")) {
      assertTrue(scrape.has(meter), meter + " is served");
    }
  }

  @Test
  void queueGaugesReadRedisAtMostOncePerIntervalHoweverOftenScraped() throws Exception {
    long zcardsBefore = redisCalls("zcard");
    long started = System.nanoTime();
    for (int i = 0; i < 20; i++) {
      PrometheusScrape scrape = scrape(app.httpPort());
      assertTrue(scrape.value("logmerge_jobs_queued") >= 0, "read from Redis, not NaN");
      assertTrue(scrape.value("logmerge_jobs_running") >= 0, "read from Redis, not NaN");
    }
    long elapsed = System.nanoTime() - started;
    long zcards = redisCalls("zcard") - zcardsBefore;

    // one read is two ZCARDs (queued, running) in one round trip; 20 scrapes take far less than
    // an interval, but the bound holds however slow they were
    long intervals = 1 + elapsed / PrometheusMetrics.QUEUE_GAUGES_MAX_AGE.toNanos();
    assertTrue(zcards <= 2 * intervals, zcards + " ZCARDs for 20 scrapes in " + elapsed + " ns");
    assertTrue(zcards < 40, "not one Redis call per scrape per gauge: " + zcards);
  }

  @Test
  void theMergeRoleServesItsMetricsOnTheManagementPort() throws Exception {
    try (LogmergeApp merge =
        LogmergeApp.start(
            Role.MERGE,
            sharedServices(
                Map.of("MANAGEMENT_PORT", "0", "CLUSTER_HOST", "127.0.0.1", "MERGE_SLOTS", "3")))) {
      PrometheusScrape scrape = scrape(merge.managementPort());
      assertEquals(3, scrape.value("logmerge_merge_slots"));
      assertTrue(scrape.value("logmerge_jobs_queued") >= 0);
      assertTrue(scrape.has("jvm_memory_used_bytes"));
      assertTrue(scrape.has("vertx_eventbus_handlers"), "the clustered event bus is measured");
    }
  }

  @Test
  void metricsSwitchedOffLeaveNoMetricsRoute() throws Exception {
    try (LogmergeApp off =
        LogmergeApp.start(
            Role.ALL, sharedServices(Map.of("HTTP_PORT", "0", "METRICS_ENABLED", "false")))) {
      HttpResponse<String> metrics = getText(off.httpPort(), "/metrics");
      assertEquals(404, metrics.statusCode(), metrics.body());
      assertEquals(200, getText(off.httpPort(), "/health").statusCode());
    }
  }

  /** A configuration that reaches the S3 and Redis of the {@code all} JVM. */
  private static LogmergeConfig sharedServices(Map<String, String> extra) {
    Map<String, String> env = new HashMap<>(extra);
    env.put("S3_ENDPOINT", app.config().s3Endpoint().toString());
    env.put("REDIS_URL", app.config().redisUrl());
    return LogmergeConfig.fromEnvNames(env);
  }

  private static double moved(
      PrometheusScrape before, PrometheusScrape after, String name, String... labels) {
    return after.sum(name, labels) - before.sum(name, labels);
  }

  private static PrometheusScrape awaitScrape(Predicate<PrometheusScrape> ready) throws Exception {
    long deadline = System.nanoTime() + DEADLINE.toNanos();
    PrometheusScrape scrape = scrape(app.httpPort());
    while (!ready.test(scrape)) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("metrics not there after " + DEADLINE + ": " + scrape);
      }
      Thread.sleep(50);
      scrape = scrape(app.httpPort());
    }
    return scrape;
  }

  private static PrometheusScrape scrape(int port) throws Exception {
    HttpResponse<String> metrics = getText(port, "/metrics");
    assertEquals(200, metrics.statusCode(), metrics.body());
    return PrometheusScrape.parse(metrics.body());
  }

  private static String initiate(String start, String end) throws Exception {
    HttpResponse<String> answer =
        http.send(
            HttpRequest.newBuilder(base(app.httpPort()).resolve("/initiate"))
                .header("Content-Type", "application/json")
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        new JsonObject().put("start_date", start).put("end_date", end).encode()))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertEquals(201, answer.statusCode(), answer.body());
    return new JsonObject(answer.body()).getString("download_id");
  }

  /** Polls {@code /status} until the job is DONE or FAILED; returns its last answer. */
  private static JsonObject awaitFinal(String id) throws Exception {
    long deadline = System.nanoTime() + DEADLINE.toNanos();
    while (System.nanoTime() < deadline) {
      JsonObject status = new JsonObject(getText(app.httpPort(), "/status/" + id).body());
      String state = status.getString("state");
      if (state.equals("DONE") || state.equals("FAILED")) {
        return status;
      }
      Thread.sleep(50);
    }
    throw new AssertionError("job " + id + " not final after " + DEADLINE);
  }

  /** Calls of a command since Redis started, from INFO commandstats over a plain socket. */
  private static long redisCalls(String command) throws IOException {
    // cmdstat_zcard:calls=12,usec=…,rejected_calls=0,failed_calls=0
    String prefix = "cmdstat_" + command + ":calls=";
    return RedisBulkReply.of(app.config().redisUrl(), "INFO commandstats")
        .lines()
        .filter(line -> line.startsWith(prefix))
        .map(line -> line.substring(prefix.length(), line.indexOf(',')))
        .mapToLong(Long::parseLong)
        .findFirst()
        .orElse(0);
  }

  private static HttpResponse<byte[]> get(int port, String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(base(port).resolve(path)).build(),
        HttpResponse.BodyHandlers.ofByteArray());
  }

  private static HttpResponse<String> getText(int port, String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(base(port).resolve(path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static URI base(int port) {
    return URI.create("http://localhost:" + port);
  }
}
