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
      ProbeRoutes probes) {
    Router router = Router.router(vertx);

    withJsonBody(router.route(POST, "/initiate"), initiate);
    router.route("/download/:id").method(GET).method(HEAD).handler(download::byPath);
    router.route(DELETE, "/download/:id").handler(cancel);
    router.route("/download").method(GET).method(HEAD).handler(download::byQuery);
    router.route("/status/:id").method(GET).method(HEAD).handler(status);
    router
        .route(GET, "/customers/:" + CustomerStatsHandler.PATH_PARAMETER + "/stats")
        .handler(stats.customer());
    router.route(GET, "/stats/days/:" + StatsDayHandler.PATH_PARAMETER).handler(stats.day());
    withJsonBody(router.route(POST, "/stats/reindex"), stats.reindex());
    if (probes != null) {
      router.route("/health").method(GET).handler(probes.health());
      router.route("/ready").method(GET).handler(probes.ready());
      if (probes.metrics() != null) {
        router.route("/metrics").method(GET).handler(probes.metrics());
      }
    }
    router.route("/openapi.yaml").method(GET).handler(document::sendYaml);
    router.route("/openapi.json").method(GET).handler(document::sendJson);
    router.route("/docs").method(GET).handler(docs::sendPage);
    Route assets = router.route(SwaggerUi.ASSETS_PATH + "*").method(GET);
    docs.assetHandlers().forEach(assets::handler);

    router.route().failureHandler(new ProblemResponder());
    router.errorHandler(
        404,
        ctx ->
            ProblemResponder.send(
                ctx, Problem.of(ProblemType.NOT_FOUND, "no resource at " + ctx.request().path())));
    router.errorHandler(405, ctx -> methodNotAllowed(ctx, router.getRoutes()));
    router.errorHandler(400, ApiRoutes::undecodable);
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
