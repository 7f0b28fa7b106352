package dev.logmerge.http;

import dev.logmerge.core.config.LogmergeConfig;
import dev.logmerge.core.job.JobStore;
import dev.logmerge.core.job.RedisEndpoints;
import dev.logmerge.core.metrics.LogmergeMeters;
import dev.logmerge.core.s3.S3PresignerFactory;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import java.util.Objects;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * The REST front end: validates requests, records jobs in Redis, wakes the merge verticles over the
 * event bus, answers polls and statistics queries from Redis and streams finished results from S3.
 * It keeps no job state in memory, so any instance can answer for any job and a restart loses
 * nothing.
 *
 * <p>Each instance has its own Redis client and its own HTTP client to S3 (results are fetched with
 * SigV4 presigned URLs and relayed to the client on the instance's event loop); {@link
 * HttpDeployment} deploys several on one port. With {@code S3_PUBLIC_ENDPOINT} set, downloads are
 * redirected to presigned URLs there instead of relayed. Deployment completes only once the server
 * listens.
 */
public final class HttpVerticle extends VerticleBase {
  private final LogmergeConfig config;
  private final S3FetchSettings fetchSettings;
  private final int port;
  private final ProbeRoutes probes;
  private final LogmergeMeters meters;
  private JobStore store;
  private S3Presigner presigner;
  private S3Presigner clientPresigner;
  private HttpClient s3Http;
  private volatile HttpServer server;
  private volatile Router router;

  /**
   * @param config the process configuration: {@code REDIS_URL} (required), the S3 endpoint, region
   *     and credentials, {@code MAX_RANGE_DAYS} and the job policy are used
   * @param fetchSettings timeouts and pool size of the HTTP client to S3
   * @param port the port to listen on, as Vert.x takes it (negative: a random port shared by
   *     instances)
   * @param probes the {@code /health}, {@code /ready} and {@code /metrics} handlers; null: the API
   *     has none of them
   * @param meters where requests, jobs created, downloads and Redis calls are counted
   */
  HttpVerticle(
      LogmergeConfig config,
      S3FetchSettings fetchSettings,
      int port,
      ProbeRoutes probes,
      LogmergeMeters meters) {
    this.config = Objects.requireNonNull(config, "config");
    this.fetchSettings = Objects.requireNonNull(fetchSettings, "fetchSettings");
    this.port = port;
    this.probes = probes;
    this.meters = Objects.requireNonNull(meters, "meters");
    if (!config.redisConfigured()) {
      throw new IllegalStateException(
          "no Redis configured: start Redis (or the embedded one) first");
    }
  }

  @Override
  public Future<?> start() {
    store =
        JobStore.connect(
            vertx, RedisEndpoints.of(config), config.redisCalls(), config.jobs(), meters);
    presigner = S3PresignerFactory.create(config);
    s3Http = vertx.createHttpClient(fetchSettings.clientOptions(), fetchSettings.poolOptions());
    // with S3_PUBLIC_ENDPOINT clients fetch results from S3 themselves: a relay costs a core per
    // GB/s
    ResultRedirect redirect = null;
    if (config.s3PublicEndpoint() != null) {
      clientPresigner = S3PresignerFactory.forClients(config);
      redirect = new ResultRedirect(clientPresigner);
    }
    ResultResponder results =
        new ResultResponder(
            new ResultFetcher(s3Http, presigner, fetchSettings),
            fetchSettings.bodyIdleTimeout(),
            redirect,
            meters);
    return vertx
        .executeBlocking(() -> new Docs(ApiDocument.load(), SwaggerUi.load()))
        .compose(
            docs -> {
              JobWakeUp wakeUp = new JobWakeUp(vertx.eventBus());
              int maxRangeDays = config.maxRangeDays();
              router =
                  ApiRoutes.create(
                      vertx,
                      new InitiateHandler(store, wakeUp, maxRangeDays, meters),
                      new DownloadHandler(store, results),
                      new CancelHandler(store, meters),
                      new StatusHandler(store),
                      new StatsHandlers(
                          new CustomerStatsHandler(store.stats(), wakeUp, maxRangeDays),
                          new StatsDayHandler(store.stats()),
                          new ReindexHandler(store.stats(), wakeUp, maxRangeDays)),
                      docs.document(),
                      docs.ui(),
                      probes,
                      // with metrics off, not even a clock read per request
                      meters.recording() ? new RequestTimer(meters) : null);
              return vertx
                  .createHttpServer(new HttpServerOptions().setPort(port))
                  .requestHandler(router)
                  .listen();
            })
        .onSuccess(listening -> server = listening)
        .onFailure(error -> closeClients());
  }

  /** Read from the class path, off the event loop. */
  private record Docs(ApiDocument document, SwaggerUi ui) {}

  @Override
  public Future<?> stop() {
    HttpServer listening = server;
    Future<Void> closed = listening == null ? Future.succeededFuture() : listening.close();
    return closed.eventually(this::closeClients);
  }

  private Future<Void> closeClients() {
    store.close();
    presigner.close();
    if (clientPresigner != null) {
      clientPresigner.close();
    }
    return s3Http.close();
  }

  /**
   * The routes this instance serves (the contract test compares them with the OpenAPI document).
   *
   * @throws IllegalStateException before the deployment has completed
   */
  Router router() {
    Router routes = router;
    if (routes == null || server == null) {
      throw new IllegalStateException(
          "the HTTP server is not listening yet: wait for the deployment to complete");
    }
    return routes;
  }

  /**
   * The port the server listens on: the configured one, or the one chosen when {@code HTTP_PORT} is
   * 0.
   *
   * @throws IllegalStateException before the deployment has completed
   */
  int actualPort() {
    HttpServer listening = server;
    if (listening == null) {
      throw new IllegalStateException(
          "the HTTP server is not listening yet: wait for the deployment to complete");
    }
    return listening.actualPort();
  }
}
