package dev.logmerge.http;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.core.json.jackson.JacksonFactory;
import io.vertx.ext.web.RoutingContext;

/** Ends a request with a JSON document. */
final class JsonReply {
  private JsonReply() {}

  static Future<Void> send(RoutingContext ctx, int status, JsonObject body) {
    return send(ctx, status, encode(body));
  }

  /**
   * The document's bytes, written by jackson-core's generator. {@link JsonObject#encode} would go
   * through jackson-databind (it is in the fat jar, so Vert.x picks it), which costs more per
   * document than the plain maps and lists of a JsonObject need.
   */
  static Buffer encode(JsonObject body) {
    return JacksonFactory.CODEC.toBuffer(body, false);
  }

  static Future<Void> send(RoutingContext ctx, int status, Buffer body) {
    HttpServerResponse response =
        ctx.response()
            .setStatusCode(status)
            .putHeader(HttpHeaders.CONTENT_TYPE, "application/json");
    return response.end(body);
  }
}
