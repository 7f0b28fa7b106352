package dev.logmerge.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.logmerge.core.config.LogmergeConfig;
import dev.logmerge.core.s3.S3PresignerFactory;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.presigner.PresignedRequest;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/** The requests made for presigned URLs (no network: presigning is local). */
class ResultFetcherTest {
  @Test
  void usesTlsOnPort443ForAnHttpsEndpoint() {
    RequestOptions options = requestFor(Map.of("S3_ENDPOINT", "https://s3.example.com"));

    assertTrue(options.isSsl());
    assertEquals(443, options.getPort());
    assertEquals("s3.example.com", options.getHost());
    assertTrue(options.getURI().startsWith("/merged/result.log?"), options.getURI());
  }

  @Test
  void usesTlsToAwsWhenNoEndpointIsConfigured() {
    RequestOptions options = requestFor(Map.of());

    assertTrue(options.isSsl());
    assertTrue(options.getHost().endsWith(".amazonaws.com"), options.getHost());
    assertTrue(
        options.getURI().startsWith("/merged/result.log?"), "path-style: " + options.getURI());
  }

  @Test
  void usesPlainHttpOnTheGivenPortForAnHttpEndpoint() {
    RequestOptions options = requestFor(Map.of("S3_ENDPOINT", "http://127.0.0.1:9000"));

    assertFalse(options.isSsl());
    assertEquals(9000, options.getPort());
    assertEquals(
        "127.0.0.1:9000", options.getHeaders().get("host"), "the signed Host is the one sent");
  }

  @Test
  void sendsTheSignedRange() {
    LogmergeConfig config =
        LogmergeConfig.fromEnvNames(Map.of("S3_ENDPOINT", "http://127.0.0.1:9000"));
    try (S3Presigner presigner = S3PresignerFactory.create(config)) {
      PresignedRequest presigned =
          presigner.presignGetObject(
              p ->
                  p.signatureDuration(Duration.ofMinutes(1))
                      .getObjectRequest(
                          r -> r.bucket("merged").key("result.log").range("bytes=5-9")));

      RequestOptions options =
          ResultFetcher.requestOptions(HttpMethod.GET, presigned, S3FetchSettings.DEFAULTS);

      assertEquals("bytes=5-9", options.getHeaders().get("range"));
      assertTrue(options.getURI().contains("X-Amz-SignedHeaders=host%3Brange"), options.getURI());
    }
  }

  @Test
  void keepsThePresignedSignatureOutOfLogMessages() {
    var timeout =
        new TimeoutException(
            "The timeout period of 15000ms has been exceeded while executing GET"
                + " /merged/x.log?X-Amz-Credential=minio%2F20250101&X-Amz-Signature=abc123 for"
                + " server 127.0.0.1:9000");

    String described = ResultFetcher.describe(timeout);

    assertFalse(described.contains("abc123"), described);
    assertFalse(described.contains("X-Amz-Credential"), described);
    assertTrue(described.contains("/merged/x.log"), described);
  }

  private static RequestOptions requestFor(Map<String, String> env) {
    try (S3Presigner presigner = S3PresignerFactory.create(LogmergeConfig.fromEnvNames(env))) {
      PresignedRequest presigned =
          presigner.presignGetObject(
              p ->
                  p.signatureDuration(Duration.ofMinutes(1))
                      .getObjectRequest(r -> r.bucket("merged").key("result.log")));
      return ResultFetcher.requestOptions(HttpMethod.GET, presigned, S3FetchSettings.DEFAULTS);
    }
  }
}
