package dev.logmerge.launcher;

import dev.logmerge.core.config.LogmergeConfig;
import dev.logmerge.core.job.RedisEndpoints;
import dev.logmerge.core.s3.RequestRetries;
import dev.logmerge.core.s3.S3ClientFactory;
import dev.logmerge.http.ProbeRoutes;
import io.netty.util.concurrent.EventExecutor;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.spi.cluster.ClusterManager;
import io.vertx.ext.healthchecks.CheckResult;
import io.vertx.ext.healthchecks.HealthChecks;
import io.vertx.ext.healthchecks.Status;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.healthchecks.HealthCheckHandler;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.Request;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.model.HeadBucketRequest;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * The JVM's liveness ({@code /health}) and readiness ({@code /ready}) checks. Every check answers
 * within {@link #CHECK_TIMEOUT}: a hanging Redis or S3 makes its check DOWN, never the probe hang.
 * The checks hold their own Redis connection and S3 client, so a probe never waits behind jobs.
 */
final class Probes implements AutoCloseable {
  /** Longest a single check may take; well under the probe timeouts docs/OPERATIONS.md gives. */
  static final Duration CHECK_TIMEOUT = Duration.ofSeconds(2);

  /** The HealthChecks' own timeout, later than ours: a check always ends with our message. */
  private static final long PROCEDURE_TIMEOUT_MS = CHECK_TIMEOUT.toMillis() + 1_000;

  private final Vertx vertx;
  private final Redis redis;
  private final S3AsyncClient s3;
  private final HealthChecks liveness;
  private final HealthChecks readiness;

  private Probes(Vertx vertx, Redis redis, S3AsyncClient s3) {
    this.vertx = vertx;
    this.redis = redis;
    this.s3 = s3;
    this.liveness = HealthChecks.create(vertx);
    this.readiness = HealthChecks.create(vertx);
  }

  /**
   * The checks of a JVM of this role.
   *
   * @param mergeDeployed whether the merge verticle is deployed; null for roles without one
   */
  static Probes create(
      Vertx vertx, Role role, LogmergeConfig config, BooleanSupplier mergeDeployed) {
    Redis redis =
        Redis.createClient(
            vertx,
            new RedisOptions(RedisEndpoints.of(config))
                .setMaxPoolSize(1)
                .setMaxPoolWaiting(16)
                .setNetClientOptions(
                    new NetClientOptions().setConnectTimeout((int) CHECK_TIMEOUT.toMillis())));
    // one attempt per probe: the probe itself is the retry
    S3AsyncClient s3 =
        S3ClientFactory.create(
            config, 4, new RequestRetries(1, Duration.ofMillis(1), Duration.ofMillis(1)));
    Probes probes = new Probes(vertx, redis, s3);
    probes.liveness("event-loops", probes::eventLoopsAnswer);
    probes.readiness("redis", probes::redisAnswers);
    probes.readiness("logs-bucket", () -> probes.bucketExists(config.logsBucket()));
    probes.readiness("results-bucket", () -> probes.bucketExists(config.resultsBucket()));
    if (role.clustered()) {
      probes.readiness("cluster", probes::clusterJoined);
    }
    if (mergeDeployed != null) {
      probes.readiness(
          "merge-worker",
          () ->
              mergeDeployed.getAsBoolean()
                  ? Future.succeededFuture()
                  : Future.failedFuture("the merge verticle is not deployed"));
    }
    return probes;
  }

  /**
   * The handlers to route {@code GET /health}, {@code GET /ready} and {@code GET /metrics} to.
   *
   * @param metrics the scrape handler; null when metrics are off
   */
  ProbeRoutes routes(Handler<RoutingContext> metrics) {
    return new ProbeRoutes(
        HealthCheckHandler.createWithHealthChecks(liveness),
        HealthCheckHandler.createWithHealthChecks(readiness),
        metrics);
  }

  private void liveness(String name, Supplier<Future<?>> check) {
    liveness.register(name, PROCEDURE_TIMEOUT_MS, promise -> run(check, promise));
  }

  private void readiness(String name, Supplier<Future<?>> check) {
    readiness.register(name, PROCEDURE_TIMEOUT_MS, promise -> run(check, promise));
  }

  /**
   * Completes the check UP or DOWN with the reason, never failed: a failed procedure makes the
   * handler answer 500, and a probe that is down must answer 503.
   */
  private static void run(Supplier<Future<?>> check, Promise<Status> promise) {
    Future<?> outcome;
    try {
      outcome = check.get();
    } catch (RuntimeException e) {
      outcome = Future.failedFuture(e);
    }
    outcome
        .timeout(CHECK_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
        .onComplete(
            done -> {
              if (done.succeeded()) {
                promise.tryComplete(Status.OK());
              } else {
                promise.tryComplete(
                    Status.KO(new JsonObject().put("reason", reason(done.cause()))));
              }
            });
  }

  private static String reason(Throwable cause) {
    if (cause instanceof TimeoutException) {
      return "timed out: no answer within " + CHECK_TIMEOUT.toMillis() + " ms";
    }
    String message = cause.getMessage();
    return message == null || message.isBlank() ? cause.getClass().getSimpleName() : message;
  }

  /** Every event loop runs a task: none of them is stuck. */
  private Future<?> eventLoopsAnswer() {
    List<Future<Void>> answers = new ArrayList<>();
    for (EventExecutor loop : ((VertxInternal) vertx).nettyEventLoopGroup()) {
      Promise<Void> answered = Promise.promise();
      loop.execute(answered::complete);
      answers.add(answered.future());
    }
    return Future.all(answers);
  }

  private Future<?> redisAnswers() {
    return redis.send(Request.cmd(Command.PING));
  }

  private Future<?> bucketExists(String bucket) {
    return Future.fromCompletionStage(
            s3.headBucket(
                HeadBucketRequest.builder()
                    .bucket(bucket)
                    .overrideConfiguration(o -> o.apiCallTimeout(CHECK_TIMEOUT))
                    .build()),
            vertx.getOrCreateContext())
        .recover(
            error -> {
              Throwable cause =
                  error instanceof CompletionException && error.getCause() != null
                      ? error.getCause()
                      : error;
              if (cause instanceof S3Exception s3Error && s3Error.statusCode() == 404) {
                return Future.failedFuture("bucket '" + bucket + "' does not exist");
              }
              return Future.failedFuture(cause);
            });
  }

  private Future<?> clusterJoined() {
    ClusterManager cluster = ((VertxInternal) vertx).clusterManager();
    if (cluster == null || !cluster.isActive()) {
      return Future.failedFuture("this JVM is not a member of the cluster");
    }
    return Future.succeededFuture();
  }

  /** The readiness checks' outcome, as {@code /ready} would send it. */
  Future<JsonObject> readiness() {
    return readiness.checkStatus().map(CheckResult::toJson);
  }

  @Override
  public void close() {
    redis.close();
    s3.close();
  }
}
