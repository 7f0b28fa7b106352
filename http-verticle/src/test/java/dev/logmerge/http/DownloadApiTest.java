package dev.logmerge.http;

import static dev.logmerge.http.ApiClient.assertProblem;
import static dev.logmerge.http.TestServices.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.logmerge.core.job.FailureCode;
import dev.logmerge.core.job.Job;
import dev.logmerge.core.job.JobFailure;
import dev.logmerge.core.job.JobIds;
import dev.logmerge.core.job.JobResult;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Arrays;
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
import software.amazon.awssdk.core.async.AsyncRequestBody;

/**
 * {@code GET /download} and {@code GET /status} over real HTTP, with jobs driven through their
 * states by the real job store and results stored in real (embedded) S3.
 */
@ExtendWith(VertxExtension.class)
class DownloadApiTest {
  /** Several S3 chunks and several HTTP write-queue fills. */
  private static final int RESULT_SIZE = 3 * 1024 * 1024 + 17;

  private static final byte[] RESULT = LogContent.bytes(RESULT_SIZE);

  private static TestServices services;
  private static ApiClient api;

  @BeforeAll
  static void start(Vertx vertx, @TempDir Path s3Dir) {
    services = TestServices.start(vertx, s3Dir, Map.of());
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

  @ParameterizedTest
  @ValueSource(
      strings = {
        "/download/not-a-uuid",
        "/download/3F1C9A52-7D4E-4B8A-9C0D-2E6F8A1B5C7D",
        "/download?id=not-a-uuid",
        "/download?id=",
        "/download",
        "/status/not-a-uuid"
      })
  void rejectsAMalformedOrMissingIdWith400(String path) {
    assertProblem(
        api.get(path),
        400,
        "invalid-request",
        path.replaceFirst("\\?.*", ""),
        "id: expected a download id");
  }

  @ParameterizedTest
  @ValueSource(strings = {"/download/ID", "/download?id=ID", "/status/ID"})
  void answers404ForAnUnknownId(String template) {
    String id = JobIds.newId();
    String path = template.replace("ID", id);
    assertProblem(api.get(path), 404, "job-not-found", path.replaceFirst("\\?.*", ""), id);
  }

  @Test
  void answers202WithStateProgressAndRetryAfterWhileQueuedAndRunning() {
    String id = api.initiated("2019-08-19", "2019-08-25");
    for (String path : new String[] {"/download/" + id, "/download?id=" + id}) {
      HttpResponse<Buffer> queued = api.get(path);
      assertEquals(202, queued.statusCode(), queued.bodyAsString());
      assertEquals("QUEUED", queued.bodyAsJsonObject().getString("state"));
      assertEquals(id, queued.bodyAsJsonObject().getString("download_id"));
      assertEquals(
          0, queued.bodyAsJsonObject().getJsonObject("progress").getInteger("inputs_total"));
      assertEquals(
          String.valueOf(DownloadHandler.POLL_AFTER_SECONDS), queued.getHeader("Retry-After"));
    }

    services.claim(id);
    HttpResponse<Buffer> running = api.get("/download/" + id);
    assertEquals(202, running.statusCode());
    assertEquals("RUNNING", running.bodyAsJsonObject().getString("state"));
    assertEquals(1, running.bodyAsJsonObject().getInteger("attempts"));
    assertTrue(running.bodyAsJsonObject().containsKey("progress"));
    assertTrue(Integer.parseInt(running.getHeader("Retry-After")) > 0);
  }

  @Test
  void statusAnswers200WithTheJobJsonInEveryState() {
    String id = api.initiated("2019-08-19", "2019-08-25");
    assertEquals("QUEUED", status(id).getString("state"));

    services.claim(id);
    assertEquals("RUNNING", status(id).getString("state"));

    Job done = services.complete(id, storeResult("status-" + id));
    JsonObject json = status(id);
    assertEquals(done.toJson(), json);
    assertEquals("DONE", json.getString("state"));
    assertEquals(RESULT_SIZE, json.getJsonObject("result").getLong("size"));
  }

  @Test
  void anyInstanceAndARestartedOneAnswerForAJob(Vertx vertx) {
    String id = api.initiated("2019-08-19", "2019-08-25");
    HttpDeployment other = services.deployHttp(services.config);

    assertEquals(202, new ApiClient(vertx, other.port()).get("/download/" + id).statusCode());
    await(vertx.undeploy(other.deploymentId()));
    services.complete(id, storeResult("restart-" + id));
    HttpDeployment restarted = services.deployHttp(services.config);
    assertArrayEquals(
        RESULT, new ApiClient(vertx, restarted.port()).get("/download/" + id).body().getBytes());
  }

  @Test
  void streamsADoneResultWholeWithItsHeaders() {
    String id = api.initiated("2019-08-19", "2019-08-25");
    JobResult result = storeResult("whole-" + id);
    services.complete(id, result);

    HttpResponse<Buffer> response = api.get("/download/" + id);

    assertEquals(200, response.statusCode());
    assertArrayEquals(RESULT, response.body().getBytes());
    assertEquals("text/plain; charset=utf-8", response.getHeader("Content-Type"));
    assertEquals(String.valueOf(RESULT_SIZE), response.getHeader("Content-Length"));
    assertEquals(
        "attachment; filename=\"logs_2019-08-19_2019-08-25.log\"",
        response.getHeader("Content-Disposition"));
    assertEquals(result.etag(), response.getHeader("ETag"));
    assertEquals("bytes", response.getHeader("Accept-Ranges"));
    assertNull(response.getHeader("Content-Range"));
    assertArrayEquals(
        RESULT, api.get("/download?id=" + id).body().getBytes(), "the query form answers the same");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "bytes=0-9,      0,   9",
    "bytes=100-,     100, " + (RESULT_SIZE - 1),
    "bytes=-5,       " + (RESULT_SIZE - 5) + ", " + (RESULT_SIZE - 1),
    "bytes=10-99999999999, 10, " + (RESULT_SIZE - 1)
  })
  void answersASingleRangeWith206AndTheRightBytes(String range, int first, int last) {
    String id = doneJob();

    HttpResponse<Buffer> response =
        api.send(HttpMethod.GET, "/download/" + id, headers("Range", range));

    assertEquals(206, response.statusCode(), response.bodyAsString());
    assertEquals(
        "bytes " + first + "-" + last + "/" + RESULT_SIZE, response.getHeader("Content-Range"));
    assertEquals(String.valueOf(last - first + 1), response.getHeader("Content-Length"));
    assertArrayEquals(Arrays.copyOfRange(RESULT, first, last + 1), response.body().getBytes());
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "bytes=" + RESULT_SIZE + "-",
        "bytes=" + (RESULT_SIZE + 10) + "-" + (RESULT_SIZE + 20),
        "bytes=-0"
      })
  void answers416ForARangeOutsideTheFile(String range) {
    String id = doneJob();

    HttpResponse<Buffer> response =
        api.send(HttpMethod.GET, "/download/" + id, headers("Range", range));

    assertProblem(
        response, 416, "range-not-satisfiable", "/download/" + id, String.valueOf(RESULT_SIZE));
    assertEquals("bytes */" + RESULT_SIZE, response.getHeader("Content-Range"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"bytes=0-1,5-6", "bytes=9-3", "items=0-9", "bytes=abc"})
  void ignoresAMultiOrMalformedRangeAndSendsEverything(String range) {
    String id = doneJob();

    HttpResponse<Buffer> response =
        api.send(HttpMethod.GET, "/download/" + id, headers("Range", range));

    assertEquals(200, response.statusCode());
    assertArrayEquals(RESULT, response.body().getBytes());
  }

  @Test
  void answers304WhenTheClientsCopyIsCurrent() {
    String id = doneJob();
    String etag = api.get("/download/" + id).getHeader("ETag");

    HttpResponse<Buffer> response =
        api.send(HttpMethod.GET, "/download/" + id, headers("If-None-Match", etag));

    assertEquals(304, response.statusCode());
    assertEquals(etag, response.getHeader("ETag"));
    assertNull(response.body());
    HttpResponse<Buffer> stale =
        api.send(HttpMethod.GET, "/download/" + id, headers("If-None-Match", "\"other\""));
    assertEquals(200, stale.statusCode());
  }

  @Test
  void answersHeadWithTheHeadersOnly() {
    String id = doneJob();

    HttpResponse<Buffer> whole = api.head("/download/" + id);
    HttpResponse<Buffer> slice =
        api.send(HttpMethod.HEAD, "/download/" + id, headers("Range", "bytes=0-9"));

    assertEquals(200, whole.statusCode());
    assertEquals(String.valueOf(RESULT_SIZE), whole.getHeader("Content-Length"));
    assertEquals("text/plain; charset=utf-8", whole.getHeader("Content-Type"));
    assertNull(whole.body());
    assertEquals(206, slice.statusCode());
    assertEquals("10", slice.getHeader("Content-Length"));
    assertEquals("bytes 0-9/" + RESULT_SIZE, slice.getHeader("Content-Range"));
  }

  @Test
  void answers404ResultExpiredWhenTheResultObjectIsGone() {
    String id = api.initiated("2019-08-19", "2019-08-25");
    services.complete(
        id, new JobResult(services.config.resultsBucket(), "expired-" + id, 10, "\"0123\""));

    HttpResponse<Buffer> response = api.get("/download/" + id);
    HttpResponse<Buffer> head = api.head("/download/" + id);

    assertProblem(response, 404, "result-expired", "/download/" + id);
    assertEquals(404, head.statusCode());
    assertNull(
        response.getHeader("Content-Disposition"),
        "no header of the success answer leaks into the problem");
  }

  @Test
  void answers404ResultExpiredOnceADownloadedResultIsDeletedFromS3() {
    String id = api.initiated("2019-08-19", "2019-08-25");
    JobResult result = storeResult("deleted-" + id);
    services.complete(id, result);
    assertEquals(200, api.get("/download/" + id).statusCode());

    services.s3.deleteObject(b -> b.bucket(result.bucket()).key(result.key())).join();

    assertProblem(
        api.get("/download/" + id),
        404,
        "result-expired",
        "/download/" + id,
        "initiate the job again");
    assertProblem(
        api.send(HttpMethod.GET, "/download/" + id, headers("Range", "bytes=0-9")),
        404,
        "result-expired",
        "/download/" + id);
    assertEquals(404, api.head("/download/" + id).statusCode());
  }

  @ParameterizedTest
  @CsvSource({"NO_INPUT, 404", "S3_UNAVAILABLE, 502", "INPUT_UNREADABLE, 500", "WORKER_LOST, 500"})
  void answersAFailedJobWithAProblemCarryingItsCode(FailureCode code, int status) {
    String id = api.initiated("2019-08-19", "2019-08-25");
    services.fail(id, new JobFailure(code, "what the worker said about " + code.code()));

    JsonObject problem =
        assertProblem(
            api.get("/download/" + id),
            status,
            "job-failed",
            "/download/" + id,
            "what the worker said about " + code.code());

    assertEquals(code.code(), problem.getString("code"));
    assertEquals(
        "FAILED", status(id).getString("state"), "status still answers 200 for a failed job");
  }

  @Test
  void streamsALargeResultCompletelyToAClientThatReadsSlowly(Vertx vertx, @TempDir Path dir)
      throws Exception {
    Path file = dir.resolve("large.log");
    long size = 50L * 1024 * 1024;
    byte[] expectedDigest = LogContent.writeFile(file, size);
    String id =
        services.doneJob(api, services.storeResult("large", AsyncRequestBody.fromFile(file)));

    MessageDigest received = LogContent.sha256();
    long[] count = {0};
    await(
        api.stream(
            "/download/" + id,
            response -> {
              assertEquals(200, response.statusCode());
              assertEquals(String.valueOf(size), response.getHeader("Content-Length"));
              // stall first: the server's write queue fills and the S3 read waits for the drain
              response.pause();
              vertx.setTimer(500, t -> response.resume());
              response.handler(
                  chunk -> {
                    received.update(chunk.getBytes());
                    count[0] += chunk.length();
                  });
            }));

    assertEquals(size, count[0]);
    assertArrayEquals(expectedDigest, received.digest());
  }

  private static String doneJob() {
    return services.doneJob(api, storeResult("result-" + JobIds.newId()));
  }

  private static JobResult storeResult(String key) {
    return services.storeResult(key, AsyncRequestBody.fromBytes(RESULT));
  }

  private static JsonObject status(String id) {
    HttpResponse<Buffer> response = api.get("/status/" + id);
    assertEquals(200, response.statusCode(), response.bodyAsString());
    assertEquals("application/json", response.getHeader("Content-Type"));
    return response.bodyAsJsonObject();
  }

  private static MultiMap headers(String name, String value) {
    return MultiMap.caseInsensitiveMultiMap().add(name, value);
  }
}
