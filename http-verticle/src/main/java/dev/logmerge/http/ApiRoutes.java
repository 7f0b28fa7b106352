package dev.logmerge.http;

import static io.vertx.core.http.HttpMethod.DELETE;
import static io.vertx.core.http.HttpMethod.GET;
import static io.vertx.core.http.HttpMethod.HEAD;
import static io.vertx.core.http.HttpMethod.POST;

import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.Collection;
import java.util.stream.Collectors;

/**
 * The API's routes (the README's API table and the OpenAPI document), and the answers that make
 * every other request a problem document: 404 for an unknown path, 405 with {@code Allow} for a
 * known path asked with another method (the router finds both), and whatever failed, via {@link
 * ProblemResponder}.
 */
final class ApiRoutes {
  private ApiRoutes() {}

  /**
   * The API's routes, its OpenAPI document and the page showing it, and, unless {@code probes} is
   * null, {@code GET /health}, {@code /ready} and (when metrics are on) {@code /metrics}. Each must
   * be in the document (OpenApiContractTest fails otherwise).
   *
   * @param timer times every request by route; null: none is timed (metrics are off)
   */
  static Router create(
      Vertx vertx,
      InitiateHandler initiate,
      DownloadHandler download,
      CancelHandler cancel,
      StatusHandler status,
      StatsHandlers stats,
      ApiDocument document,
      SwaggerUi docs,
      ProbeRoutes probes,
      RequestTimer timer) {
    Router router = Router.router(vertx);

    withJsonBody(timed(router.route(POST, "/initiate"), timer), initiate);
    timed(router.route("/download/:id").method(GET).method(HEAD), timer).handler(download::byPath);
    timed(router.route(DELETE, "/download/:id"), timer).handler(cancel);
    timed(router.route("/download").method(GET).method(HEAD), timer).handler(download::byQuery);
    timed(router.route("/status/:id").method(GET).method(HEAD), timer).handler(status);
    timed(router.route(GET, "/customers/:" + CustomerStatsHandler.PATH_PARAMETER + "/stats"), timer)
        .handler(stats.customer());
    timed(router.route(GET, "/stats/days/:" + StatsDayHandler.PATH_PARAMETER), timer)
        .handler(stats.day());
    withJsonBody(timed(router.route(POST, "/stats/reindex"), timer), stats.reindex());
    if (probes != null) {
      timed(router.route("/health").method(GET), timer).handler(probes.health());
      timed(router.route("/ready").method(GET), timer).handler(probes.ready());
      if (probes.metrics() != null) {
        timed(router.route("/metrics").method(GET), timer).handler(probes.metrics());
      }
    }
    timed(router.route("/openapi.yaml").method(GET), timer).handler(document::sendYaml);
    timed(router.route("/openapi.json").method(GET), timer).handler(document::sendJson);
    timed(router.route("/docs").method(GET), timer).handler(docs::sendPage);
    Route assets = timed(router.route(SwaggerUi.ASSETS_PATH + "*").method(GET), timer);
    docs.assetHandlers().forEach(assets::handler);

    router.route().failureHandler(new ProblemResponder());
    router.errorHandler(
        404,
        unmatched(
            ctx ->
                ProblemResponder.send(
                    ctx,
                    Problem.of(ProblemType.NOT_FOUND, "no resource at " + ctx.request().path())),
            timer));
    router.errorHandler(405, unmatched(ctx -> methodNotAllowed(ctx, router.getRoutes()), timer));
    router.errorHandler(400, unmatched(ApiRoutes::undecodable, timer));
    return router;
  }

  /**
   * A route whose handler reads a JSON body: read into memory up to {@link JsonBody#MAX_BYTES}
   * (413), and declared {@code application/json} (415).
   */
  private static void withJsonBody(Route route, Handler<RoutingContext> handler) {
    route
        .handler(JsonBody.reader())
        .handler(new JsonContentType())
        .handler(handler)
        .failureHandler(JsonBody::refuseOversized);
  }

  /**
   * A request the router refused while matching it to a route, before any handler ran: matching
   * decodes path parameters and, for a route with some, the query, so an invalid percent-escape in
   * either ends here (without this, the router would answer in plain text and log a stack trace).
   */
  private static void undecodable(RoutingContext ctx) {
    ProblemResponder.send(
        ctx,
        Problem.of(
            ProblemType.INVALID_REQUEST,
            "the request's path or query is not validly percent-encoded: a '%' must start an"
                + " escape such as %25"));
  }

  /**
   * The route, its requests timed under its template (such as {@code /download/:id} or {@code
   * /docs/swagger-ui/*}) from its first handler on, when there is a timer.
   */
  private static Route timed(Route route, RequestTimer timer) {
    if (timer == null) {
      return route;
    }
    String template = route.isExactPath() ? route.getPath() : route.getPath() + "*";
    return route.handler(timer.route(template));
  }

  private static Handler<RoutingContext> unmatched(
      Handler<RoutingContext> answer, RequestTimer timer) {
    return timer == null ? answer : timer.unmatched(answer);
  }

  /**
   * The router knows which methods the path allows but does not tell its error handler (it sets
   * {@code Allow} only when it answers by itself): they are read again from the routes.
   */
  private static void methodNotAllowed(RoutingContext ctx, Collection<Route> routes) {
    String path = ctx.normalizedPath();
    String allow =
        routes.stream()
            .filter(route -> route.methods() != null && matches(route, path))
            .flatMap(route -> route.methods().stream())
            .map(HttpMethod::name)
            .distinct()
            .sorted()
            .collect(Collectors.joining(", "));
    ProblemResponder.send(
        ctx,
        Problem.of(
                ProblemType.METHOD_NOT_ALLOWED,
                ctx.request().method().name()
                    + " is not allowed on "
                    + ctx.request().path()
                    + "; allowed: "
                    + allow)
            .withHeader("Allow", allow));
  }

  /**
   * Whether a route's path, such as {@code /download/:id} or {@code /docs/swagger-ui/*}, names this
   * normalized request path; a trailing slash is ignored, as the router ignores it.
   */
  private static boolean matches(Route route, String path) {
    String template = route.getPath();
    if (template == null) {
      return false;
    }
    if (!route.isExactPath()) {
      return path.startsWith(template);
    }
    String[] expected = template.split("/", -1);
    String[] actual = trimTrailingSlash(path).split("/", -1);
    if (expected.length != actual.length) {
      return false;
    }
    for (int i = 0; i < expected.length; i++) {
      boolean parameter = expected[i].startsWith(":") && !actual[i].isEmpty();
      if (!parameter && !expected[i].equals(actual[i])) {
        return false;
      }
    }
    return true;
  }

  private static String trimTrailingSlash(String path) {
    return path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
  }
}
