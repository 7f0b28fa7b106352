package dev.logmerge.http;

import io.vertx.core.json.JsonObject;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An RFC 9457 problem about to be sent: its kind, status, human detail, extension members (such as
 * a job failure's {@code code}) and the response headers that belong to it ({@code Retry-After},
 * {@code Allow}, {@code Content-Range}). Immutable; the {@code with…} methods return copies.
 */
record Problem(
    ProblemType type,
    int status,
    String detail,
    Map<String, Object> members,
    Map<String, String> headers) {
  Problem {
    members = Map.copyOf(members);
    headers = Map.copyOf(headers);
  }

  /**
   * A problem of this kind with its usual status, and {@code Retry-After} when the kind advises
   * one.
   */
  static Problem of(ProblemType type, String detail) {
    Map<String, String> headers =
        type.retryAfterSeconds() > 0
            ? Map.of("Retry-After", Integer.toString(type.retryAfterSeconds()))
            : Map.of();
    return new Problem(type, type.status(), detail, Map.of(), headers);
  }

  Problem withStatus(int newStatus) {
    return new Problem(type, newStatus, detail, members, headers);
  }

  Problem withMember(String name, Object value) {
    Map<String, Object> copy = new LinkedHashMap<>(members);
    copy.put(name, value);
    return new Problem(type, status, detail, copy, headers);
  }

  Problem withHeader(String name, String value) {
    Map<String, String> copy = new LinkedHashMap<>(headers);
    copy.put(name, value);
    return new Problem(type, status, detail, members, copy);
  }

  /** The {@code application/problem+json} document for a request to {@code instance}. */
  JsonObject toJson(String instance) {
    JsonObject json =
        new JsonObject()
            .put("type", type.uri().toString())
            .put("title", type.title())
            .put("status", status)
            .put("detail", detail)
            .put("instance", instance);
    members.forEach(json::put);
    return json;
  }

  /** This problem as a failure, to fail a future or a routing context with. */
  ProblemException toException() {
    return new ProblemException(this);
  }
}
