package dev.logmerge.merge.s3;

import dev.logmerge.core.s3.S3ClientFactory;
import java.util.Objects;

/**
 * How a job reads its inputs from S3.
 *
 * @param readAheadBudgetBytes read-ahead memory of the whole job, shared by its inputs (see {@link
 *     ReadAheadBudget})
 * @param maxStreamedInputs the most inputs a job reads by one streaming GET each (an open
 *     connection each); a job with more reads by ranged GETs
 * @param maxConcurrentGets ranged GETs of the job's inputs in flight at once
 * @param retry retries of a failed window or stream, from the first byte not yet received
 */
public record InputReadSettings(
    long readAheadBudgetBytes, int maxStreamedInputs, int maxConcurrentGets, RetryPolicy retry) {
  public static final int DEFAULT_MAX_CONCURRENT_GETS = 32;

  public InputReadSettings {
    Objects.requireNonNull(retry, "retry");
    if (readAheadBudgetBytes < 1 || maxStreamedInputs < 0 || maxConcurrentGets < 1) {
      throw new IllegalArgumentException(
          "expected a positive budget and cap on GETs, and streamed inputs >= 0, were "
              + readAheadBudgetBytes
              + ", "
              + maxConcurrentGets
              + ", "
              + maxStreamedInputs);
    }
  }

  /**
   * The defaults for a job with the given read-ahead budget (the {@code MERGE_READ_AHEAD} setting).
   */
  public static InputReadSettings defaults(long readAheadBudgetBytes) {
    return new InputReadSettings(
        readAheadBudgetBytes,
        S3ClientFactory.STREAMED_INPUTS_PER_JOB,
        DEFAULT_MAX_CONCURRENT_GETS,
        RetryPolicy.defaults());
  }
}
