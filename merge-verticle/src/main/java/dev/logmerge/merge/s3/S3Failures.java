package dev.logmerge.merge.s3;

import dev.logmerge.core.job.FailureCode;
import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkServiceException;
import software.amazon.awssdk.services.s3.S3AsyncClient;

/**
 * Classifies failures of the S3 layer: transient ones, worth retrying (and, once retries are
 * exhausted, failing the job with {@code s3-unavailable} so the job can be retried later), versus
 * permanent ones ({@code input-unreadable} for an input that is missing, forbidden, changed or
 * corrupt; {@code internal-error} for anything else), and words them for operators and clients.
 */
public final class S3Failures {
  /** Service error codes that AWS documents as worth retrying, whatever their HTTP status. */
  private static final Set<String> RETRYABLE_ERROR_CODES =
      Set.of(
          "SlowDown",
          "Throttling",
          "ThrottlingException",
          "TooManyRequests",
          "RequestLimitExceeded",
          "RequestTimeout",
          "InternalError",
          "ServiceUnavailable");

  private S3Failures() {}

  /**
   * Whether a failure is transient: S3 unreachable, refusing or dropping connections, timing out,
   * answering 5xx or throttling. Missing, forbidden or changed objects (403, 404, 412) and other
   * client errors are permanent.
   */
  public static boolean isTransient(Throwable failure) {
    Throwable t = unwrap(failure);
    if (t instanceof S3IoException classified) {
      return classified.isTransient();
    }
    if (t instanceof SdkServiceException service) {
      return service.statusCode() >= 500
          || service.statusCode() == 429
          || service.isThrottlingException()
          || RETRYABLE_ERROR_CODES.contains(errorCode(service));
    }
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof IOException
          || c instanceof TimeoutException
          || c instanceof ApiCallAttemptTimeoutException
          || c instanceof ApiCallTimeoutException) {
        return true;
      }
    }
    return false;
  }

  /** The failure of a ranged GET of an input, after the retries of {@code policy}. */
  static S3IoException reading(
      String endpoint, String input, Throwable failure, RetryPolicy policy) {
    Throwable t = unwrap(failure);
    S3IoException known = classifiedOrTransient(endpoint, t, "reading input " + input, policy);
    if (known != null) {
      return known;
    }
    if (t instanceof SdkServiceException service) {
      return switch (service.statusCode()) {
        case 412 -> changed(input, t);
        case 404 ->
            new S3IoException(
                FailureCode.INPUT_UNREADABLE,
                "input " + input + " was deleted during the merge",
                t);
        case 403 ->
            new S3IoException(
                FailureCode.INPUT_UNREADABLE,
                "S3 at "
                    + endpoint
                    + " denied access to input "
                    + input
                    + " ("
                    + status(service)
                    + ")",
                t);
        default ->
            new S3IoException(
                FailureCode.INTERNAL_ERROR,
                "S3 at " + endpoint + " refused to read input " + input + ": " + status(service),
                t);
      };
    }
    return new S3IoException(
        FailureCode.INTERNAL_ERROR, "reading input " + input + " failed: " + describe(t), t);
  }

  /** The input no longer is the object that was listed, so its bytes would mix two versions. */
  static S3IoException changed(String input, Throwable cause) {
    return new S3IoException(
        FailureCode.INPUT_UNREADABLE, "input " + input + " changed during the merge", cause);
  }

  /** The failure of listing {@code bucket}, after the retries of {@code policy}. */
  static S3IoException listing(
      String endpoint, String bucket, Throwable failure, RetryPolicy policy) {
    Throwable t = unwrap(failure);
    S3IoException known = classifiedOrTransient(endpoint, t, "listing bucket " + bucket, policy);
    if (known != null) {
      return known;
    }
    if (t instanceof AwsServiceException service && "NoSuchBucket".equals(errorCode(service))) {
      return new MissingBucketException(bucket, endpoint, t);
    }
    if (t instanceof SdkServiceException service && service.statusCode() == 403) {
      return new S3IoException(
          FailureCode.INPUT_UNREADABLE,
          "S3 at " + endpoint + " denied listing bucket " + bucket + " (" + status(service) + ")",
          t);
    }
    return new S3IoException(
        FailureCode.INTERNAL_ERROR, "listing bucket " + bucket + " failed: " + describe(t), t);
  }

  /** The failure of storing the result {@code bucket/key}, after the retries of {@code policy}. */
  static S3IoException writing(
      String endpoint, String bucket, String key, Throwable failure, RetryPolicy policy) {
    Throwable t = unwrap(failure);
    String target = bucket + "/" + key;
    S3IoException known =
        classifiedOrTransient(endpoint, t, "storing the result " + target, policy);
    if (known != null) {
      return known;
    }
    if (t instanceof SdkServiceException service) {
      return new S3IoException(
          FailureCode.INTERNAL_ERROR,
          "S3 at " + endpoint + " refused to store the result " + target + ": " + status(service),
          t);
    }
    return new S3IoException(
        FailureCode.INTERNAL_ERROR, "storing the result " + target + " failed: " + describe(t), t);
  }

  /** The failure of creating {@code bucket}, after the retries of {@code policy}. */
  static S3IoException creatingBucket(
      String endpoint, String bucket, Throwable failure, RetryPolicy policy) {
    Throwable t = unwrap(failure);
    S3IoException known = classifiedOrTransient(endpoint, t, "creating bucket " + bucket, policy);
    if (known != null) {
      return known;
    }
    String reason = t instanceof SdkServiceException service ? status(service) : describe(t);
    return new S3IoException(
        FailureCode.INTERNAL_ERROR,
        "S3 at " + endpoint + " refused to create bucket " + bucket + ": " + reason,
        t);
  }

  /**
   * What every classification starts with: a failure classified already stays as it is, and a
   * transient one (after the retries of {@code policy}) is {@code s3-unavailable}; null for the
   * caller to classify further.
   */
  private static S3IoException classifiedOrTransient(
      String endpoint, Throwable t, String activity, RetryPolicy policy) {
    if (t instanceof S3IoException classified) {
      return classified;
    }
    if (isTransient(t)) {
      return new S3IoException(
          FailureCode.S3_UNAVAILABLE,
          transientReason(endpoint, t) + " while " + activity + gaveUp(policy),
          t);
    }
    return null;
  }

  /** The endpoint a client talks to, for messages. */
  static String endpointOf(S3AsyncClient client) {
    var configuration = client.serviceClientConfiguration();
    return configuration
        .endpointOverride()
        .map(URI::toString)
        .orElseGet(() -> "the AWS endpoint of " + configuration.region());
  }

  private static String transientReason(String endpoint, Throwable t) {
    String s3 = "S3 at " + endpoint;
    if (t instanceof SdkServiceException service) {
      return s3 + " answered " + status(service);
    }
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof ConnectException) {
        return s3 + " refused the connection";
      }
      if (c instanceof TimeoutException
          || c instanceof ApiCallAttemptTimeoutException
          || c instanceof ApiCallTimeoutException
          || c instanceof SocketTimeoutException) {
        return s3 + " did not answer in time";
      }
    }
    return s3 + " dropped the connection (" + rootMessage(t) + ")";
  }

  private static String gaveUp(RetryPolicy policy) {
    return policy.maxAttempts() > 1 ? " (gave up after " + policy.maxAttempts() + " attempts)" : "";
  }

  private static String status(SdkServiceException service) {
    String code = errorCode(service);
    return service.statusCode() + (code == null ? "" : " " + code);
  }

  private static String errorCode(SdkServiceException service) {
    return service instanceof AwsServiceException aws && aws.awsErrorDetails() != null
        ? aws.awsErrorDetails().errorCode()
        : null;
  }

  private static String describe(Throwable failure) {
    Throwable t = unwrap(failure);
    return t.getMessage() != null ? t.getMessage() : t.getClass().getSimpleName();
  }

  private static String rootMessage(Throwable t) {
    Throwable root = t;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root.getMessage() != null ? root.getMessage() : root.getClass().getSimpleName();
  }

  private static Throwable unwrap(Throwable failure) {
    Throwable t = failure;
    while ((t instanceof CompletionException || t instanceof ExecutionException)
        && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }
}
