package dev.logmerge.core.config;

import java.time.Duration;

/**
 * How long a job-store call waits for Redis, and when the job store stops asking a Redis that does
 * not answer (its circuit breaker).
 *
 * @param timeout bound on each round trip to Redis
 * @param tripAfter consecutive round trips that timed out or lost their connection after which
 *     calls fail at once and the connection is made anew
 * @param probeInterval while calls fail at once, how often one PING asks whether Redis answers
 *     again
 */
public record RedisCallPolicy(Duration timeout, int tripAfter, Duration probeInterval) {
  /** The settings' defaults, for stores made without a configuration (tests, tools). */
  public static final RedisCallPolicy DEFAULTS =
      new RedisCallPolicy(Duration.ofSeconds(5), 3, Duration.ofSeconds(1));
}
