package dev.logmerge.core.s3;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.logmerge.core.config.LogmergeConfig;
import dev.logmerge.core.config.Setting;
import dev.logmerge.devservices.EmbeddedS3;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.async.AsyncRequestBody;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;
import software.amazon.awssdk.services.s3.presigner.model.PresignedGetObjectRequest;

/**
 * Presigned URLs against real (embedded) S3Proxy, which checks SigV4 signatures: a plain HTTP
 * client fetches an object with them, whole, by a signed range or by an unsigned one, and a URL
 * signed with the wrong secret is refused.
 */
class S3PresignerFactoryTest {
  private static final String BUCKET = "presigned";
  private static final String KEY = "result-1.log";
  private static final byte[] CONTENT =
      "0123456789abcdefghij\n".repeat(1000).getBytes(StandardCharsets.US_ASCII);
  private static final Duration VALID_FOR = Duration.ofMinutes(5);

  private static EmbeddedS3 server;
  private static LogmergeConfig config;
  private static S3Presigner presigner;
  private static final HttpClient http = HttpClient.newHttpClient();

  @BeforeAll
  static void startS3(@TempDir Path dir) {
    server = EmbeddedS3.start(dir, 0, "minio", "minio123");
    config = LogmergeConfig.fromEnvNames(Map.of("S3_ENDPOINT", server.endpoint().toString()));
    try (S3AsyncClient s3 = S3ClientFactory.create(config)) {
      s3.createBucket(b -> b.bucket(BUCKET)).join();
      s3.putObject(b -> b.bucket(BUCKET).key(KEY), AsyncRequestBody.fromBytes(CONTENT)).join();
    }
    presigner = S3PresignerFactory.create(config);
  }

  @AfterAll
  static void stopS3() {
    presigner.close();
    server.close();
  }

  @Test
  void presignsAPathStyleUrlToTheConfiguredEndpoint() {
    URI url = URI.create(presignGet(null).url().toString());

    assertEquals(server.endpoint().getHost(), url.getHost());
    assertEquals(server.endpoint().getPort(), url.getPort());
    assertEquals("/" + BUCKET + "/" + KEY, url.getPath());
    assertTrue(url.getQuery().contains("X-Amz-Signature="), url.toString());
  }

  @Test
  void fetchesTheWholeObjectWithAPresignedGet() throws Exception {
    HttpResponse<byte[]> response = send(presignGet(null), Map.of());

    assertEquals(200, response.statusCode());
    assertArrayEquals(CONTENT, response.body());
  }

  @Test
  void fetchesASliceWithTheRangeSignedIntoTheUrl() throws Exception {
    PresignedGetObjectRequest presigned = presignGet("bytes=10-29");
    assertTrue(
        presigned.signedHeaders().containsKey("range"), presigned.signedHeaders().toString());

    HttpResponse<byte[]> response = send(presigned, Map.of("Range", "bytes=10-29"));

    assertEquals(206, response.statusCode());
    assertEquals(
        "bytes 10-29/" + CONTENT.length,
        response.headers().firstValue("Content-Range").orElseThrow());
    assertArrayEquals(Arrays.copyOfRange(CONTENT, 10, 30), response.body());
  }

  @Test
  void fetchesASliceWithAnUnsignedRangeHeader() throws Exception {
    HttpResponse<byte[]> response = send(presignGet(null), Map.of("Range", "bytes=-5"));

    assertEquals(206, response.statusCode());
    assertArrayEquals(
        Arrays.copyOfRange(CONTENT, CONTENT.length - 5, CONTENT.length), response.body());
  }

  @Test
  void answersAHeadWithThePresignedHead() throws Exception {
    var presigned =
        presigner.presignHeadObject(
            p -> p.signatureDuration(VALID_FOR).headObjectRequest(r -> r.bucket(BUCKET).key(KEY)));
    HttpRequest head =
        HttpRequest.newBuilder(URI.create(presigned.url().toString()))
            .method("HEAD", HttpRequest.BodyPublishers.noBody())
            .build();

    HttpResponse<Void> response = http.send(head, HttpResponse.BodyHandlers.discarding());

    assertEquals(200, response.statusCode());
    assertEquals(
        String.valueOf(CONTENT.length),
        response.headers().firstValue("Content-Length").orElseThrow());
  }

  @Test
  void refusesAUrlSignedWithAnotherSecret() throws Exception {
    LogmergeConfig wrongSecret =
        LogmergeConfig.fromEnvNames(Map.of("S3_SECRET_KEY", "not-the-secret"))
            .with(Setting.S3_ENDPOINT, server.endpoint().toString());
    try (S3Presigner impostor = S3PresignerFactory.create(wrongSecret)) {
      var presigned =
          impostor.presignGetObject(
              p -> p.signatureDuration(VALID_FOR).getObjectRequest(r -> r.bucket(BUCKET).key(KEY)));

      assertEquals(403, send(presigned, Map.of()).statusCode());
    }
  }

  @Test
  void answers404ForAMissingObject() throws Exception {
    var presigned =
        presigner.presignGetObject(
            p ->
                p.signatureDuration(VALID_FOR)
                    .getObjectRequest(r -> r.bucket(BUCKET).key("no-such-key")));

    assertEquals(404, send(presigned, Map.of()).statusCode());
  }

  private static PresignedGetObjectRequest presignGet(String range) {
    return presigner.presignGetObject(
        p ->
            p.signatureDuration(VALID_FOR)
                .getObjectRequest(r -> r.bucket(BUCKET).key(KEY).range(range)));
  }

  private static HttpResponse<byte[]> send(
      PresignedGetObjectRequest presigned, Map<String, String> headers)
      throws IOException, InterruptedException {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(presigned.url().toString()));
    headers.forEach(request::header);
    return http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
  }
}
