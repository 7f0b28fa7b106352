package dev.logmerge.merge.s3;

import dev.logmerge.core.job.FailureCode;
import java.io.IOException;

/**
 * A failure of the S3 layer, already classified: the job failure code it implies and a message
 * worded for operators and clients (e.g. "S3 at http://minio:9000 refused the connection while
 * reading input 2019-08-19_3"). Created by {@link S3Failures}.
 */
public class S3IoException extends IOException {
  private final FailureCode code;

  public S3IoException(FailureCode code, String message, Throwable cause) {
    super(message, cause);
    this.code = code;
  }

  /** What the job fails with if this failure ends it. */
  public FailureCode code() {
    return code;
  }

  /**
   * Whether S3 may well succeed later (the job is worth retrying), as opposed to a permanent
   * failure.
   */
  public boolean isTransient() {
    return code == FailureCode.S3_UNAVAILABLE;
  }
}
