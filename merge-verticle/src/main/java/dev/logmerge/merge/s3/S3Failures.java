package dev.logmerge.merge.s3;

import static dev.logmerge.core.job.FailureCode.INPUT_UNREADABLE;
import static dev.logmerge.core.job.FailureCode.INTERNAL_ERROR;
import static dev.logmerge.core.job.FailureCode.S3_UNAVAILABLE;

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
 * What a failed S3 request means, said for operators and clients: transient failures (S3
 * unreachable, failing or throttling, once the SDK has retried them) become {@code s3-unavailable},
 * so the job may be tried again later; a missing, forbidden or changed input {@code
 * input-unreadable}; anything else {@code internal-error}. Messages name the endpoint and the
 * object, e.g. "S3 at http://minio:9000 refused the connection while reading input 2019-08-19_3
 * (gave up after 5 attempts)".
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

  private final String endpoint;
  private final String s3;
  private final int attempts;

  /**
   * @param endpoint the S3 endpoint, as messages name it
   * @param attempts how many times the SDK tries a request before its failure reaches us
   */
  S3Failures(String endpoint, int attempts) {
    this.endpoint = endpoint;
    this.s3 = "S3 at " + endpoint;
    this.attempts = attempts;
  }

  /** The wording for failures of requests sent by {@code client}. */
  static S3Failures of(S3AsyncClient client) {
    var configuration = client.serviceClientConfiguration();
    String endpoint =
        configuration
            .endpointOverride()
            .map(URI::toString)
            .orElseGet(() -> "the AWS endpoint of " + configuration.region());
    int attempts =
        configuration.overrideConfiguration().retryStrategy().map(r -> r.maxAttempts()).orElse(1);
    return new S3Failures(endpoint, attempts);
  }

  /**
   * Whether a failure is transient: S3 unreachable, refusing or dropping connections, timing out,
   * answering 500, 502, 503 or 504, or throttling; the failures the SDK retries. Missing, forbidden
   * or changed objects (403, 404, 412), other client errors and 501 are permanent.
   */
  public static boolean isTransient(Throwable failure) {
    Throwable t = unwrap(failure);
    if (t instanceof S3IoException classified) {
      return classified.isTransient();
    }
    if (t instanceof SdkServiceException service) {
      int status = service.statusCode();
      return status == 500
          || status == 502
          || status == 503
          || status == 504
          || status == 429
          || service.isThrottlingException()
          || RETRYABLE_ERROR_CODES.contains(errorCode(service));
    }
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof IOException || isTimeout(c)) {
        return true;
      }
    }
    return false;
  }

  /** The input no longer is the object that was listed, so its bytes would mix two versions. */
  static S3IoException changed(String input, Throwable cause) {
    return new S3IoException(
        INPUT_UNREADABLE, "input " + input + " changed during the merge", cause);
  }

  /** The failure of a GET of an input. */
  S3IoException reading(String input, Throwable failure) {
    Throwable t = unwrap(failure);
    S3IoException known = classifiedOrTransient(t, "reading input " + input);
    if (known != null) {
      return known;
    }
    if (!(t instanceof SdkServiceException service)) {
      return new S3IoException(
          INTERNAL_ERROR, "reading input %s failed: %s".formatted(input, describe(t)), t);
    }
    return switch (service.statusCode()) {
      case 412 -> changed(input, t);
      case 404 ->
          new S3IoException(
              INPUT_UNREADABLE, "input " + input + " was deleted during the merge", t);
      case 403 ->
          new S3IoException(
              INPUT_UNREADABLE,
              "%s denied access to input %s (%s)".formatted(s3, input, status(service)),
              t);
      default ->
          new S3IoException(
              INTERNAL_ERROR,
              "%s refused to read input %s: %s".formatted(s3, input, status(service)),
              t);
    };
  }

  /** A streamed GET of an input was cut again and again without bringing a byte. */
  S3IoException cutRepeatedly(String input, Throwable lastCut, int cuts) {
    return new S3IoException(
        S3_UNAVAILABLE,
        "%s while reading input %s (cut %d times in a row without a byte)"
            .formatted(transientReason(unwrap(lastCut)), input, cuts),
        lastCut);
  }

  /** A GET of an input from {@code offset} was answered with other bytes than asked for. */
  S3IoException wrongRange(String input, long offset, String contentRange) {
    return new S3IoException(
        INPUT_UNREADABLE,
        "%s answered a GET of input %s from byte %d with Content-Range %s"
            .formatted(s3, input, offset, contentRange),
        null);
  }

  /** A GET of an input brought more bytes from {@code offset} than the listed object holds. */
  S3IoException wrongLength(String input, long offset, long received, long expected) {
    return new S3IoException(
        INPUT_UNREADABLE,
        "%s returned %d bytes at offset %d of input %s instead of %d"
            .formatted(s3, received, offset, input, expected),
        null);
  }

  /** The failure of listing {@code bucket}. */
  S3IoException listing(String bucket, Throwable failure) {
    Throwable t = unwrap(failure);
    S3IoException known = classifiedOrTransient(t, "listing bucket " + bucket);
    if (known != null) {
      return known;
    }
    if (t instanceof AwsServiceException service && "NoSuchBucket".equals(errorCode(service))) {
      return new MissingBucketException(bucket, endpoint, t);
    }
    if (t instanceof SdkServiceException service && service.statusCode() == 403) {
      return new S3IoException(
          INPUT_UNREADABLE,
          "%s denied listing bucket %s (%s)".formatted(s3, bucket, status(service)),
          t);
    }
    return new S3IoException(
        INTERNAL_ERROR, "listing bucket %s failed: %s".formatted(bucket, describe(t)), t);
  }

  /** A listing page said more pages follow but gave no token to ask for them. */
  S3IoException truncatedWithoutToken(String bucket, String prefix) {
    return new S3IoException(
        INTERNAL_ERROR,
        "%s returned a truncated listing of %s/%s without a continuation token"
            .formatted(s3, bucket, prefix),
        null);
  }

  /** The failure of storing the result {@code bucket/key}. */
  S3IoException writing(String bucket, String key, Throwable failure) {
    Throwable t = unwrap(failure);
    String target = bucket + "/" + key;
    S3IoException known = classifiedOrTransient(t, "storing the result " + target);
    if (known != null) {
      return known;
    }
    String message =
        t instanceof SdkServiceException service
            ? "%s refused to store the result %s: %s".formatted(s3, target, status(service))
            : "storing the result %s failed: %s".formatted(target, describe(t));
    return new S3IoException(INTERNAL_ERROR, message, t);
  }

  /** A multipart upload of the result {@code bucket/key} that S3 answered inconsistently. */
  S3IoException uploadBroken(String bucket, String key, String what) {
    return new S3IoException(
        INTERNAL_ERROR,
        "%s broke the upload of the result %s/%s: %s".formatted(s3, bucket, key, what),
        null);
  }

  /** The failure of creating {@code bucket}. */
  S3IoException creatingBucket(String bucket, Throwable failure) {
    Throwable t = unwrap(failure);
    S3IoException known = classifiedOrTransient(t, "creating bucket " + bucket);
    if (known != null) {
      return known;
    }
    String reason = t instanceof SdkServiceException service ? status(service) : describe(t);
    return new S3IoException(
        INTERNAL_ERROR, "%s refused to create bucket %s: %s".formatted(s3, bucket, reason), t);
  }

  /**
   * What every classification starts with: a failure classified already stays as it is, and a
   * transient one is {@code s3-unavailable}; null for the caller to classify further.
   */
  private S3IoException classifiedOrTransient(Throwable t, String activity) {
    if (t instanceof S3IoException classified) {
      return classified;
    }
    if (!isTransient(t)) {
      return null;
    }
    String gaveUp = attempts > 1 ? " (gave up after " + attempts + " attempts)" : "";
    return new S3IoException(S3_UNAVAILABLE, transientReason(t) + " while " + activity + gaveUp, t);
  }

  private String transientReason(Throwable t) {
    if (t instanceof SdkServiceException service) {
      return s3 + " answered " + status(service);
    }
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof ConnectException) {
        return s3 + " refused the connection";
      }
      if (isTimeout(c) || c instanceof SocketTimeoutException) {
        return s3 + " did not answer in time";
      }
    }
    return s3 + " dropped the connection (" + describe(rootOf(t)) + ")";
  }

  private static boolean isTimeout(Throwable t) {
    return t instanceof TimeoutException
        || t instanceof ApiCallAttemptTimeoutException
        || t instanceof ApiCallTimeoutException;
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

  private static String describe(Throwable t) {
    return t.getMessage() != null ? t.getMessage() : t.getClass().getSimpleName();
  }

  private static Throwable rootOf(Throwable t) {
    Throwable root = t;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root;
  }

  /** The failure itself, without the wrappers that futures put around it. */
  private static Throwable unwrap(Throwable failure) {
    Throwable t = failure;
    while ((t instanceof CompletionException || t instanceof ExecutionException)
        && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }
}
