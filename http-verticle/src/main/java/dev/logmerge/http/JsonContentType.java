package dev.logmerge.http;

import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;
import java.util.Locale;

/**
 * Lets through only requests whose body is declared {@code application/json} (parameters such as
 * {@code charset} allowed); others, {@code +json} types and a body sent without a Content-Type
 * included, get 415.
 */
final class JsonContentType implements Handler<RoutingContext> {
  private static final String JSON = "application/json";

  @Override
  public void handle(RoutingContext ctx) {
    String declared = ctx.request().getHeader(HttpHeaders.CONTENT_TYPE);
    String mediaType =
        declared == null ? "" : declared.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
    if (mediaType.equals(JSON)) {
      ctx.next();
      return;
    }
    String got = declared == null ? "no Content-Type" : "\"" + declared + "\"";
    ctx.fail(
        Problem.of(
                ProblemType.UNSUPPORTED_MEDIA_TYPE,
                "Content-Type: expected " + JSON + " (optionally with a charset), got " + got)
            .toException());
  }
}
