package dev.logmerge.http;

import io.vertx.core.json.Json;

/**
 * Renders a value the client sent for a problem detail: as JSON (so quotes and control characters
 * are escaped and a string is told apart from a number) and cut short, so a huge value cannot bloat
 * the answer.
 */
final class ClientValue {
  private static final int MAX_CHARS = 64;

  private ClientValue() {}

  static String quote(Object value) {
    String json = Json.encode(value);
    return json.length() <= MAX_CHARS ? json : json.substring(0, MAX_CHARS) + "…";
  }
}
