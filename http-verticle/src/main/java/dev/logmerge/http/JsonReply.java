package dev.logmerge.http;

import io.vertx.core.Future;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/** Ends a request with a JSON document. */
final class JsonReply {
  private JsonReply() {}

  static Future<Void> send(RoutingContext ctx, int status, JsonObject body) {
    HttpServerResponse response =
        ctx.response()
            .setStatusCode(status)
            .putHeader(HttpHeaders.CONTENT_TYPE, "application/json");
    return response.end(body.encode());
  }
}
