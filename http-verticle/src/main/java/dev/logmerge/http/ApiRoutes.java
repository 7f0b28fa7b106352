package dev.logmerge.http;

import static io.vertx.core.http.HttpMethod.GET;
import static io.vertx.core.http.HttpMethod.HEAD;
import static io.vertx.core.http.HttpMethod.POST;

import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;

/**
 * The API's routes (ARCHITECTURE.md, "HTTP API"), and the fallbacks that make every other request a
 * problem document: 405 with {@code Allow} on a known path, 404 elsewhere, and whatever failed, via
 * {@link ProblemResponder}.
 */
final class ApiRoutes {
  private ApiRoutes() {}

  static Router create(
      Vertx vertx,
      InitiateHandler initiate,
      InitiateValidation validation,
      DownloadHandler download,
      StatusHandler status) {
    Router router = Router.router(vertx);

    router
        .route(POST, "/initiate")
        .handler(validation.bodyReader())
        .handler(new JsonContentType())
        .handler(validation.schemaCheck())
        .handler(initiate)
        .failureHandler(validation::explainRejection);
    router.route("/initiate").handler(MethodNotAllowed.allowing(POST));

    router.route("/download/:id").method(GET).method(HEAD).handler(download::byPath);
    router.route("/download/:id").handler(MethodNotAllowed.allowing(GET, HEAD));
    router.route("/download").method(GET).method(HEAD).handler(download::byQuery);
    router.route("/download").handler(MethodNotAllowed.allowing(GET, HEAD));

    router.route("/status/:id").method(GET).method(HEAD).handler(status);
    router.route("/status/:id").handler(MethodNotAllowed.allowing(GET, HEAD));

    router
        .route()
        .handler(
            ctx ->
                ctx.fail(
                    Problem.of(ProblemType.NOT_FOUND, "no resource at " + ctx.request().path())
                        .toException()));
    router.route().failureHandler(new ProblemResponder());
    return router;
  }
}
