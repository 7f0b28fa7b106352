package dev.logmerge.http;

import static dev.logmerge.http.ApiClient.assertProblem;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.logmerge.core.config.LogmergeConfig;
import dev.logmerge.core.job.FailureCode;
import dev.logmerge.core.job.JobFailure;
import dev.logmerge.core.job.JobIds;
import dev.logmerge.core.job.JobResult;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.core.async.AsyncRequestBody;

/**
 * {@code GET /download} with {@code S3_PUBLIC_ENDPOINT} set, over real HTTP: a done job's download
 * is a 307 to a presigned URL on that endpoint, which a plain HTTP client follows to real
 * (embedded) S3; every other answer is the relay's.
 */
@ExtendWith(VertxExtension.class)
class DownloadRedirectApiTest {
  private static final int RESULT_SIZE = 1024 * 1024 + 17;
  private static final byte[] RESULT = LogContent.bytes(RESULT_SIZE);

  private static TestServices services;
  private static ApiClient api;
  private static String publicEndpoint;
  private static final HttpClient noFollow =
      HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
  private static final HttpClient follow =
      HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL).build();

  @BeforeAll
  static void start(Vertx vertx, @TempDir Path s3Dir) {
    services = TestServices.start(vertx, s3Dir, Map.of());
    // the same S3 under another host name than the server's S3_ENDPOINT (127.0.0.1): the URL must
    // name the public one, and S3Proxy checks that the signature covers the Host it receives
    publicEndpoint = "http://localhost:" + services.s3Server.endpoint().getPort();
    LogmergeConfig redirecting = services.configWith(Map.of("S3_PUBLIC_ENDPOINT", publicEndpoint));
    api = services.deployApi(redirecting);
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
  @ValueSource(strings = {"/download/ID", "/download?id=ID"})
  void redirectsADoneJobToAPresignedUrlThatServesTheFileWithTheRelaysHeaders(String template)
      throws Exception {
    String id = api.initiated("2019-08-19", "2019-08-25");
    JobResult result = storeResult("whole-" + id);
    services.complete(id, result);

    var redirect = get(noFollow, api(template.replace("ID", id)), Map.of());

    assertEquals(307, redirect.statusCode());
    assertEquals("no-store", redirect.headers().firstValue("Cache-Control").orElse(null));
    String location = redirect.headers().firstValue("Location").orElseThrow();
    assertTrue(
        location.startsWith(publicEndpoint + "/" + result.bucket() + "/" + result.key() + "?"),
        location);
    assertTrue(location.contains("X-Amz-Expires=300"), location);

    var file = get(noFollow, URI.create(location), Map.of());

    assertEquals(200, file.statusCode(), new String(file.body()));
    assertArrayEquals(RESULT, file.body());
    // the same media type; S3Proxy's Jetty drops the optional space before the parameter
    assertEquals(
        "text/plain;charset=utf-8",
        file.headers().firstValue("Content-Type").orElseThrow().replace(" ", ""));
    assertEquals(
        "attachment; filename=\"logs_2019-08-19_2019-08-25.log\"",
        file.headers().firstValue("Content-Disposition").orElse(null));
    assertEquals(result.etag(), file.headers().firstValue("ETag").orElse(null));
    assertEquals(
        String.valueOf(RESULT_SIZE), file.headers().firstValue("Content-Length").orElse(null));
  }

  @Test
  void aClientThatFollowsRedirectsGetsTheSameBytesAsFromTheRelay() throws Exception {
    String id = doneJob();

    var response = get(follow, api("/download/" + id), Map.of());

    assertEquals(200, response.statusCode());
    assertArrayEquals(RESULT, response.body());
    assertFalse(
        response.uri().toString().startsWith(api("/").toString()),
        "the bytes came from S3, not through the server: " + response.uri());
  }

  @Test
  void aRangeIsRedirectedAndServedByS3() throws Exception {
    String id = doneJob();

    var redirect = get(noFollow, api("/download/" + id), Map.of("Range", "bytes=10-99"));
    var slice = get(follow, api("/download/" + id), Map.of("Range", "bytes=10-99"));

    assertEquals(307, redirect.statusCode());
    assertEquals(206, slice.statusCode());
    assertEquals(
        "bytes 10-99/" + RESULT_SIZE, slice.headers().firstValue("Content-Range").orElse(null));
    assertArrayEquals(Arrays.copyOfRange(RESULT, 10, 100), slice.body());
  }

  @Test
  void answersWhatTheRelayAnswersFor304And416AndHead() {
    JobResult result = storeResult("conditional-" + JobIds.newId());
    String id = services.doneJob(api, result);
    String etag = result.etag();
    String path = "/download/" + id;

    HttpResponse<Buffer> notModified =
        api.send(HttpMethod.GET, path, headers("If-None-Match", etag));
    HttpResponse<Buffer> outside =
        api.send(HttpMethod.GET, path, headers("Range", "bytes=" + RESULT_SIZE + "-"));
    HttpResponse<Buffer> head = api.head(path);

    assertEquals(304, notModified.statusCode());
    assertEquals(etag, notModified.getHeader("ETag"));
    assertNull(notModified.getHeader("Location"));
    assertProblem(outside, 416, "range-not-satisfiable", path, String.valueOf(RESULT_SIZE));
    assertEquals(200, head.statusCode(), "HEAD sends no body, so nothing to redirect");
    assertEquals(String.valueOf(RESULT_SIZE), head.getHeader("Content-Length"));
    assertEquals("text/plain; charset=utf-8", head.getHeader("Content-Type"));
    assertNull(head.getHeader("Location"));
  }

  @Test
  void sendsEvenAClientThatAcceptsGzipToTheStoredBytes() throws Exception {
    JobResult result = storeResult("gzip-" + JobIds.newId());
    String id = services.doneJob(api, result);
    Map<String, String> gzip = Map.of("Accept-Encoding", "gzip");

    var redirect = get(noFollow, api("/download/" + id), gzip);
    var file = get(follow, api("/download/" + id), gzip);
    HttpResponse<Buffer> head =
        api.send(HttpMethod.HEAD, "/download/" + id, headers("Accept-Encoding", "gzip"));

    assertEquals(307, redirect.statusCode());
    assertTrue(redirect.headers().firstValue("Vary").isEmpty(), "the answer does not vary");
    assertEquals(200, file.statusCode());
    assertTrue(file.headers().firstValue("Content-Encoding").isEmpty());
    assertArrayEquals(RESULT, file.body());
    assertEquals(200, head.statusCode());
    assertNull(
        head.getHeader("Content-Encoding"), "HEAD tells what S3 will send: the stored bytes");
    assertEquals(result.etag(), head.getHeader("ETag"));
    assertEquals(String.valueOf(RESULT_SIZE), head.getHeader("Content-Length"));
  }

  @Test
  void answersPendingFailedAndGoneJobsAsWithoutRedirects() throws Exception {
    String queued = api.initiated("2019-08-19", "2019-08-25");
    var pending = get(noFollow, api("/download/" + queued), Map.of());
    assertEquals(202, pending.statusCode());
    assertTrue(pending.headers().firstValue("Location").isEmpty());

    services.fail(queued, new JobFailure(FailureCode.NO_INPUT, "no file in the range"));
    assertProblem(
        api.get("/download/" + queued), 404, "job-failed", "/download/" + queued, "no file");

    String gone = api.initiated("2019-08-19", "2019-08-25");
    services.complete(
        gone, new JobResult(services.config.resultsBucket(), "gone-" + gone, 10, "\"0123\""));
    var expired = get(noFollow, api("/download/" + gone), Map.of());
    assertEquals(404, expired.statusCode(), "not a redirect to S3's own 404");
    assertProblem(api.get("/download/" + gone), 404, "result-expired", "/download/" + gone);

    String unknown = JobIds.newId();
    assertProblem(
        api.get("/download/" + unknown), 404, "job-not-found", "/download/" + unknown, unknown);
  }

  private static java.net.http.HttpResponse<byte[]> get(
      HttpClient client, URI uri, Map<String, String> headers)
      throws IOException, InterruptedException {
    HttpRequest.Builder request = HttpRequest.newBuilder(uri).GET();
    headers.forEach(request::header);
    return client.send(request.build(), java.net.http.HttpResponse.BodyHandlers.ofByteArray());
  }

  private static URI api(String path) {
    return URI.create("http://127.0.0.1:" + api.port() + path);
  }

  private static String doneJob() {
    return services.doneJob(api, storeResult("result-" + JobIds.newId()));
  }

  private static JobResult storeResult(String key) {
    return services.storeResult(key, AsyncRequestBody.fromBytes(RESULT));
  }

  private static MultiMap headers(String name, String value) {
    return MultiMap.caseInsensitiveMultiMap().add(name, value);
  }
}
