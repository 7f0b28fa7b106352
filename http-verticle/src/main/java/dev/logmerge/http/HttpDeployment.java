package dev.logmerge.http;

import dev.logmerge.core.config.LogmergeConfig;
import dev.logmerge.core.metrics.LogmergeMeters;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

/**
 * The REST API deployed as several {@link HttpVerticle} instances behind one port. Vert.x binds the
 * port once and hands each new connection to the next instance in turn; each instance runs on its
 * own event loop with its own Redis client, so the API uses as many cores as it has instances
 * instead of one.
 *
 * @param deploymentId undeploys every instance at once
 * @param port the port all instances listen on (the chosen one when {@code HTTP_PORT} is 0)
 * @param instances how many instances share it
 */
public record HttpDeployment(String deploymentId, int port, int instances) {
  /**
   * With port 0 Vert.x would bind a random port per instance, and only one of them would be known.
   * A negative port binds one random port and shares it between the servers that ask for the same
   * negative port: one such port per deployment, so two deployments in one Vert.x (a redeploy,
   * tests) never share connections.
   */
  private static final AtomicInteger SHARED_RANDOM_PORTS = new AtomicInteger();

  /**
   * Deploys {@code instances} HTTP verticles on the configured {@code HTTP_PORT}; completes once
   * all of them listen, on one port.
   */
  public static Future<HttpDeployment> deploy(Vertx vertx, LogmergeConfig config, int instances) {
    return deploy(vertx, config, S3FetchSettings.DEFAULTS, instances, null, LogmergeMeters.none());
  }

  /**
   * Like {@link #deploy(Vertx, LogmergeConfig, int)}, with {@code GET /health}, {@code GET /ready}
   * and {@code GET /metrics} answered by these handlers on the API's port, and the API's work
   * counted in {@code meters}.
   */
  public static Future<HttpDeployment> deploy(
      Vertx vertx,
      LogmergeConfig config,
      int instances,
      ProbeRoutes probes,
      LogmergeMeters meters) {
    return deploy(vertx, config, S3FetchSettings.DEFAULTS, instances, probes, meters);
  }

  /**
   * Like {@link #deploy(Vertx, LogmergeConfig, int)}, reaching S3 with these timeouts and pool size
   * instead of the defaults.
   */
  static Future<HttpDeployment> deploy(
      Vertx vertx, LogmergeConfig config, S3FetchSettings fetchSettings, int instances) {
    return deploy(vertx, config, fetchSettings, instances, null, LogmergeMeters.none());
  }

  private static Future<HttpDeployment> deploy(
      Vertx vertx,
      LogmergeConfig config,
      S3FetchSettings fetchSettings,
      int instances,
      ProbeRoutes probes,
      LogmergeMeters meters) {
    if (instances < 1) {
      throw new IllegalArgumentException("instances must be at least 1, got " + instances);
    }
    int port = config.httpPort() == 0 ? -SHARED_RANDOM_PORTS.incrementAndGet() : config.httpPort();
    List<HttpVerticle> verticles = new CopyOnWriteArrayList<>();
    return vertx
        .deployVerticle(
            () -> {
              HttpVerticle verticle = new HttpVerticle(config, fetchSettings, port, probes, meters);
              verticles.add(verticle);
              return verticle;
            },
            new DeploymentOptions().setInstances(instances))
        .compose(
            deploymentId -> {
              Set<Integer> ports =
                  verticles.stream().map(HttpVerticle::actualPort).collect(Collectors.toSet());
              if (ports.size() != 1) {
                // the port reported to operators and clients must be the one every instance serves
                return vertx
                    .undeploy(deploymentId)
                    .transform(
                        undeployed ->
                            Future.failedFuture(
                                new IllegalStateException(
                                    "the HTTP verticle instances listen on different ports "
                                        + ports
                                        + " instead of one")));
              }
              return Future.succeededFuture(
                  new HttpDeployment(deploymentId, ports.iterator().next(), verticles.size()));
            });
  }
}
