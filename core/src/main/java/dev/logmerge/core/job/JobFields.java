package dev.logmerge.core.job;

/**
 * Field names of the Redis hash {@code job:{id}}. The Lua scripts next to {@link JobStore} use the
 * same names; change both together.
 */
final class JobFields {
  static final String ID = "id";

  /** {@link JobKind#code()}; absent in hashes written before kinds existed (merges). */
  static final String KIND = "kind";

  static final String START_DATE = "start_date";
  static final String END_DATE = "end_date";
  static final String STATE = "state";
  static final String CREATED_AT = "created_at";
  static final String UPDATED_AT = "updated_at";
  static final String STARTED_AT = "started_at";
  static final String FINISHED_AT = "finished_at";
  static final String ATTEMPTS = "attempts";
  static final String WORKER = "worker";
  static final String LEASE_UNTIL = "lease_until";
  static final String INPUTS_TOTAL = "inputs_total";
  static final String INPUTS_DONE = "inputs_done";
  static final String BYTES_TOTAL = "bytes_total";
  static final String BYTES_READ = "bytes_read";
  static final String LINES_WRITTEN = "lines_written";
  static final String RESULT_BUCKET = "result_bucket";
  static final String RESULT_KEY = "result_key";
  static final String RESULT_SIZE = "result_size";
  static final String RESULT_ETAG = "result_etag";
  static final String ERROR_CODE = "error_code";
  static final String ERROR_MESSAGE = "error_message";
  static final String CANCELLED_AT = "cancelled_at";

  /** "1" when the job got its result without merging (remembered, or shared with another job). */
  static final String CACHED = "cached";

  /** Hex digest of the job's inputs, once a worker listed them. */
  static final String FINGERPRINT = "fingerprint";

  private JobFields() {}
}
