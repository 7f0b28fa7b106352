package dev.logmerge.http;

import io.vertx.core.Handler;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;
import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * Answers 405 with the {@code Allow} header for a known path requested with another method. Mounted
 * after a path's real routes, so it only sees the methods they did not take.
 */
final class MethodNotAllowed implements Handler<RoutingContext> {
  private final String allow;

  private MethodNotAllowed(String allow) {
    this.allow = allow;
  }

  static MethodNotAllowed allowing(HttpMethod... methods) {
    return new MethodNotAllowed(
        Arrays.stream(methods).map(HttpMethod::name).collect(Collectors.joining(", ")));
  }

  @Override
  public void handle(RoutingContext ctx) {
    ctx.fail(
        Problem.of(
                ProblemType.METHOD_NOT_ALLOWED,
                ctx.request().method().name()
                    + " is not allowed on "
                    + ctx.request().path()
                    + "; allowed: "
                    + allow)
            .withHeader("Allow", allow)
            .toException());
  }
}
