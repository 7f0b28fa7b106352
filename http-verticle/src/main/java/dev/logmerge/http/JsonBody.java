package dev.logmerge.http;

import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;

/**
 * How a JSON request body is received ({@code POST /initiate}, {@code POST /stats/reindex}): read
 * into memory up to {@link #MAX_BYTES}, a larger one refused with 413. ({@link JsonContentType}
 * checks what it is declared as.)
 */
final class JsonBody {
  /**
   * Far above any valid body (about 50 bytes); keeps a hostile client from making us buffer much.
   */
  static final int MAX_BYTES = 16 * 1024;

  private JsonBody() {}

  /** Reads the body into memory, failing the request with 413 over {@link #MAX_BYTES}. */
  static Handler<RoutingContext> reader() {
    return BodyHandler.create(false).setBodyLimit(MAX_BYTES);
  }

  /** Failure handler: answers a body over the limit; leaves every other failure to the next. */
  static void refuseOversized(RoutingContext ctx) {
    if (ctx.statusCode() == 413) {
      ProblemResponder.send(
          ctx,
          Problem.of(
              ProblemType.PAYLOAD_TOO_LARGE,
              "request body: larger than the limit of " + MAX_BYTES + " bytes"));
    } else {
      ctx.next();
    }
  }
}
