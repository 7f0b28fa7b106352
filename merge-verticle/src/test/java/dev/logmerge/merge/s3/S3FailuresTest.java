package dev.logmerge.merge.s3;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.logmerge.core.job.FailureCode;
import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.s3.model.S3Exception;

class S3FailuresTest {
  private static final S3Failures S3 = new S3Failures("http://minio:9000", 5);

  @ParameterizedTest
  @CsvSource({
    "500, InternalError",
    "503, SlowDown",
    "503, ServiceUnavailable",
    "429, TooManyRequests",
    "400, RequestTimeout"
  })
  void serverErrorsAndThrottlingAreRetryable(int status, String code) {
    assertTrue(S3Failures.isTransient(s3Error(status, code)));
  }

  @ParameterizedTest
  @CsvSource({
    "403, AccessDenied",
    "404, NoSuchKey",
    "404, NoSuchBucket",
    "412, PreconditionFailed",
    "416, InvalidRange",
    "501, NotImplemented",
    "400, InvalidArgument"
  })
  void clientErrorsAndUnsupportedRequestsAreNot(int status, String code) {
    assertFalse(S3Failures.isTransient(s3Error(status, code)));
  }

  @Test
  void networkFailuresAreRetryableEvenWhenWrapped() {
    assertTrue(
        S3Failures.isTransient(
            new CompletionException(sdk(new ConnectException("Connection refused")))));
    assertTrue(S3Failures.isTransient(sdk(new IOException("Connection reset"))));
    assertTrue(
        S3Failures.isTransient(ApiCallAttemptTimeoutException.builder().message("slow").build()));
    assertFalse(S3Failures.isTransient(new IllegalStateException("a defect")));
  }

  @Test
  void namesTheEndpointAndInputOfAReadFailure() {
    S3IoException refused = S3.reading("2019-08-19_3", sdk(new ConnectException("refused")));
    assertEquals(
        "S3 at http://minio:9000 refused the connection while reading input 2019-08-19_3"
            + " (gave up after 5 attempts)",
        refused.getMessage());
    assertEquals(FailureCode.S3_UNAVAILABLE, refused.code());

    assertEquals(
        "S3 at http://minio:9000 did not answer in time while reading input x (gave up after 5"
            + " attempts)",
        S3.reading("x", sdk(new SocketTimeoutException("read"))).getMessage());
    assertEquals(
        "S3 at http://minio:9000 answered 503 SlowDown while reading input x (gave up after 5"
            + " attempts)",
        S3.reading("x", s3Error(503, "SlowDown")).getMessage());
    assertEquals(
        "S3 at http://minio:9000 dropped the connection (Connection reset) while reading input x"
            + " (gave up after 5 attempts)",
        S3.reading("x", sdk(new IOException("Connection reset"))).getMessage());
  }

  @Test
  void permanentReadFailuresMakeTheInputUnreadable() {
    S3IoException changed = S3.reading("2019-08-19_3", s3Error(412, "PreconditionFailed"));
    assertEquals("input 2019-08-19_3 changed during the merge", changed.getMessage());
    assertEquals(FailureCode.INPUT_UNREADABLE, changed.code());
    assertFalse(changed.isTransient());
    assertEquals(FailureCode.INPUT_UNREADABLE, S3.reading("x", s3Error(404, "NoSuchKey")).code());
    assertEquals(
        "S3 at http://minio:9000 denied access to input x (403 AccessDenied)",
        S3.reading("x", s3Error(403, "AccessDenied")).getMessage());
    assertEquals(
        FailureCode.INTERNAL_ERROR, S3.reading("x", s3Error(400, "InvalidArgument")).code());
  }

  @Test
  void writeFailuresAreTransientOrInternal() {
    assertEquals(
        FailureCode.S3_UNAVAILABLE,
        S3.writing("merged", "k", sdk(new IOException("reset"))).code());
    S3IoException denied = S3.writing("merged", "k", s3Error(403, "AccessDenied"));
    assertEquals(
        "S3 at http://minio:9000 refused to store the result merged/k: 403 AccessDenied",
        denied.getMessage());
    assertEquals(FailureCode.INTERNAL_ERROR, denied.code());
  }

  @Test
  void bucketCreationFailuresNameTheBucket() {
    assertEquals(
        "S3 at http://minio:9000 refused to create bucket merged: 403 AccessDenied",
        S3.creatingBucket("merged", s3Error(403, "AccessDenied")).getMessage());
    S3IoException unreachable = S3.creatingBucket("merged", sdk(new ConnectException("refused")));
    assertEquals(
        "S3 at http://minio:9000 refused the connection while creating bucket merged"
            + " (gave up after 5 attempts)",
        unreachable.getMessage());
    assertTrue(unreachable.isTransient());
  }

  private static SdkClientException sdk(Throwable cause) {
    return SdkClientException.builder()
        .message("Unable to execute HTTP request: " + cause.getMessage())
        .cause(cause)
        .build();
  }

  private static S3Exception s3Error(int status, String code) {
    return (S3Exception)
        S3Exception.builder()
            .statusCode(status)
            .awsErrorDetails(AwsErrorDetails.builder().errorCode(code).errorMessage(code).build())
            .build();
  }
}
