package dev.logmerge.core.job;

import java.util.Arrays;

/**
 * What a job does. Both kinds share the queue, the claims, leases, heartbeats, retries and
 * failover; a worker runs each kind its own way.
 */
public enum JobKind {
  /** Merges the log files of a date range into one sorted result ({@code POST /initiate}). */
  MERGE("merge"),

  /**
   * Indexes the log files of each day of a date range into per-customer daily statistics ({@code
   * GET /customers/{id}/stats}).
   */
  STATS("stats");

  private final String code;

  JobKind(String code) {
    this.code = code;
  }

  /** The kind as stored in the job hash and shown in the job JSON. */
  public String code() {
    return code;
  }

  /** The kind of a stored code; a job hash without one (written before kinds existed) merges. */
  static JobKind fromCode(String code) {
    if (code == null) {
      return MERGE;
    }
    return Arrays.stream(values())
        .filter(kind -> kind.code.equals(code))
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException("unknown job kind " + code));
  }
}
