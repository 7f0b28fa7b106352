package dev.logmerge.http;

import dev.logmerge.core.DateRange;
import dev.logmerge.core.config.LogmergeConfig;
import dev.logmerge.core.config.Setting;
import dev.logmerge.core.job.Job;
import dev.logmerge.core.job.JobFailure;
import dev.logmerge.core.job.JobProgress;
import dev.logmerge.core.job.JobResult;
import dev.logmerge.core.job.JobState;
import dev.logmerge.core.job.JobStore;
import dev.logmerge.core.job.RedisKeys;
import dev.logmerge.core.metrics.LogmergeMeters;
import dev.logmerge.core.s3.S3ClientFactory;
import dev.logmerge.core.stats.DayRecord;
import dev.logmerge.core.stats.StatsRow;
import dev.logmerge.devservices.EmbeddedRedis;
import dev.logmerge.devservices.EmbeddedS3;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisAPI;
import io.vertx.redis.client.Response;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import software.amazon.awssdk.core.async.AsyncRequestBody;
import software.amazon.awssdk.services.s3.S3AsyncClient;

/**
 * Real Redis and real S3 (both embedded) for one test class, an {@link HttpVerticle} deployed over
 * them, and the shortcuts the API tests need: a job store playing the merge worker, Redis
 * inspection, results put into S3 with the real client.
 */
final class TestServices implements AutoCloseable {
  static final String WORKER = "test-worker";
  private static final int AWAIT_SECONDS = 20;

  final Vertx vertx;
  final EmbeddedRedis redis;
  final EmbeddedS3 s3Server;
  final LogmergeConfig config;
  final S3AsyncClient s3;
  final JobStore worker;
  private final RedisAPI inspect;

  private TestServices(
      Vertx vertx, EmbeddedRedis redis, EmbeddedS3 s3Server, LogmergeConfig config) {
    this.vertx = vertx;
    this.redis = redis;
    this.s3Server = s3Server;
    this.config = config;
    this.s3 = S3ClientFactory.create(config);
    this.worker = JobStore.connect(vertx, config.redisUrl(), config.jobs());
    this.inspect = RedisAPI.api(Redis.createClient(vertx, config.redisUrl()));
  }

  /**
   * Starts Redis and S3 (results bucket created), for an API deployed on {@code vertx}.
   *
   * @param env settings beyond the test defaults, by environment-variable name
   */
  static TestServices start(Vertx vertx, Path s3Dir, Map<String, String> env) {
    EmbeddedRedis redis = EmbeddedRedis.start(0);
    EmbeddedS3 s3Server = EmbeddedS3.start(s3Dir, 0, "minio", "minio123");
    LogmergeConfig config = configFor(redis.url(), s3Server, env);
    TestServices services = new TestServices(vertx, redis, s3Server, config);
    services.s3.createBucket(b -> b.bucket(config.resultsBucket())).join();
    return services;
  }

  /** A configuration for the same Redis and S3 with other settings, for a second verticle. */
  LogmergeConfig configWith(Map<String, String> env) {
    return configFor(config.redisUrl(), s3Server, env);
  }

  private static LogmergeConfig configFor(
      String redisUrl, EmbeddedS3 s3Server, Map<String, String> env) {
    Map<String, String> settings = new HashMap<>(Map.of("HTTP_PORT", "0"));
    settings.putAll(env);
    return LogmergeConfig.fromEnvNames(settings)
        .with(Setting.REDIS_URL, redisUrl)
        .with(Setting.S3_ENDPOINT, s3Server.endpoint().toString());
  }

  /**
   * Deploys the API with this configuration (or another) as production does, on two event loops; it
   * listens once this returns.
   */
  HttpDeployment deployHttp(LogmergeConfig verticleConfig) {
    return deployHttp(verticleConfig, S3FetchSettings.DEFAULTS);
  }

  /** Deploys the API like {@link #deployHttp(LogmergeConfig)}; returns a client of it. */
  ApiClient deployApi(LogmergeConfig verticleConfig) {
    return new ApiClient(vertx, deployHttp(verticleConfig).port());
  }

  /**
   * Deploys a single API verticle, with these probe handlers (null: none), to reach its router; it
   * listens once this returns. Its requests are timed, as with metrics on by default.
   */
  HttpVerticle deployVerticle(LogmergeConfig verticleConfig, ProbeRoutes probes) {
    return deployVerticle(verticleConfig, probes, new LogmergeMeters(new SimpleMeterRegistry()));
  }

  /** Like {@link #deployVerticle(LogmergeConfig, ProbeRoutes)}, counting into these meters. */
  HttpVerticle deployVerticle(
      LogmergeConfig verticleConfig, ProbeRoutes probes, LogmergeMeters meters) {
    HttpVerticle verticle =
        new HttpVerticle(verticleConfig, S3FetchSettings.DEFAULTS, 0, probes, meters);
    await(vertx.deployVerticle(verticle));
    return verticle;
  }

  /** The process id of the redis-server, as it tells in {@code INFO server}. */
  long redisPid() {
    String info = await(inspect.info(List.of("server"))).toString();
    return info.lines()
        .filter(line -> line.startsWith("process_id:"))
        .mapToLong(line -> Long.parseLong(line.substring("process_id:".length()).trim()))
        .findFirst()
        .orElseThrow(() -> new IllegalStateException("INFO server names no process_id"));
  }

  /** Like {@link #deployHttp(LogmergeConfig)}, reaching S3 with these timeouts and pool size. */
  HttpDeployment deployHttp(LogmergeConfig verticleConfig, S3FetchSettings fetchSettings) {
    return await(HttpDeployment.deploy(vertx, verticleConfig, fetchSettings, 2));
  }

  /** The client connections Redis has open now, from every client. */
  long redisConnections() {
    return await(inspect.client(List.of("LIST"))).toString().lines().count();
  }

  void flushRedis() {
    await(inspect.flushall(List.of()));
  }

  /** Every key in Redis, sorted. */
  List<String> redisKeys() {
    return await(inspect.keys("*")).stream().map(Response::toString).sorted().toList();
  }

  /** The ids in the job queue, oldest first. */
  List<String> queuedJobIds() {
    return await(inspect.zrange(List.of(RedisKeys.QUEUED, "0", "-1"))).stream()
        .map(Response::toString)
        .toList();
  }

  List<String> jobKeys() {
    return await(inspect.keys(RedisKeys.JOB_PREFIX + "*")).stream()
        .map(Response::toString)
        .toList();
  }

  Map<String, String> jobHash(String id) {
    Response hash = await(inspect.hgetall(RedisKeys.job(id)));
    Map<String, String> fields = new HashMap<>();
    for (String key : hash.getKeys()) {
      fields.put(key, hash.get(key).toString());
    }
    return fields;
  }

  /**
   * Puts an object into the results bucket; returns it as a merge worker reports it, with its ETag
   * as S3 reports it.
   */
  JobResult storeResult(String key, AsyncRequestBody body) {
    String etag = s3.putObject(b -> b.bucket(config.resultsBucket()).key(key), body).join().eTag();
    return new JobResult(config.resultsBucket(), key, body.contentLength().orElseThrow(), etag);
  }

  /**
   * Initiates a job through the API, then plays the merge worker completing it with this result;
   * returns the job's id.
   */
  String doneJob(ApiClient api, JobResult result) {
    String id = api.initiated("2019-08-19", "2019-08-25");
    complete(id, result);
    return id;
  }

  /**
   * Plays the merge worker: claims the job (unless it runs already) and completes it with this
   * result.
   */
  Job complete(String id, JobResult result) {
    claimIfQueued(id);
    await(worker.complete(id, WORKER, result, JobProgress.NONE));
    return await(worker.find(id)).orElseThrow();
  }

  /** Plays the merge worker: claims the job (unless it runs already) and fails it. */
  void fail(String id, JobFailure failure) {
    claimIfQueued(id);
    await(worker.fail(id, WORKER, failure));
  }

  /**
   * Plays the merge worker: claims the job (unless it runs already) and hands it back for another
   * attempt after this failure.
   */
  void retryLater(String id, JobFailure failure) {
    claimIfQueued(id);
    await(worker.retryLater(await(worker.find(id)).orElseThrow(), WORKER, failure));
  }

  /**
   * Plays a statistics worker indexing one day, as the workers store it: a statistics job for the
   * day (which must be the only job queued), claimed, the day begun (a new generation), the rows
   * stored, the day recorded, the job done.
   *
   * @param rows customer id → that customer's row of the day
   * @return the generation of this indexing
   */
  long indexDay(DayRecord record, Map<String, StatsRow> rows) {
    LocalDate day = record.date();
    Job job = await(worker.stats().reindex(new DateRange(day, day)));
    claim(job.id());
    long generation = await(worker.stats().beginDay(job.id(), WORKER, day)).orElseThrow();
    if (!rows.isEmpty()) {
      await(worker.stats().storeRows(day, generation, rows));
    }
    if (!await(worker.stats().recordDay(generation, record))) {
      throw new IllegalStateException("a newer indexing of " + day + " was recorded already");
    }
    await(worker.completeIndexing(job.id(), WORKER, JobProgress.NONE));
    return generation;
  }

  private void claimIfQueued(String id) {
    if (await(worker.find(id)).orElseThrow().state() == JobState.QUEUED) {
      claim(id);
    }
  }

  /** Plays the merge worker: claims the job, which must be the only one queued. */
  void claim(String id) {
    Job claimed = await(worker.claim(WORKER)).orElseThrow();
    if (!claimed.id().equals(id)) {
      throw new IllegalStateException("claimed " + claimed.id() + " instead of " + id);
    }
  }

  /**
   * The future's result, waited for on the calling (test) thread; fails the test if the future
   * fails or has no outcome within {@value #AWAIT_SECONDS} s.
   */
  static <T> T await(Future<T> future) {
    try {
      return future.await(AWAIT_SECONDS, TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      throw new AssertionError("the future had no outcome within " + AWAIT_SECONDS + " s", e);
    } catch (Exception e) {
      throw new AssertionError("the future failed: " + e, e);
    }
  }

  @Override
  public void close() {
    worker.close();
    s3.close();
    s3Server.close();
    redis.close();
  }
}
