package dev.logmerge.merge.s3;

import java.util.Objects;

/**
 * How a job reads its inputs from S3.
 *
 * @param readAheadBudgetBytes read-ahead memory of the whole job, shared by its inputs (see {@link ReadAheadBudget})
 * @param maxConcurrentGets    ranged GETs of the job's inputs in flight at once
 * @param retry                retries of a failed window, from the same offset
 */
public record InputReadSettings(long readAheadBudgetBytes, int maxConcurrentGets, RetryPolicy retry) {
  public static final int DEFAULT_MAX_CONCURRENT_GETS = 32;

  public InputReadSettings {
    Objects.requireNonNull(retry, "retry");
    if (readAheadBudgetBytes < 1 || maxConcurrentGets < 1) {
      throw new IllegalArgumentException("budget and concurrent GETs must be positive, were "
          + readAheadBudgetBytes + ", " + maxConcurrentGets);
    }
  }

  /** The defaults for a job with the given read-ahead budget (the {@code MERGE_READ_AHEAD} setting). */
  public static InputReadSettings defaults(long readAheadBudgetBytes) {
    return new InputReadSettings(readAheadBudgetBytes, DEFAULT_MAX_CONCURRENT_GETS, RetryPolicy.defaults());
  }
}
