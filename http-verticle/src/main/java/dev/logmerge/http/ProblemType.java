package dev.logmerge.http;

import java.net.URI;

/**
 * Every kind of problem the API answers with (RFC 9457). The {@code type} URIs are stable: clients
 * may switch on them. A kind that tells the client to come back later carries its {@code
 * Retry-After}.
 */
enum ProblemType {
  INVALID_REQUEST("invalid-request", 400, "Invalid request"),
  NOT_FOUND("not-found", 404, "No such resource"),
  JOB_NOT_FOUND("job-not-found", 404, "Unknown or expired download id"),
  /** Statistics of a day whose files were never indexed. */
  DAY_NOT_INDEXED("day-not-indexed", 404, "Day not indexed"),
  METHOD_NOT_ALLOWED("method-not-allowed", 405, "Method not allowed"),
  /** A cancel of a job that already ended DONE or FAILED. */
  JOB_FINISHED("job-finished", 409, "The job has already finished"),
  /** A download of a job a client cancelled. */
  JOB_CANCELLED("job-cancelled", 410, "The job was cancelled"),
  PAYLOAD_TOO_LARGE("payload-too-large", 413, "Request body too large"),
  UNSUPPORTED_MEDIA_TYPE("unsupported-media-type", 415, "Unsupported media type"),
  RANGE_NOT_SATISFIABLE("range-not-satisfiable", 416, "Range not satisfiable"),
  /** The job ended FAILED; the status depends on the failure code. */
  JOB_FAILED("job-failed", 500, "The merge job failed"),
  /** The job is DONE but its result object is gone (removed by the bucket's lifecycle rules). */
  RESULT_EXPIRED("result-expired", 404, "The merged result has expired"),
  STORAGE_UNAVAILABLE("storage-unavailable", 502, "The result store is unavailable", 10),
  QUEUE_FULL("queue-full", 503, "Too many queued jobs", 30),
  JOB_STORE_UNAVAILABLE("job-store-unavailable", 503, "The job store is unavailable", 5),
  INTERNAL_ERROR("internal-error", 500, "Internal server error");

  private static final String BASE = "https://logmerge.dev/problems/";

  private final URI uri;
  private final int status;
  private final String title;
  private final int retryAfterSeconds;

  ProblemType(String slug, int status, String title) {
    this(slug, status, title, 0);
  }

  ProblemType(String slug, int status, String title, int retryAfterSeconds) {
    this.uri = URI.create(BASE + slug);
    this.status = status;
    this.title = title;
    this.retryAfterSeconds = retryAfterSeconds;
  }

  URI uri() {
    return uri;
  }

  /** The usual HTTP status of this kind of problem. */
  int status() {
    return status;
  }

  String title() {
    return title;
  }

  /** Seconds a client should wait before trying again; 0 when trying again will not help. */
  int retryAfterSeconds() {
    return retryAfterSeconds;
  }
}
