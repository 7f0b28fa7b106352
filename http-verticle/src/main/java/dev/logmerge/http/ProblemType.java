package dev.logmerge.http;

import java.net.URI;

/**
 * Every kind of problem the API answers with (RFC 9457). The {@code type} URIs are stable: clients may
 * switch on them. A kind that tells the client to come back later carries its {@code Retry-After}.
 */
public enum ProblemType {
  INVALID_REQUEST("invalid-request", 400, "Invalid request"),
  NOT_FOUND("not-found", 404, "No such resource"),
  METHOD_NOT_ALLOWED("method-not-allowed", 405, "Method not allowed"),
  PAYLOAD_TOO_LARGE("payload-too-large", 413, "Request body too large"),
  UNSUPPORTED_MEDIA_TYPE("unsupported-media-type", 415, "Unsupported media type"),
  QUEUE_FULL("queue-full", 503, "Too many queued jobs", 30),
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

  public URI uri() {
    return uri;
  }

  /** The usual HTTP status of this kind of problem. */
  public int status() {
    return status;
  }

  public String title() {
    return title;
  }

  /** Seconds a client should wait before trying again; 0 when trying again will not help. */
  public int retryAfterSeconds() {
    return retryAfterSeconds;
  }
}
