package dev.logmerge.http;

import static dev.logmerge.http.ApiClient.assertProblem;
import static dev.logmerge.http.TestServices.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.logmerge.core.bus.Addresses;
import dev.logmerge.core.job.JobIds;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
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
 * {@code POST /initiate} over real HTTP against real Redis: what is accepted, and what is refused
 * and why.
 */
@ExtendWith(VertxExtension.class)
class InitiateApiTest {
  private static final int MAX_RANGE_DAYS = 31;

  private static TestServices services;
  private static ApiClient api;

  @BeforeAll
  static void start(Vertx vertx, @TempDir Path s3Dir) {
    services =
        TestServices.start(
            vertx, s3Dir, Map.of("MAX_RANGE_DAYS", Integer.toString(MAX_RANGE_DAYS)));
    api = services.deployApi(services.config);
  }

  @AfterAll
  static void stop() {
    services.close();
  }

  @BeforeEach
  void emptyRedis() {
    services.flushRedis();
  }

  @Test
  void acceptsARangeWith201LocationAndAQueuedJobAndWakesTheMergeVerticles(Vertx vertx) {
    Promise<String> published = Promise.promise();
    MessageConsumer<String> consumer =
        vertx
            .eventBus()
            .consumer(Addresses.JOB_QUEUED, message -> published.tryComplete(message.body()));
    await(consumer.completion());
    try {
      HttpResponse<Buffer> response = api.initiate("2019-08-19", "2019-08-25");

      assertEquals(201, response.statusCode(), response.bodyAsString());
      assertEquals("application/json", response.getHeader("Content-Type"));
      String id = response.bodyAsJsonObject().getString("download_id");
      assertTrue(JobIds.isValid(id), id);
      assertEquals(Map.of("download_id", id), response.bodyAsJsonObject().getMap());
      assertEquals("/download/" + id, response.getHeader("Location"));

      Map<String, String> job = services.jobHash(id);
      assertEquals("QUEUED", job.get("state"));
      assertEquals("2019-08-19", job.get("start_date"));
      assertEquals("2019-08-25", job.get("end_date"));
      assertEquals(id, await(published.future()));
    } finally {
      await(consumer.unregister());
    }
  }

  @Test
  void acceptsACharsetParameterOnTheJsonContentType() {
    HttpResponse<Buffer> response =
        api.post(
            "/initiate",
            "application/json; charset=UTF-8",
            "{\"start_date\":\"2019-08-19\",\"end_date\":\"2019-08-19\"}");
    assertEquals(201, response.statusCode(), response.bodyAsString());
  }

  @Test
  void acceptsARangeOfExactlyTheMaximumLength() {
    // 2019-08-01 .. 2019-08-31 is 31 days, both ends included
    assertEquals(201, api.initiate("2019-08-01", "2019-08-31").statusCode());
    assertEquals(1, services.jobKeys().size());
  }

  @Test
  void acceptsALeapDay() {
    assertEquals(201, api.initiate("2020-02-29", "2020-03-01").statusCode());
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '`',
      value = {
        "malformed JSON              | {\"start_date\": \"2019-08-19\",                  | request"
            + " body: | malformed JSON",
        "array body                  | [\"2019-08-19\", \"2019-08-25\"]                  | request"
            + " body: | got an array",
        "string body                 | \"2019-08-19\"                                    | request"
            + " body: | got a string",
        "null body                   | null                                              | request"
            + " body: | got null",
        "missing end_date            | {\"start_date\": \"2019-08-19\"}                  |"
            + " end_date:     | missing",
        "missing both                | {}                                                |"
            + " start_date:   | end_date: missing",
        "null start_date             | {\"start_date\": null, \"end_date\": \"2019-08-25\"} |"
            + " start_date: | got null",
        "number end_date             | {\"start_date\": \"2019-08-19\", \"end_date\": 20190825} |"
            + " end_date: | got 20190825",
        "extra field                 | {\"start_date\": \"2019-08-19\", \"end_date\":"
            + " \"2019-08-25\", \"bucket\": \"x\"} | bucket: | unexpected field",
        "month without leading zero  | {\"start_date\": \"2019-8-1\", \"end_date\": \"2019-08-25\"}"
            + " | start_date: | got \"2019-8-1\"",
        "day that does not exist     | {\"start_date\": \"2019-02-01\", \"end_date\":"
            + " \"2019-02-30\"} | end_date: | got \"2019-02-30\"",
        "date-time instead of date   | {\"start_date\": \"2019-08-19T00:00:00\", \"end_date\":"
            + " \"2019-08-25\"} | start_date: | YYYY-MM-DD",
        "signed year                 | {\"start_date\": \"+2019-08-19\", \"end_date\":"
            + " \"2019-08-25\"} | start_date: | got \"+2019-08-19\"",
        "leading space               | {\"start_date\": \" 2019-08-19\", \"end_date\":"
            + " \"2019-08-25\"} | start_date: | YYYY-MM-DD",
        "start after end             | {\"start_date\": \"2019-08-26\", \"end_date\":"
            + " \"2019-08-25\"} | end_date: | on or after start_date",
        "range one day too long      | {\"start_date\": \"2019-08-01\", \"end_date\":"
            + " \"2019-09-01\"} | end_date: | 32 days; at most 31",
      })
  void rejectsWith400NamingTheFieldAndCreatesNoJob(
      String description, String body, String field, String reason) {
    HttpResponse<Buffer> response = api.postJson(body);

    assertProblem(response, 400, "invalid-request", "/initiate", field, reason);
    assertEquals(List.of(), services.jobKeys(), description + " must not create a job");
  }

  @Test
  void rejectsAnEmptyBodyWith400() {
    assertProblem(
        api.postJson(null), 400, "invalid-request", "/initiate", "request body:", "empty body");
    assertEquals(List.of(), services.jobKeys());
  }

  @Test
  void namesTheExpectedDateFormInTheDetail() {
    assertProblem(
        api.initiate("2019-08-19", "2019-02-30"),
        400,
        "invalid-request",
        "/initiate",
        "end_date: expected a calendar date in the form YYYY-MM-DD, got \"2019-02-30\"");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "text/plain",
        "application/x-www-form-urlencoded",
        "application/jsonx",
        "application/problem+json"
      })
  void rejectsOtherContentTypesWith415(String contentType) {
    HttpResponse<Buffer> response =
        api.post(
            "/initiate",
            contentType,
            "{\"start_date\":\"2019-08-19\",\"end_date\":\"2019-08-25\"}");

    assertProblem(response, 415, "unsupported-media-type", "/initiate", "application/json");
    assertEquals(List.of(), services.jobKeys());
  }

  @Test
  void rejectsAMissingContentTypeWith415() {
    HttpResponse<Buffer> response =
        api.post("/initiate", null, "{\"start_date\":\"2019-08-19\",\"end_date\":\"2019-08-25\"}");

    assertProblem(response, 415, "unsupported-media-type", "/initiate", "no Content-Type");
    assertEquals(List.of(), services.jobKeys());
  }

  @Test
  void rejectsABodyOverTheLimitWith413() {
    String padding = " ".repeat(JsonBody.MAX_BYTES);
    HttpResponse<Buffer> response =
        api.postJson("{\"start_date\":\"2019-08-19\",\"end_date\":\"2019-08-25\"}" + padding);

    assertProblem(
        response, 413, "payload-too-large", "/initiate", String.valueOf(JsonBody.MAX_BYTES));
    assertEquals(List.of(), services.jobKeys());
  }

  @Test
  void refusesANewJobWith503AndRetryAfterWhenTheQueueIsFull(Vertx vertx) {
    ApiClient limited = services.deployApi(services.configWith(Map.of("MAX_QUEUED_JOBS", "2")));
    assertEquals(201, limited.initiate("2019-08-19", "2019-08-25").statusCode());
    assertEquals(201, limited.initiate("2019-08-19", "2019-08-25").statusCode());

    HttpResponse<Buffer> third = limited.initiate("2019-08-19", "2019-08-25");

    assertProblem(third, 503, "queue-full", "/initiate", "2 jobs are queued");
    assertTrue(
        Integer.parseInt(third.getHeader("Retry-After")) > 0, third.getHeader("Retry-After"));
    assertEquals(2, services.jobKeys().size());
  }
}
