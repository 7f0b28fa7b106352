package dev.logmerge.merge.s3;

import dev.logmerge.core.job.FailureCode;

/** The bucket to list does not exist: a configuration problem, not worth retrying. */
public final class MissingBucketException extends S3IoException {
  private final String bucket;

  MissingBucketException(String bucket, String endpoint, Throwable cause) {
    super(
        FailureCode.INPUT_UNREADABLE, "bucket " + bucket + " does not exist at " + endpoint, cause);
    this.bucket = bucket;
  }

  public String bucket() {
    return bucket;
  }
}
