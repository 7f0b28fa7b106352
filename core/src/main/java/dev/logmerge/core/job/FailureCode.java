package dev.logmerge.core.job;

import java.util.Arrays;

/** Why a job failed: a stable machine-readable code, as stored in Redis and shown to clients. */
public enum FailureCode {
  /** No input file in the range. */
  NO_INPUT("no-input"),
  /** S3 could not be reached or kept failing after retries. */
  S3_UNAVAILABLE("s3-unavailable"),
  /** An input could not be read as a log file (e.g. corrupt gzip, access denied). */
  INPUT_UNREADABLE("input-unreadable"),
  /** The job's workers stopped renewing their lease too many times (killed, hung, partitioned). */
  WORKER_LOST("worker-lost"),
  /** A defect or an unexpected condition; the message says what. */
  INTERNAL_ERROR("internal-error");

  private final String code;

  FailureCode(String code) {
    this.code = code;
  }

  public String code() {
    return code;
  }

  /** The code for stored text; unknown text maps to {@link #INTERNAL_ERROR}. */
  public static FailureCode fromCode(String code) {
    return Arrays.stream(values())
        .filter(f -> f.code.equals(code))
        .findFirst()
        .orElse(INTERNAL_ERROR);
  }
}
