package dev.logmerge.core.s3;

import java.time.Duration;

/**
 * How the S3 client retries one request that failed transiently: up to {@code maxAttempts} attempts
 * in all, pausing a random time up to {@code baseDelay × 2^(retry-1)} before each retry, five times
 * that when S3 throttles, but never over {@code maxDelay}.
 *
 * <p>Each attempt is bounded by {@link #CONNECT_TIMEOUT} to connect and {@link #READ_TIMEOUT}
 * without a byte from S3, so with the defaults a request fails after about 3 s of pauses when S3
 * refuses connections, 28 s when its host does not answer, 5 minutes when it accepts connections
 * but never answers (docs/OPERATIONS.md, "Retries").
 */
public record RequestRetries(int maxAttempts, Duration baseDelay, Duration maxDelay) {
  /** To open a connection to S3. */
  public static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);

  /** The longest a request waits for a connection of the client's pool (or a new one). */
  public static final Duration ACQUIRE_TIMEOUT = Duration.ofSeconds(10);

  /** The longest S3 may stay silent while a request waits for (or streams) its response. */
  public static final Duration READ_TIMEOUT = Duration.ofSeconds(60);

  /** 5 attempts, pausing up to 0.2, 0.4, 0.8 and 1.6 s. */
  public static final RequestRetries DEFAULT =
      new RequestRetries(5, Duration.ofMillis(200), Duration.ofSeconds(5));

  public RequestRetries {
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("maxAttempts must be at least 1, was " + maxAttempts);
    }
    if (baseDelay.isNegative() || maxDelay.compareTo(baseDelay) < 0) {
      throw new IllegalArgumentException(
          "expected 0 <= baseDelay <= maxDelay, were " + baseDelay + ", " + maxDelay);
    }
  }
}
