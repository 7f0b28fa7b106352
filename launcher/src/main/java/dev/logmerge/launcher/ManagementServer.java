package dev.logmerge.launcher;

import static io.vertx.core.http.HttpMethod.GET;

import dev.logmerge.core.config.Setting;
import dev.logmerge.devservices.LocalPorts;
import dev.logmerge.http.ProbeRoutes;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import java.net.BindException;

/**
 * The merge role's small HTTP server on {@code MANAGEMENT_PORT}: a merge JVM has no REST API, and
 * orchestrators still need its {@code /health} and {@code /ready}, and Prometheus its {@code
 * /metrics}.
 */
final class ManagementServer {
  private ManagementServer() {}

  /**
   * Listens on {@code port} (0: any free port); fails with a message naming {@code MANAGEMENT_PORT}
   * when the port is taken.
   */
  static Future<HttpServer> start(Vertx vertx, int port, ProbeRoutes probes) {
    Router router = Router.router(vertx);
    router.route("/health").method(GET).handler(probes.health());
    router.route("/ready").method(GET).handler(probes.ready());
    if (probes.metrics() != null) {
      router.route("/metrics").method(GET).handler(probes.metrics());
    }
    return vertx
        .createHttpServer(new HttpServerOptions().setPort(port))
        .requestHandler(router)
        .listen()
        .recover(
            error ->
                Future.failedFuture(
                    error instanceof BindException
                        ? new LocalPorts.PortInUseException(
                            "the management server (" + Setting.MANAGEMENT_PORT.displayName() + ")",
                            port)
                        : error));
  }
}
