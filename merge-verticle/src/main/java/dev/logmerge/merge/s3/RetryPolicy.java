package dev.logmerge.merge.s3;

import java.time.Duration;
import java.util.Objects;

/**
 * How the S3 layer retries a transient failure (see {@link S3Failures#isTransient}): up to {@code
 * maxAttempts} attempts in all, pausing {@code initialBackoff} before the first retry and doubling
 * the pause before each further one, up to {@code maxBackoff}. These retries come on top of the
 * SDK's own, and also cover what the SDK does not retry, such as a connection lost in the middle of
 * a response body.
 */
public record RetryPolicy(int maxAttempts, Duration initialBackoff, Duration maxBackoff) {
  public RetryPolicy {
    Objects.requireNonNull(initialBackoff, "initialBackoff");
    Objects.requireNonNull(maxBackoff, "maxBackoff");
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("maxAttempts must be at least 1, was " + maxAttempts);
    }
    if (initialBackoff.isNegative() || maxBackoff.compareTo(initialBackoff) < 0) {
      throw new IllegalArgumentException(
          "expected 0 <= initialBackoff <= maxBackoff, was " + initialBackoff + ", " + maxBackoff);
    }
  }

  /**
   * 5 attempts, pausing 200 ms, 400 ms, 800 ms and 1.6 s between them (3 s in all), at most 5 s per
   * pause.
   */
  public static RetryPolicy defaults() {
    return new RetryPolicy(5, Duration.ofMillis(200), Duration.ofSeconds(5));
  }

  /** The pause before retry number {@code retry} (1 = the first retry, i.e. the second attempt). */
  public Duration backoffBeforeRetry(int retry) {
    if (retry < 1) {
      throw new IllegalArgumentException("retries are numbered from 1, was " + retry);
    }
    Duration backoff = initialBackoff.multipliedBy(1L << Math.min(retry - 1, 30));
    return backoff.compareTo(maxBackoff) > 0 ? maxBackoff : backoff;
  }
}
