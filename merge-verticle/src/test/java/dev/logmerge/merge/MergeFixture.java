package dev.logmerge.merge;

import dev.logmerge.core.DateRange;
import dev.logmerge.core.bus.Addresses;
import dev.logmerge.core.config.LogmergeConfig;
import dev.logmerge.core.config.Setting;
import dev.logmerge.core.job.Job;
import dev.logmerge.core.job.JobStore;
import dev.logmerge.core.metrics.LogmergeMeters;
import dev.logmerge.core.s3.S3ClientFactory;
import dev.logmerge.devservices.EmbeddedRedis;
import dev.logmerge.devservices.EmbeddedS3;
import dev.logmerge.loggen.GeneratorOptions;
import dev.logmerge.loggen.LogGenerator;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.async.AsyncResponseTransformer;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.MultipartUpload;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

/**
 * Real servers for merge tests: an embedded S3 over a temp dir, an embedded Redis, and Vert.x
 * instances running {@link MergeVerticle}s with short timings. Jobs are created through the real
 * {@link JobStore}.
 */
final class MergeFixture implements AutoCloseable {
  static final Map<String, String> FAST_TIMINGS =
      Map.of(
          "SCAN_INTERVAL", "200ms",
          "HEARTBEAT_INTERVAL", "200ms",
          "LEASE_TIMEOUT", "2s",
          "RETRY_BACKOFF", "100ms",
          "MAX_ATTEMPTS", "2",
          "MERGE_READ_AHEAD", "8MiB");

  final EmbeddedS3 s3Server;
  final EmbeddedRedis redis;
  final Vertx vertx = Vertx.vertx();
  final S3AsyncClient s3;
  final JobStore jobs;
  final LogmergeConfig config;

  /** What the workers deployed here count. */
  final LogmergeMeters meters = new LogmergeMeters(new SimpleMeterRegistry());

  private final List<String> deployments = new java.util.ArrayList<>();

  MergeFixture(Path dataDir, Map<String, String> settings) throws Exception {
    Files.createDirectories(dataDir.resolve("logs"));
    s3Server = EmbeddedS3.start(dataDir, 0, "minio", "minio123");
    redis = EmbeddedRedis.start(0);
    config = config(settings, s3Server.endpoint());
    s3 = S3ClientFactory.create(config);
    jobs = JobStore.connect(vertx, redis.url(), config.jobs());
  }

  LogmergeConfig config(Map<String, String> settings, URI s3Endpoint) {
    Map<String, String> all = new HashMap<>(FAST_TIMINGS);
    all.putAll(settings);
    return LogmergeConfig.fromEnvNames(all)
        .with(Setting.S3_ENDPOINT, s3Endpoint.toString())
        .with(Setting.REDIS_URL, redis.url());
  }

  Path logsDir() {
    return s3Server.dataDir().resolve("logs");
  }

  /**
   * Deploys a merge worker on this fixture's Vert.x with the fixture's S3 client; returns the
   * deployment id.
   */
  String deployWorker() {
    return deployWorker(config, s3);
  }

  /**
   * Deploys a merge worker with its own settings and S3 client (e.g. one behind a faulty network).
   */
  String deployWorker(LogmergeConfig workerConfig, S3AsyncClient workerS3) {
    String id = await(vertx.deployVerticle(new MergeVerticle(workerConfig, workerS3, meters)));
    deployments.add(id);
    return id;
  }

  void undeploy(String deployment) {
    await(vertx.undeploy(deployment));
    deployments.remove(deployment);
  }

  void undeployAll() {
    for (String id : List.copyOf(deployments)) {
      undeploy(id);
    }
  }

  /** Generator options for log files of these days in the logs bucket. */
  GeneratorOptions logs(String startDate, int days, int filesPerDay, int lines) {
    return GeneratorOptions.defaults(logsDir())
        .withStartDate(LocalDate.parse(startDate))
        .withDays(days)
        .withFilesPerDay(filesPerDay)
        .withLinesPerFile(lines);
  }

  /** Writes log files of these days into the logs bucket; returns them. */
  List<Path> generate(String startDate, int days, int filesPerDay, int lines) throws IOException {
    return LogGenerator.generate(logs(startDate, days, filesPerDay, lines));
  }

  /** Queues a job the way the HTTP front end does: record it, then wake the workers. */
  Job submit(String start, String end) {
    Job job = await(jobs.create(DateRange.parse(start, end)));
    vertx.eventBus().publish(Addresses.JOB_QUEUED, job.id());
    return job;
  }

  /** Polls Redis until the job is DONE or FAILED. */
  Job awaitFinal(String id, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    Job job = null;
    while (System.nanoTime() < deadline) {
      job = await(jobs.find(id)).orElseThrow();
      if (job.state().isFinal()) {
        return job;
      }
      Thread.sleep(50);
    }
    throw new AssertionError("job " + id + " not final after " + timeout + ": " + job);
  }

  byte[] object(String bucket, String key) {
    ResponseBytes<GetObjectResponse> bytes =
        join(s3.getObject(b -> b.bucket(bucket).key(key), AsyncResponseTransformer.toBytes()));
    return bytes.asByteArray();
  }

  GetObjectResponse objectHead(String bucket, String key) {
    return join(s3.getObject(b -> b.bucket(bucket).key(key), AsyncResponseTransformer.toBytes()))
        .response();
  }

  boolean objectExists(String bucket, String key) {
    try {
      join(s3.headObject(b -> b.bucket(bucket).key(key)));
      return true;
    } catch (AssertionError e) {
      if (e.getCause() instanceof NoSuchKeyException
          || e.getCause() instanceof software.amazon.awssdk.services.s3.model.S3Exception s3e
              && s3e.statusCode() == 404) {
        return false;
      }
      throw e;
    }
  }

  List<MultipartUpload> openUploads(String bucket) {
    return join(s3.listMultipartUploads(b -> b.bucket(bucket))).uploads();
  }

  /** The future's result within a minute; a failure or a timeout fails the test. */
  static <T> T await(Future<T> future) {
    try {
      future.otherwiseEmpty().await(60, TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      throw new AssertionError("no answer within 60 s", e);
    }
    if (future.failed()) {
      throw new AssertionError("operation failed: " + future.cause(), future.cause());
    }
    return future.result();
  }

  /** The SDK future's result within a minute; a failure or a timeout fails the test. */
  static <T> T join(CompletableFuture<T> future) {
    try {
      return future.orTimeout(60, TimeUnit.SECONDS).join();
    } catch (CompletionException e) {
      throw new AssertionError("operation failed: " + e.getCause(), e.getCause());
    }
  }

  @Override
  public void close() {
    undeployAll();
    jobs.close();
    await(vertx.close());
    s3.close();
    redis.close();
    s3Server.close();
  }
}
