package dev.logmerge.launcher;

import dev.logmerge.core.config.LogmergeConfig;
import dev.logmerge.http.HttpDeployment;
import dev.logmerge.http.ProbeRoutes;
import dev.logmerge.merge.MergeVerticle;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.s3.S3AsyncClient;

/**
 * One running logmerge JVM of a given role: its embedded services, its Vert.x (clustered or not),
 * the SDK's S3 client of its merge verticles, its metrics, and the verticles themselves. Started
 * and stopped from a plain thread (main, a shutdown hook, a test), never from an event loop.
 */
public final class LogmergeApp implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(LogmergeApp.class);
  private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);

  private final Role role;
  private final DevServices services;
  private final Vertx vertx;
  private final S3AsyncClient s3;
  private final Probes probes;
  private final PrometheusMetrics metrics;
  private final int httpPort;
  private final int managementPort;

  private LogmergeApp(
      Role role,
      DevServices services,
      Vertx vertx,
      S3AsyncClient s3,
      Probes probes,
      PrometheusMetrics metrics,
      int httpPort,
      int managementPort) {
    this.role = role;
    this.services = services;
    this.vertx = vertx;
    this.s3 = s3;
    this.probes = probes;
    this.metrics = metrics;
    this.httpPort = httpPort;
    this.managementPort = managementPort;
  }

  /** Starts everything the role needs; on failure, stops what was started and rethrows. */
  public static LogmergeApp start(Role role, LogmergeConfig requested) {
    DevServices services = DevServices.startMissing(role, requested);
    LogmergeConfig config = services.config();
    Vertx vertx = null;
    S3AsyncClient s3 = null;
    Probes probes = null;
    PrometheusMetrics metrics = null;
    try {
      if (role == Role.SERVICES) {
        // the same readiness line as every role: scripts and the cluster tests wait for it
        LOG.info(
            "logmerge {} ready: S3 at {}, Redis at {}",
            role.label(),
            config.s3Endpoint(),
            config.redisDescription());
        return new LogmergeApp(role, services, null, null, null, null, -1, -1);
      }
      metrics = PrometheusMetrics.create(config);
      vertx = await(VertxFactory.create(role, config.cluster(), metrics.registry()), START_TIMEOUT);
      int httpPort = -1;
      int managementPort = -1;
      BooleanSupplier mergeDeployed = null;
      if (role.runsMerge()) {
        s3 = MergeVerticle.createS3Client(config);
        String mergeDeployment =
            await(
                vertx.deployVerticle(new MergeVerticle(config, s3, metrics.meters())),
                START_TIMEOUT);
        Vertx deployedOn = vertx;
        mergeDeployed = () -> deployedOn.deploymentIDs().contains(mergeDeployment);
      }
      probes = Probes.create(vertx, role, config, mergeDeployed);
      ProbeRoutes routes = probes.routes(metrics.scrapeHandler(vertx, config));
      if (!role.runsHttp()) {
        // no REST port to share: the probes and metrics get a small server of their own
        managementPort =
            await(ManagementServer.start(vertx, config.managementPort(), routes), START_TIMEOUT)
                .actualPort();
      }
      if (role.runsHttp()) {
        // one instance per core the JVM may use (a container's CPU limit included): one event loop
        // would hold the whole API to one core. It fetches results with its own HTTP clients and
        // presigned URLs, not the SDK's
        int instances = Runtime.getRuntime().availableProcessors();
        HttpDeployment http =
            await(
                HttpDeployment.deploy(vertx, config, instances, routes, metrics.meters()),
                START_TIMEOUT);
        httpPort = http.port();
        LOG.info(
            "logmerge {} ready: REST API on http://localhost:{} ({} event loops)",
            role.label(),
            httpPort,
            http.instances());
      } else {
        LOG.info(
            "logmerge {} ready: /health, /ready and /metrics on http://localhost:{}",
            role.label(),
            managementPort);
      }
      return new LogmergeApp(role, services, vertx, s3, probes, metrics, httpPort, managementPort);
    } catch (RuntimeException e) {
      stopQuietly(vertx, s3, probes, metrics, services);
      throw e;
    }
  }

  /** The configuration in effect, including the endpoints of embedded services. */
  public LogmergeConfig config() {
    return services.config();
  }

  /** The port the REST API listens on; -1 for roles without it. */
  public int httpPort() {
    return httpPort;
  }

  /**
   * The port of the merge role's management server ({@code /health}, {@code /ready}, {@code
   * /metrics}); else -1.
   */
  public int managementPort() {
    return managementPort;
  }

  /**
   * Stops in dependency order: verticles first (merge workers hand their running jobs back to the
   * queue), then the S3 client, then the embedded services.
   */
  @Override
  public void close() {
    LOG.info("logmerge {} stopping", role.label());
    stopQuietly(vertx, s3, probes, metrics, services);
    LOG.info("logmerge {} stopped", role.label());
  }

  private static void stopQuietly(
      Vertx vertx,
      S3AsyncClient s3,
      Probes probes,
      PrometheusMetrics metrics,
      DevServices services) {
    if (vertx != null) {
      try {
        await(vertx.close(), STOP_TIMEOUT);
      } catch (RuntimeException e) {
        LOG.warn("Vert.x did not stop cleanly: {}", e.getMessage());
      }
    }
    if (s3 != null) {
      s3.close();
    }
    if (probes != null) {
      probes.close();
    }
    if (metrics != null) {
      metrics.close();
    }
    services.close();
  }

  /**
   * The future's result; its failure (a checked one wrapped) or a timeout as an unchecked
   * exception, so that start and stop clean up after either.
   */
  private static <T> T await(Future<T> future, Duration timeout) {
    try {
      future.otherwiseEmpty().await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      throw new IllegalStateException("gave up after " + timeout.toSeconds() + " s", e);
    } catch (Exception interrupted) { // await rethrows InterruptedException unchecked
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", interrupted);
    }
    if (future.failed()) {
      throw future.cause() instanceof RuntimeException runtime
          ? runtime
          : new IllegalStateException(future.cause().getMessage(), future.cause());
    }
    return future.result();
  }
}
