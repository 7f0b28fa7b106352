package dev.logmerge.core.config;

import java.time.Duration;

/**
 * Limits and timings of the job life cycle, shared by the job store, the HTTP front end and the
 * workers.
 *
 * @param resultTtl lifetime of a job record (and so of access to its result)
 * @param maxQueuedJobs queued jobs beyond which new ones are refused
 * @param leaseTimeout how long a claim lasts without a heartbeat
 * @param heartbeatInterval how often a worker renews its lease
 * @param maxAttempts claims of one job before it is failed
 * @param retryBackoff delay before the first retry; doubled per further attempt
 * @param scanInterval how often workers look for queued jobs and expired leases
 */
public record JobPolicy(
    Duration resultTtl,
    int maxQueuedJobs,
    Duration leaseTimeout,
    Duration heartbeatInterval,
    int maxAttempts,
    Duration retryBackoff,
    Duration scanInterval) {

  /** The delay before retrying a job that has had {@code attempts} claims so far. */
  public Duration retryDelay(int attempts) {
    int doublings = Math.max(0, Math.min(attempts - 1, 10));
    return retryBackoff.multipliedBy(1L << doublings);
  }
}
