package dev.logmerge.merge;

import dev.logmerge.core.job.FailureCode;
import dev.logmerge.core.job.JobFailure;
import dev.logmerge.core.job.JobStoreUnavailableException;
import dev.logmerge.merge.engine.CorruptInputException;
import dev.logmerge.merge.s3.S3Failures;
import dev.logmerge.merge.s3.S3IoException;
import java.io.IOException;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * What a failed merge attempt means for its job: the failure to record, and whether another attempt
 * may succeed. A retryable failure queues the job again (up to {@code MAX_ATTEMPTS} claims); any
 * other fails it at once.
 *
 * @param retryable S3 was unavailable, or a local I/O failure (such as a full spill disk) that
 *     another attempt, perhaps on another worker, may not meet; not a missing, changed or corrupt
 *     input, nor a defect
 */
record AttemptFailure(JobFailure failure, boolean retryable) {

  /**
   * The first failure in the cause chain that says what happened decides: a classified S3 failure,
   * a corrupt input, or a transient failure of the S3 SDK; else it is internal.
   */
  static AttemptFailure of(Throwable error) {
    boolean localIo = false;
    for (Throwable c = error; c != null; c = c.getCause()) {
      if (c instanceof S3IoException s3) {
        return new AttemptFailure(new JobFailure(s3.code(), s3.getMessage()), s3.isTransient());
      }
      if (c instanceof CorruptInputException corrupt) {
        return new AttemptFailure(
            new JobFailure(FailureCode.INPUT_UNREADABLE, corrupt.getMessage()), false);
      }
      if (c instanceof SdkException sdk && S3Failures.isTransient(sdk)) {
        return new AttemptFailure(
            new JobFailure(FailureCode.S3_UNAVAILABLE, "S3 failed: " + describe(sdk)), true);
      }
      localIo |= c instanceof IOException;
    }
    return new AttemptFailure(new JobFailure(FailureCode.INTERNAL_ERROR, describe(error)), localIo);
  }

  /**
   * Whether the attempt stopped because Redis did not answer (or the job store's breaker refused
   * the call): nothing about the job, so nothing is to be recorded against it. The job stays
   * RUNNING under this worker's lease; once the lease expires a scan queues it again (the attempt
   * counts, so a job that keeps meeting outages still ends).
   */
  static boolean isJobStoreOutage(Throwable error) {
    for (Throwable c = error; c != null; c = c.getCause()) {
      if (c instanceof JobStoreUnavailableException) {
        return true;
      }
    }
    return false;
  }

  private static String describe(Throwable t) {
    return t.getMessage() != null ? t.getMessage() : t.getClass().getSimpleName();
  }
}
