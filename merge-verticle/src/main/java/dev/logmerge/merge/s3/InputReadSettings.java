package dev.logmerge.merge.s3;

import dev.logmerge.core.s3.S3ClientFactory;

/**
 * How a job reads its inputs from S3: one streaming GET each, sharing a read-ahead budget.
 *
 * @param readAheadBudgetBytes read-ahead memory of the whole job, shared by its inputs (see {@link
 *     ReadAheadBudget})
 * @param maxStreamedInputs the most inputs a job reads at once, by one streaming GET (an open
 *     connection) each; {@link S3MergeInput#forJob} refuses more
 */
public record InputReadSettings(long readAheadBudgetBytes, int maxStreamedInputs) {
  /**
   * A stream holds its connection until its input is read to the end, and a merge reads all its
   * inputs at once: the S3 client needs a connection for each stream of every job its JVM runs.
   */
  public static final int DEFAULT_MAX_STREAMED_INPUTS = 512;

  public InputReadSettings {
    if (readAheadBudgetBytes < 1 || maxStreamedInputs < 1) {
      throw new IllegalArgumentException(
          "expected a positive budget and cap on streamed inputs, were "
              + readAheadBudgetBytes
              + " and "
              + maxStreamedInputs);
    }
  }

  /**
   * The defaults for a job with the given read-ahead budget (the {@code MERGE_READ_AHEAD} setting).
   */
  public static InputReadSettings defaults(long readAheadBudgetBytes) {
    return new InputReadSettings(readAheadBudgetBytes, DEFAULT_MAX_STREAMED_INPUTS);
  }

  /**
   * The connections an S3 client needs for {@code concurrentJobs} jobs read with the defaults: a
   * stream per input of each, and the usual ones for listings and uploads.
   */
  public static int s3ConnectionsFor(int concurrentJobs) {
    return concurrentJobs * DEFAULT_MAX_STREAMED_INPUTS + S3ClientFactory.REQUEST_CONNECTIONS;
  }
}
