package dev.logmerge.http;

import static dev.logmerge.http.ApiClient.assertProblem;
import static dev.logmerge.http.TestServices.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.logmerge.core.DateRange;
import dev.logmerge.core.bus.Addresses;
import dev.logmerge.core.job.JobIds;
import dev.logmerge.core.job.RedisKeys;
import dev.logmerge.core.stats.DayRecord;
import dev.logmerge.core.stats.StatsRow;
import dev.logmerge.core.stats.StatsRow.StatusClasses;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The statistics routes over real HTTP against real Redis: {@code GET /customers/{id}/stats} over
 * rows stored as the workers store them ({@link TestServices#indexDay}), the days it queues for
 * indexing, {@code GET /stats/days/{date}}, {@code POST /stats/reindex}, statistics jobs on the
 * download routes, and every bad input refused with nothing written.
 *
 * <p>One verticle answers, so all its Redis commands go over one connection, in order: a request
 * answered after a query shows that Redis has run the query's indexing request, which the query
 * does not wait for ({@link #afterEarlierRequests}).
 */
@ExtendWith(VertxExtension.class)
class StatsApiTest {
  private static final int MAX_RANGE_DAYS = 31;
  private static final String CUSTOMER = "cust-004217";
  private static final Instant INDEXED_AT = Instant.parse("2019-08-24T10:16:02.345Z");

  private static TestServices services;
  private static ApiClient api;
  private static ApiClient queueOfOne;

  @BeforeAll
  static void start(Vertx vertx, @TempDir Path s3Dir) {
    services =
        TestServices.start(
            vertx, s3Dir, Map.of("MAX_RANGE_DAYS", Integer.toString(MAX_RANGE_DAYS)));
    api = new ApiClient(vertx, services.deployVerticle(services.config, null).actualPort());
    queueOfOne =
        new ApiClient(
            vertx,
            services
                .deployVerticle(services.configWith(Map.of("MAX_QUEUED_JOBS", "1")), null)
                .actualPort());
    // loads the indexing request's script into Redis, so that a query's request is one command
    // (EVALSHA) on the verticle's connection, not two (NOSCRIPT, then EVAL)
    await(services.worker.stats().reindex(new DateRange(day("2019-08-19"), day("2019-08-19"))));
  }

  @AfterAll
  static void stop() {
    services.close();
  }

  @BeforeEach
  void emptyRedis() {
    // an indexing request of the test before must not land after the flush
    afterEarlierRequests(api);
    afterEarlierRequests(queueOfOne);
    services.flushRedis();
  }

  @Test
  void answersTheRowsOfEachDaysNewestIndexingAsExactJson() {
    indexTheWeekWithTwoIndexingsOfItsFirstDay();

    HttpResponse<Buffer> response = api.get(statsOf(CUSTOMER, "from=2019-08-19&to=2019-08-23"));

    assertEquals(200, response.statusCode(), response.bodyAsString());
    assertEquals("application/json", response.getHeader("Content-Type"));
    assertEquals("no-store", response.getHeader("Cache-Control"));
    assertEquals(
        "{\"customer_id\":\"cust-004217\",\"from\":\"2019-08-19\",\"to\":\"2019-08-23\",\"days\":["
            + "{\"date\":\"2019-08-19\",\"success_requests\":118,\"failed_requests\":3,"
            + "\"status\":{\"1xx\":0,\"2xx\":101,\"3xx\":9,\"4xx\":8,\"5xx\":3},"
            + "\"duration_mean_ms\":41.7,\"duration_p50_ms\":37,\"duration_p99_ms\":212,"
            + "\"uptime_percentage\":99.93},"
            + "{\"date\":\"2019-08-21\",\"success_requests\":6,\"failed_requests\":2,"
            + "\"status\":{\"1xx\":1,\"2xx\":3,\"3xx\":1,\"4xx\":1,\"5xx\":2},"
            + "\"duration_mean_ms\":0.63,\"duration_p50_ms\":0,\"duration_p99_ms\":2,"
            + "\"uptime_percentage\":98.13}],"
            + "\"indexed_through\":\"2019-08-23\",\"pending_days\":[]}",
        response.bodyAsString());
  }

  @Test
  void aCustomerOnlyInAnOlderIndexingOfADayHasNoRowForIt() {
    indexTheWeekWithTwoIndexingsOfItsFirstDay();

    JsonObject stats = ok(statsOf("cust-000001", "from=2019-08-19&to=2019-08-23"));

    assertEquals(List.of(), stats.getJsonArray("days").getList());
    assertEquals(List.of(), stats.getJsonArray("pending_days").getList());
  }

  @Test
  void anUnknownCustomerGets200WithNoDays() {
    indexTheWeekWithTwoIndexingsOfItsFirstDay();

    JsonObject stats = ok(statsOf("nobody", "from=2019-08-19&to=2019-08-23"));

    assertEquals(
        new JsonObject()
            .put("customer_id", "nobody")
            .put("from", "2019-08-19")
            .put("to", "2019-08-23")
            .put("days", List.of())
            .put("indexed_through", "2019-08-23")
            .put("pending_days", List.of()),
        stats);
  }

  @Test
  void toIsFromWhenNoDayIsIndexed() {
    JsonObject nothingIndexed = ok(statsOf(CUSTOMER, "from=2019-08-20"));

    assertEquals("2019-08-20", nothingIndexed.getString("to"));
    assertEquals(null, nothingIndexed.getValue("indexed_through"));
    assertEquals(List.of("2019-08-20"), nothingIndexed.getJsonArray("pending_days").getList());
  }

  @Test
  void toDefaultsToTheNewestIndexedDayOrToALaterFrom() {
    indexTheWeekWithTwoIndexingsOfItsFirstDay();
    JsonObject throughNewest = ok(statsOf(CUSTOMER, "from=2019-08-20"));
    assertEquals("2019-08-23", throughNewest.getString("to"));
    assertEquals(
        List.of("2019-08-21"),
        throughNewest.getJsonArray("days").stream()
            .map(row -> ((JsonObject) row).getString("date"))
            .toList());

    JsonObject afterNewest = ok(statsOf(CUSTOMER, "from=2019-08-25"));
    assertEquals("2019-08-25", afterNewest.getString("to"));
    assertEquals(List.of("2019-08-25"), afterNewest.getJsonArray("pending_days").getList());
  }

  @Test
  void queuesOneStatsJobForTheDaysNeverIndexedAndNoneWhenAskedAgain(Vertx vertx) {
    Promise<String> published = Promise.promise();
    MessageConsumer<String> consumer =
        vertx
            .eventBus()
            .consumer(Addresses.JOB_QUEUED, message -> published.tryComplete(message.body()));
    await(consumer.completion());
    JsonObject expected =
        new JsonObject(
            "{\"customer_id\":\"cust-004217\",\"from\":\"2019-08-19\",\"to\":\"2019-08-23\","
                + "\"days\":[],\"indexed_through\":null,\"pending_days\":[\"2019-08-19\","
                + "\"2019-08-20\",\"2019-08-21\",\"2019-08-22\",\"2019-08-23\"]}");
    try {
      assertEquals(expected, ok(statsOf(CUSTOMER, "from=2019-08-19&to=2019-08-23")));

      String id = await(published.future());
      assertEquals(List.of(id), services.queuedJobIds());
      Map<String, String> job = services.jobHash(id);
      assertEquals("stats", job.get("kind"));
      assertEquals("QUEUED", job.get("state"));
      assertEquals("2019-08-19", job.get("start_date"));
      assertEquals("2019-08-23", job.get("end_date"));

      assertEquals(expected, ok(statsOf(CUSTOMER, "from=2019-08-19&to=2019-08-23")));
      afterEarlierRequests(api);
      assertEquals(List.of(id), services.queuedJobIds(), "asking again queues nothing");
      assertEquals(List.of(RedisKeys.job(id)), services.jobKeys());
    } finally {
      await(consumer.unregister());
    }
  }

  @Test
  void namesOnlyTheDaysNeverIndexedAsPending() {
    indexDay("2019-08-20", 3, Map.of());
    indexDay("2019-08-21", 3, Map.of(CUSTOMER, rowOf("2019-08-21", 1, 0, 7)));

    JsonObject stats = ok(statsOf(CUSTOMER, "from=2019-08-19&to=2019-08-23"));

    assertEquals(
        List.of("2019-08-19", "2019-08-22", "2019-08-23"),
        stats.getJsonArray("pending_days").getList());
    assertEquals(1, stats.getJsonArray("days").size());
    assertEquals("2019-08-21", stats.getString("indexed_through"));
  }

  @Test
  void aFullQueueLeavesTheAnswerAsItIsAndQueuesNothing() {
    String merge = queueOfOne.initiated("2019-08-19", "2019-08-23");

    JsonObject stats = ok(queueOfOne, statsOf(CUSTOMER, "from=2019-08-19&to=2019-08-20"));

    assertEquals(List.of("2019-08-19", "2019-08-20"), stats.getJsonArray("pending_days").getList());
    afterEarlierRequests(queueOfOne);
    assertEquals(List.of(merge), services.queuedJobIds());
    assertEquals(List.of(RedisKeys.job(merge), RedisKeys.QUEUED), services.redisKeys());
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '`',
      value = {
        "customer id of 65 characters | /customers/"
            + "ccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccc"
            + "/stats?from=2019-08-19 | customer_id: | 1 to 64 characters",
        "customer id with a space     | /customers/cust%20004217/stats?from=2019-08-19"
            + " | customer_id: | got \"cust 004217\"",
        "customer id with a slash     | /customers/cust%2F1/stats?from=2019-08-19"
            + " | customer_id: | got \"cust/1\"",
        "customer id not ASCII        | /customers/caf%C3%A9/stats?from=2019-08-19"
            + " | customer_id: | got \"café\"",
        "from missing                 | /customers/cust-1/stats | from: | missing",
        "from empty                   | /customers/cust-1/stats?from= | from: | got \"\"",
        "from without leading zero    | /customers/cust-1/stats?from=2019-8-19 | from: |"
            + " got \"2019-8-19\"",
        "from not a real day          | /customers/cust-1/stats?from=2019-02-30 | from: |"
            + " YYYY-MM-DD",
        "from a date-time             | /customers/cust-1/stats?from=2019-08-19T00:00:00Z |"
            + " from: | YYYY-MM-DD",
        "from twice                   | /customers/cust-1/stats?from=2019-08-19&from=2019-08-20"
            + " | from: | once",
        "to not a real day            | /customers/cust-1/stats?from=2019-08-19&to=2019-08-32 |"
            + " to: | got \"2019-08-32\"",
        "to a number                  | /customers/cust-1/stats?from=2019-08-19&to=20190825 |"
            + " to: | got \"20190825\"",
        "to twice                     |"
            + " /customers/cust-1/stats?from=2019-08-19&to=2019-08-20&to=2019-08-21 | to: |"
            + " once",
        "from after to                | /customers/cust-1/stats?from=2019-08-25&to=2019-08-19 |"
            + " to: | on or after from",
        "range one day too long       | /customers/cust-1/stats?from=2019-08-01&to=2019-09-01 |"
            + " to: | 32 days; at most 31",
        "unknown parameter            | /customers/cust-1/stats?from=2019-08-19&customer=x |"
            + " \"customer\": | unexpected parameter",
        "query not decodable          | /customers/cust-1/stats?from=%zz | query |"
            + " percent-encoded",
        "customer id not decodable    | /customers/cust%zz/stats?from=2019-08-19 | path |"
            + " percent-encoded",
        "several at once              | /customers/a%20b/stats?to=x | customer_id: | from:"
            + " missing",
      })
  void refusesBadQueriesWith400NamingTheFieldAndWritesNothing(
      String description, String uri, String field, String reason) {
    HttpResponse<Buffer> response = api.get(uri);

    String path = uri.contains("?") ? uri.substring(0, uri.indexOf('?')) : uri;
    assertProblem(response, 400, "invalid-request", path, field, reason);
    afterEarlierRequests(api);
    assertEquals(List.of(), services.redisKeys(), description + " must write nothing");
  }

  @Test
  void refusesARangeToTheNewestIndexedDayLongerThanTheLimitNamingTo() {
    indexDay("2019-09-30", 3, Map.of());
    List<String> before = services.redisKeys();

    HttpResponse<Buffer> response = api.get(statsOf(CUSTOMER, "from=2019-08-01"));

    assertProblem(
        response,
        400,
        "invalid-request",
        "/customers/" + CUSTOMER + "/stats",
        "to: the range 2019-08-01 to 2019-09-30 spans 61 days; at most 31",
        "omitted",
        "newest indexed day");
    afterEarlierRequests(api);
    assertEquals(before, services.redisKeys(), "nothing queued");
  }

  @Test
  void answersADaysRecordAsExactJson() {
    services.indexDay(
        new DayRecord(
            day("2019-08-20"),
            INDEXED_AT,
            "5d41402abc4b2a76b9719d911017c592",
            3,
            131_072,
            1500,
            2,
            1261,
            Map.of(day("2019-08-19"), 4L, day("2019-08-21"), 1L)),
        Map.of());

    HttpResponse<Buffer> response = api.get("/stats/days/2019-08-20");

    assertEquals(200, response.statusCode(), response.bodyAsString());
    assertEquals("no-store", response.getHeader("Cache-Control"));
    assertEquals(
        "{\"date\":\"2019-08-20\",\"indexed_at\":\"2019-08-24T10:16:02.345Z\","
            + "\"fingerprint\":\"5d41402abc4b2a76b9719d911017c592\",\"inputs\":3,"
            + "\"input_bytes\":131072,\"request_lines\":1500,\"unparsed_lines\":2,"
            + "\"customers\":1261,\"lines_of_other_days\":{\"2019-08-19\":4,\"2019-08-21\":1}}",
        response.bodyAsString());
  }

  @Test
  void aDayNeverIndexedIs404SayingHowToIndexIt() {
    indexDay("2019-08-20", 3, Map.of());
    List<String> before = services.redisKeys();

    JsonObject problem =
        assertProblem(
            api.get("/stats/days/2019-08-21"),
            404,
            "day-not-indexed",
            "/stats/days/2019-08-21",
            "2019-08-21 were never indexed",
            "POST /stats/reindex {\"start_date\":\"2019-08-21\",\"end_date\":\"2019-08-21\"}");
    assertEquals("2019-08-21", problem.getString("date"));
    assertEquals(before, services.redisKeys(), "a 404 queues nothing");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"2019-02-30", "2019-8-20", "today", "2019-08-20T00:00:00Z", "+2019-08-20"})
  void refusesADayThatIsNotAStrictDateWith400(String date) {
    HttpResponse<Buffer> response = api.get("/stats/days/" + date);

    assertProblem(response, 400, "invalid-request", "/stats/days/" + date, "date: ", "YYYY-MM-DD");
    assertEquals(List.of(), services.redisKeys());
  }

  @Test
  void reindexQueuesAStatsJobWith202ToPollAtStatus(Vertx vertx) {
    Promise<String> published = Promise.promise();
    MessageConsumer<String> consumer =
        vertx
            .eventBus()
            .consumer(Addresses.JOB_QUEUED, message -> published.tryComplete(message.body()));
    await(consumer.completion());
    try {
      HttpResponse<Buffer> response = reindex(api, range("2019-08-19", "2019-08-23"));

      assertEquals(202, response.statusCode(), response.bodyAsString());
      JsonObject job = response.bodyAsJsonObject();
      String id = job.getString("download_id");
      assertTrue(JobIds.isValid(id), id);
      assertEquals("/status/" + id, response.getHeader("Location"));
      JsonObject expected =
          new JsonObject()
              .put("download_id", id)
              .put("kind", "stats")
              .put("state", "QUEUED")
              .put("start_date", "2019-08-19")
              .put("end_date", "2019-08-23")
              .put("attempts", 0)
              .put(
                  "progress",
                  new JsonObject(
                      "{\"inputs_total\":0,\"inputs_done\":0,\"bytes_total\":0,\"bytes_read\":0,"
                          + "\"lines_written\":0,\"percent\":0.0}"))
              .put("created_at", job.getString("created_at"))
              .put("updated_at", job.getString("updated_at"));
      assertEquals(expected, job);
      assertEquals(id, await(published.future()));
      assertEquals(List.of(id), services.queuedJobIds());
      assertEquals("stats", services.jobHash(id).get("kind"));

      JsonObject status = ok(api, "/status/" + id);
      assertEquals(expected, status);

      HttpResponse<Buffer> again = reindex(api, range("2019-08-19", "2019-08-23"));
      assertEquals(202, again.statusCode(), "a reindex always queues a job of its own");
      assertEquals(2, services.queuedJobIds().size());
    } finally {
      await(consumer.unregister());
    }
  }

  @Test
  void aStatsJobIsNoDownload() {
    String id =
        reindex(api, range("2019-08-19", "2019-08-23")).bodyAsJsonObject().getString("download_id");
    Map<String, String> before = services.jobHash(id);

    for (Supplier<HttpResponse<Buffer>> download :
        List.<Supplier<HttpResponse<Buffer>>>of(
            () -> api.get("/download/" + id),
            () ->
                api.send(
                    HttpMethod.DELETE, "/download/" + id, MultiMap.caseInsensitiveMultiMap()))) {
      assertProblem(
          download.get(), 404, "job-not-found", "/download/" + id, id, "stats job, not a download");
    }
    assertProblem(api.get("/download?id=" + id), 404, "job-not-found", "/download", "stats job");
    HttpResponse<Buffer> head = api.head("/download/" + id);
    assertEquals(404, head.statusCode());
    assertEquals(before, services.jobHash(id), "the job goes on, not cancelled");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '`',
      value = {
        "end before start | {\"start_date\": \"2019-08-25\", \"end_date\": \"2019-08-19\"} |"
            + " end_date: | on or after start_date",
        "too long         | {\"start_date\": \"2019-08-01\", \"end_date\": \"2019-09-01\"} |"
            + " end_date: | 32 days; at most 31",
        "extra member     | {\"start_date\": \"2019-08-19\", \"end_date\": \"2019-08-19\","
            + " \"customer\": \"x\"} | customer: | unexpected field",
        "not a real day   | {\"start_date\": \"2019-02-30\", \"end_date\": \"2019-08-19\"} |"
            + " start_date: | got \"2019-02-30\"",
        "not JSON         | {\"start_date\": | request body: | malformed JSON",
      })
  void refusesABadReindexBodyWith400AndQueuesNothing(
      String description, String body, String field, String reason) {
    assertProblem(reindex(api, body), 400, "invalid-request", "/stats/reindex", field, reason);
    assertEquals(List.of(), services.redisKeys(), description);
  }

  @Test
  void refusesAReindexBodyNotDeclaredJsonOrTooLarge() {
    assertProblem(
        api.post("/stats/reindex", "text/plain", range("2019-08-19", "2019-08-23")),
        415,
        "unsupported-media-type",
        "/stats/reindex",
        "application/json");
    assertProblem(
        reindex(api, range("2019-08-19", "2019-08-23") + " ".repeat(JsonBody.MAX_BYTES)),
        413,
        "payload-too-large",
        "/stats/reindex",
        String.valueOf(JsonBody.MAX_BYTES));
    assertEquals(List.of(), services.redisKeys());
  }

  @Test
  void refusesAReindexWith503WhenTheQueueIsFull() {
    String merge = queueOfOne.initiated("2019-08-19", "2019-08-23");

    HttpResponse<Buffer> response = reindex(queueOfOne, range("2019-08-19", "2019-08-23"));

    assertProblem(response, 503, "queue-full", "/stats/reindex", "1 jobs are queued");
    assertTrue(Integer.parseInt(response.getHeader("Retry-After")) > 0);
    assertEquals(List.of(merge), services.queuedJobIds());
  }

  // --- helpers ---------------------------------------------------------------------------------

  /**
   * Indexes 2019-08-19 to 2019-08-23: the first day twice (the second indexing has another row of
   * {@value #CUSTOMER}, and none of cust-000001), the 21st with a row of {@value #CUSTOMER}.
   */
  private static void indexTheWeekWithTwoIndexingsOfItsFirstDay() {
    indexDay(
        "2019-08-19",
        3,
        Map.of(
            CUSTOMER,
            new StatsRow(
                day("2019-08-19"), 50, 50, new StatusClasses(0, 0, 0, 0, 50), 1000, 20, 20, 50),
            "cust-000001",
            rowOf("2019-08-19", 4, 0, 10)));
    indexDay("2019-08-20", 3, Map.of("cust-000002", rowOf("2019-08-20", 1, 0, 3)));
    indexDay(
        "2019-08-21",
        3,
        Map.of(
            CUSTOMER,
            new StatsRow(day("2019-08-21"), 8, 2, new StatusClasses(1, 3, 1, 1, 2), 5, 0, 2, 27)));
    indexDay("2019-08-22", 3, Map.of());
    indexDay("2019-08-23", 3, Map.of());
    indexDay(
        "2019-08-19",
        3,
        Map.of(
            CUSTOMER,
            new StatsRow(
                day("2019-08-19"), 121, 3, new StatusClasses(0, 101, 9, 8, 3), 5046, 37, 212, 1)));
  }

  private static void indexDay(String date, int inputs, Map<String, StatsRow> rows) {
    services.indexDay(
        new DayRecord(
            day(date),
            INDEXED_AT,
            "fingerprint-" + date,
            inputs,
            1000,
            10,
            0,
            rows.size(),
            Map.of()),
        rows);
  }

  /** A row of requests all with status 200 and the same duration, none down. */
  private static StatsRow rowOf(String date, long requests, int downMinutes, long durationMs) {
    return new StatsRow(
        day(date),
        requests,
        0,
        new StatusClasses(0, requests, 0, 0, 0),
        requests * durationMs,
        durationMs,
        durationMs,
        downMinutes);
  }

  private static LocalDate day(String date) {
    return LocalDate.parse(date);
  }

  private static String statsOf(String customer, String query) {
    return "/customers/" + customer + "/stats?" + query;
  }

  private static JsonObject ok(String uri) {
    return ok(api, uri);
  }

  private static JsonObject ok(ApiClient client, String uri) {
    HttpResponse<Buffer> response = client.get(uri);
    assertEquals(200, response.statusCode(), response.bodyAsString());
    return response.bodyAsJsonObject();
  }

  private static HttpResponse<Buffer> reindex(ApiClient client, String body) {
    return client.post("/stats/reindex", "application/json", body);
  }

  private static String range(String start, String end) {
    return new JsonObject().put("start_date", start).put("end_date", end).encode();
  }

  /**
   * Returns once Redis has run every command the verticle behind {@code client} sent for earlier
   * requests, such as a query's indexing request, which the query's answer does not wait for: a
   * read sent after them on the verticle's one connection has been answered.
   */
  private static void afterEarlierRequests(ApiClient client) {
    HttpResponse<Buffer> status = client.get("/status/" + JobIds.newId());
    assertEquals(404, status.statusCode(), status.bodyAsString());
    assertFalse(status.bodyAsString().isEmpty());
  }
}
