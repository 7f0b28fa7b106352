package dev.logmerge.http;

import static dev.logmerge.http.TestServices.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.logmerge.core.job.JobIds;
import dev.logmerge.core.job.JobResult;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.GZIPInputStream;
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
 * {@code GET /download} of a done job with {@code Accept-Encoding}, over real HTTP from real
 * (embedded) S3: a client that accepts gzip gets the file gzip-encoded, with a tag of its own, and
 * every header and conditional answer stays true of the form it gets.
 */
@ExtendWith(VertxExtension.class)
class DownloadGzipApiTest {
  /** Several S3 chunks, so the encoder sees a body in pieces. */
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
        "gzip",
        "gzip, deflate, br, zstd",
        "br;q=1.0, gzip;q=0.8, *;q=0.1",
        "deflate, GZIP;q=0.001",
        "x-gzip",
        "*",
        "identity;q=0.5, *"
      })
  void sendsTheFileGzipEncodedToAClientThatAcceptsGzip(String acceptEncoding) throws IOException {
    JobResult result = storeResult("gzip-" + JobIds.newId());
    String id = services.doneJob(api, result);

    HttpResponse<Buffer> response = download(HttpMethod.GET, id, "Accept-Encoding", acceptEncoding);

    assertEquals(200, response.statusCode());
    assertEquals("gzip", response.getHeader("Content-Encoding"));
    assertEquals("Accept-Encoding", response.getHeader("Vary"));
    assertEquals("chunked", response.getHeader("Transfer-Encoding"));
    assertNull(
        response.getHeader("Content-Length"), "the compressed length is known only at the end");
    assertEquals("text/plain; charset=utf-8", response.getHeader("Content-Type"));
    assertEquals(
        "attachment; filename=\"logs_2019-08-19_2019-08-25.log\"",
        response.getHeader("Content-Disposition"));
    assertEquals(gzipTagOf(result), response.getHeader("ETag"));
    byte[] compressed = response.body().getBytes();
    assertTrue(
        compressed.length < RESULT_SIZE / 3, "compressed to " + compressed.length + " bytes");
    assertArrayEquals(RESULT, gunzip(compressed));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"", "identity", "gzip;q=0", "gzip;q=0.000, *", "*;q=0", "br, deflate", "gzip;q=x"})
  void sendsTheStoredBytesToAClientThatDoesNotAcceptGzip(String acceptEncoding) {
    JobResult result = storeResult("plain-" + JobIds.newId());
    String id = services.doneJob(api, result);

    HttpResponse<Buffer> response =
        acceptEncoding.isEmpty()
            ? api.get("/download/" + id)
            : download(HttpMethod.GET, id, "Accept-Encoding", acceptEncoding);

    assertEquals(200, response.statusCode());
    assertNull(response.getHeader("Content-Encoding"));
    assertEquals("Accept-Encoding", response.getHeader("Vary"), "the answer depends on it");
    assertEquals(String.valueOf(RESULT_SIZE), response.getHeader("Content-Length"));
    assertEquals(result.etag(), response.getHeader("ETag"));
    assertArrayEquals(RESULT, response.body().getBytes());
  }

  @Test
  void answersHeadWithTheHeadersOfTheGzipGetAndNoBody() {
    String id = doneJob();

    HttpResponse<Buffer> get = download(HttpMethod.GET, id, "Accept-Encoding", "gzip");
    HttpResponse<Buffer> head = download(HttpMethod.HEAD, id, "Accept-Encoding", "gzip");

    assertEquals(200, head.statusCode());
    assertNull(head.body());
    Map<String, String> getHeaders = headersOf(get);
    // framing, not the representation: a HEAD answer has no body to frame (RFC 9112 §6.1)
    assertEquals("chunked", getHeaders.remove("transfer-encoding"));
    assertEquals(getHeaders, headersOf(head));
    assertEquals("gzip", head.getHeader("Content-Encoding"));
  }

  @Test
  void givesEachFormItsOwnTagAndAnswers304OnlyForTheFormTheClientHas() throws IOException {
    JobResult result = storeResult("tags-" + JobIds.newId());
    String id = services.doneJob(api, result);
    String gzipTag = download(HttpMethod.GET, id, "Accept-Encoding", "gzip").getHeader("ETag");
    String identityTag = api.get("/download/" + id).getHeader("ETag");
    assertNotEquals(identityTag, gzipTag);
    assertEquals(result.etag(), identityTag);

    HttpResponse<Buffer> gzipCurrent =
        download(HttpMethod.GET, id, "Accept-Encoding", "gzip", "If-None-Match", gzipTag);
    HttpResponse<Buffer> plainWithGzipTag = download(HttpMethod.GET, id, "If-None-Match", gzipTag);
    HttpResponse<Buffer> gzipWithPlainTag =
        download(HttpMethod.GET, id, "Accept-Encoding", "gzip", "If-None-Match", identityTag);
    HttpResponse<Buffer> plainCurrent = download(HttpMethod.GET, id, "If-None-Match", identityTag);

    assertEquals(304, gzipCurrent.statusCode());
    assertEquals(gzipTag, gzipCurrent.getHeader("ETag"));
    assertEquals("Accept-Encoding", gzipCurrent.getHeader("Vary"));
    assertNull(gzipCurrent.body());
    assertEquals(200, plainWithGzipTag.statusCode(), "the client's gzip copy is not this form");
    assertArrayEquals(RESULT, plainWithGzipTag.body().getBytes());
    assertEquals(200, gzipWithPlainTag.statusCode(), "the client's plain copy is not this form");
    assertEquals(gzipTag, gzipWithPlainTag.getHeader("ETag"));
    assertArrayEquals(RESULT, gunzip(gzipWithPlainTag.body().getBytes()));
    assertEquals(304, plainCurrent.statusCode());
    assertEquals(identityTag, plainCurrent.getHeader("ETag"));
    assertEquals("Accept-Encoding", plainCurrent.getHeader("Vary"));
  }

  @Test
  void servesARangeFromTheStoredBytesEvenWhenGzipIsAccepted() {
    JobResult result = storeResult("range-" + JobIds.newId());
    String id = services.doneJob(api, result);

    HttpResponse<Buffer> slice =
        download(HttpMethod.GET, id, "Accept-Encoding", "gzip", "Range", "bytes=100-199");
    HttpResponse<Buffer> resumed =
        download(
            HttpMethod.GET,
            id,
            "Accept-Encoding",
            "gzip",
            "Range",
            "bytes=100-",
            "If-Range",
            result.etag());
    HttpResponse<Buffer> headSlice =
        download(HttpMethod.HEAD, id, "Accept-Encoding", "gzip", "Range", "bytes=0-9");

    assertEquals(206, slice.statusCode());
    assertNull(slice.getHeader("Content-Encoding"));
    assertEquals("bytes 100-199/" + RESULT_SIZE, slice.getHeader("Content-Range"));
    assertEquals("100", slice.getHeader("Content-Length"));
    assertEquals(result.etag(), slice.getHeader("ETag"));
    assertEquals("Accept-Encoding", slice.getHeader("Vary"));
    assertArrayEquals(Arrays.copyOfRange(RESULT, 100, 200), slice.body().getBytes());
    assertEquals(206, resumed.statusCode());
    assertArrayEquals(Arrays.copyOfRange(RESULT, 100, RESULT_SIZE), resumed.body().getBytes());
    assertEquals(206, headSlice.statusCode());
    assertNull(headSlice.getHeader("Content-Encoding"));
    assertEquals("10", headSlice.getHeader("Content-Length"));
  }

  @Test
  void ignoresARangeUnderAnIfRangeOfTheGzipTagAndSendsTheWholeFileGzipped() throws IOException {
    JobResult result = storeResult("if-range-" + JobIds.newId());
    String id = services.doneJob(api, result);

    HttpResponse<Buffer> response =
        download(
            HttpMethod.GET,
            id,
            "Accept-Encoding",
            "gzip",
            "Range",
            "bytes=100-",
            "If-Range",
            gzipTagOf(result));

    assertEquals(200, response.statusCode(), "a weak tag never validates a range");
    assertEquals("gzip", response.getHeader("Content-Encoding"));
    assertNull(response.getHeader("Content-Range"));
    assertArrayEquals(RESULT, gunzip(response.body().getBytes()));
  }

  @Test
  void answers416ForARangeOutsideTheFileWhateverTheEncoding() {
    String id = doneJob();

    HttpResponse<Buffer> response =
        download(
            HttpMethod.GET, id, "Accept-Encoding", "gzip", "Range", "bytes=" + RESULT_SIZE + "-");

    ApiClient.assertProblem(
        response, 416, "range-not-satisfiable", "/download/" + id, String.valueOf(RESULT_SIZE));
    assertNull(response.getHeader("Content-Encoding"));
  }

  @Test
  void streamsALargeResultGzippedToAClientThatReadsSlowly(Vertx vertx, @TempDir Path dir)
      throws Exception {
    Path file = dir.resolve("large.log");
    long size = 50L * 1024 * 1024;
    byte[] expectedDigest = LogContent.writeFile(file, size);
    String id =
        services.doneJob(api, services.storeResult("large", AsyncRequestBody.fromFile(file)));

    Buffer compressed = Buffer.buffer();
    await(
        api.stream(
            "/download/" + id,
            Map.of("Accept-Encoding", "gzip"),
            response -> {
              assertEquals(200, response.statusCode());
              assertEquals("gzip", response.getHeader("Content-Encoding"));
              // stall first: the server's write queue fills and the S3 read waits for the drain
              response.pause();
              vertx.setTimer(500, t -> response.resume());
              response.handler(compressed::appendBuffer);
            }));

    assertTrue(compressed.length() < size / 3, "compressed to " + compressed.length() + " bytes");
    assertArrayEquals(expectedDigest, sha256OfGunzipped(compressed.getBytes()));
  }

  private static HttpResponse<Buffer> download(HttpMethod method, String id, String... headers) {
    MultiMap map = MultiMap.caseInsensitiveMultiMap();
    for (int i = 0; i < headers.length; i += 2) {
      map.add(headers[i], headers[i + 1]);
    }
    return api.send(method, "/download/" + id, map);
  }

  private static Map<String, String> headersOf(HttpResponse<Buffer> response) {
    Map<String, String> headers = new TreeMap<>();
    response.headers().forEach(h -> headers.put(h.getKey().toLowerCase(Locale.ROOT), h.getValue()));
    return headers;
  }

  private static String gzipTagOf(JobResult result) {
    String quoted = result.etag().startsWith("\"") ? result.etag() : "\"" + result.etag() + "\"";
    return "W/" + quoted.substring(0, quoted.length() - 1) + "-gzip\"";
  }

  private static String doneJob() {
    return services.doneJob(api, storeResult("result-" + JobIds.newId()));
  }

  private static JobResult storeResult(String key) {
    return services.storeResult(key, AsyncRequestBody.fromBytes(RESULT));
  }

  private static byte[] gunzip(byte[] compressed) throws IOException {
    try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(compressed))) {
      return in.readAllBytes();
    }
  }

  private static byte[] sha256OfGunzipped(byte[] compressed) throws IOException {
    MessageDigest sha256 = LogContent.sha256();
    byte[] buffer = new byte[64 * 1024];
    try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(compressed))) {
      for (int n; (n = in.read(buffer)) > 0; ) {
        sha256.update(buffer, 0, n);
      }
    }
    return sha256.digest();
  }
}
