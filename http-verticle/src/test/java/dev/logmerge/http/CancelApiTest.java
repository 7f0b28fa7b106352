package dev.logmerge.http;

import static dev.logmerge.http.ApiClient.assertProblem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.logmerge.core.job.FailureCode;
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
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.async.AsyncRequestBody;

/**
 * {@code DELETE /download/{id}} over real HTTP against the real job store: what it answers in each
 * state, and what {@code /download} and {@code /status} say afterwards. (That the worker stops and
 * leaves nothing behind is shown end to end in the launcher's tests.)
 */
@ExtendWith(VertxExtension.class)
class CancelApiTest {
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

  @Test
  void cancelsAQueuedJobAndThenAnswers410ForItsDownload() {
    String id = api.initiated("2019-08-19", "2019-08-25");

    HttpResponse<Buffer> cancelled = delete(id);
    assertEquals(200, cancelled.statusCode(), cancelled.bodyAsString());
    assertEquals("no-store", cancelled.getHeader("Cache-Control"));
    JsonObject job = cancelled.bodyAsJsonObject();
    assertEquals(id, job.getString("download_id"));
    assertEquals("CANCELLED", job.getString("state"));
    assertTrue(job.containsKey("cancelled_at"), job.encode());

    JsonObject gone =
        assertProblem(api.get("/download/" + id), 410, "job-cancelled", "/download/" + id, id);
    assertEquals(job.getString("cancelled_at"), gone.getString("cancelled_at"));
    assertProblem(api.get("/download?id=" + id), 410, "job-cancelled", "/download", id);
    JsonObject status = api.get("/status/" + id).bodyAsJsonObject();
    assertEquals("CANCELLED", status.getString("state"));
    assertEquals(job.getString("cancelled_at"), status.getString("cancelled_at"));
    assertEquals("CANCELLED", services.jobHash(id).get("state"));
  }

  @Test
  void cancelsARunningJobAndCancellingAgainChangesNothing() {
    String id = api.initiated("2019-08-19", "2019-08-25");
    services.claim(id);

    JsonObject first = delete(id).bodyAsJsonObject();
    assertEquals("CANCELLED", first.getString("state"));
    HttpResponse<Buffer> again = delete(id);
    assertEquals(200, again.statusCode());
    assertEquals(first, again.bodyAsJsonObject(), "the same job, unchanged");
  }

  @Test
  void aFinishedJobAnswers409AndStaysAsItWas() {
    JobResult result =
        services.storeResult("cancel-" + JobIds.newId(), AsyncRequestBody.fromString("a\nb\n"));
    String done = services.doneJob(api, result);
    Map<String, String> before = services.jobHash(done);
    JsonObject problem =
        assertProblem(delete(done), 409, "job-finished", "/download/" + done, "DONE");
    assertEquals("DONE", problem.getString("state"));
    assertEquals(before, services.jobHash(done));
    assertEquals(200, api.get("/download/" + done).statusCode());

    String failed = api.initiated("2019-08-19", "2019-08-25");
    services.fail(failed, new JobFailure(FailureCode.NO_INPUT, "nothing there"));
    assertProblem(delete(failed), 409, "job-finished", "/download/" + failed, "FAILED");
    assertEquals("FAILED", services.jobHash(failed).get("state"));
  }

  @Test
  void anUnknownIdAnswers404AndAMalformedOne400() {
    String unknown = JobIds.newId();
    assertProblem(delete(unknown), 404, "job-not-found", "/download/" + unknown, unknown);
    assertProblem(delete("not-a-uuid"), 400, "invalid-request", "/download/not-a-uuid");
    assertEquals(0, services.jobKeys().size(), "nothing written");
  }

  private static HttpResponse<Buffer> delete(String id) {
    return api.send(HttpMethod.DELETE, "/download/" + id, MultiMap.caseInsensitiveMultiMap());
  }
}
