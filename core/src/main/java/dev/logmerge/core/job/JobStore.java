package dev.logmerge.core.job;

import dev.logmerge.core.DateRange;
import dev.logmerge.core.config.JobPolicy;
import dev.logmerge.core.config.RedisCallPolicy;
import dev.logmerge.core.metrics.LogmergeMeters;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClientOptions;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.ProtocolVersion;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisAPI;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import io.vertx.redis.client.ResponseType;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The durable record of every job, in Redis. Each state change is one Lua script, so concurrent
 * workers and front ends never see or make a half-done transition; times come from the Redis
 * server's clock. Workers may only change jobs they hold (claimed and lease not yet taken back).
 *
 * <p>Longer than most classes because it is the whole job state machine as seen from Java: one
 * method per transition, each a script call with its keys and arguments. Split, the transitions
 * would have to be looked for in several places.
 */
public final class JobStore {
  private static final LuaScript CREATE = LuaScript.load("create");
  private static final LuaScript CLAIM = LuaScript.load("claim");
  private static final LuaScript HEARTBEAT = LuaScript.load("heartbeat");
  private static final LuaScript FINISH = LuaScript.load("finish");
  private static final LuaScript REQUEUE = LuaScript.load("requeue");
  private static final LuaScript REQUEUE_EXPIRED = LuaScript.load("requeue_expired");
  private static final LuaScript CANCEL = LuaScript.load("cancel");
  private static final LuaScript ATTACH = LuaScript.load("attach");
  private static final LuaScript FORGET_RESULT = LuaScript.load("forget_result");

  private final PipelinedRedis client;
  private final RedisCallGuard guard;
  private final RedisAPI redis;
  private final JobPolicy policy;
  private final LogmergeMeters meters;
  private final StatsStore stats;

  private JobStore(
      PipelinedRedis client, RedisCallGuard guard, JobPolicy policy, LogmergeMeters meters) {
    this.client = client;
    this.guard = guard;
    this.redis = RedisAPI.api(client);
    this.policy = policy;
    this.meters = meters;
    this.stats = new StatsStore(this);
  }

  /**
   * Like {@link #connect(Vertx, String, RedisCallPolicy, JobPolicy, LogmergeMeters)} with the
   * default Redis timeout and breaker, its calls not measured.
   */
  public static JobStore connect(Vertx vertx, String redisUrl, JobPolicy policy) {
    return connect(
        vertx,
        RedisEndpoints.standalone(redisUrl),
        RedisCallPolicy.DEFAULTS,
        policy,
        LogmergeMeters.none());
  }

  /** Like {@link #connect(Vertx, RedisOptions, RedisCallPolicy, JobPolicy, LogmergeMeters)}. */
  public static JobStore connect(
      Vertx vertx,
      String redisUrl,
      RedisCallPolicy calls,
      JobPolicy policy,
      LogmergeMeters meters) {
    return connect(vertx, RedisEndpoints.standalone(redisUrl), calls, policy, meters);
  }

  /**
   * Creates a store that sends all its commands pipelined over one Redis connection, made lazily
   * and made again after a failure; each call is bounded and guarded as {@code calls} says (see
   * {@link RedisCallGuard}), and its latency and failures go to {@code meters}.
   *
   * @param redis where to connect ({@link RedisEndpoints}); with Sentinel, each new connection
   *     (after a broken one, or after the breaker dropped the client) goes to the master Sentinel
   *     names then
   */
  public static JobStore connect(
      Vertx vertx,
      RedisOptions redis,
      RedisCallPolicy calls,
      JobPolicy policy,
      LogmergeMeters meters) {
    RedisOptions options =
        new RedisOptions(redis)
            .setPreferredProtocolVersion(ProtocolVersion.RESP2)
            // the shared connection, and one more while a broken one is let go
            .setMaxPoolSize(2)
            .setMaxPoolWaiting(64)
            // commands in flight on the shared connection: more than one event loop serves at once
            .setMaxWaitingHandlers(4096)
            .setNetClientOptions(
                new NetClientOptions().setConnectTimeout(2_000).setTcpKeepAlive(true));
    PipelinedRedis client = new PipelinedRedis(vertx, () -> Redis.createClient(vertx, options));
    return new JobStore(client, new RedisCallGuard(vertx, client, calls, meters), policy, meters);
  }

  public JobPolicy policy() {
    return policy;
  }

  /** The statistics kept in the same Redis, over the same connection. */
  public StatsStore stats() {
    return stats;
  }

  PipelinedRedis client() {
    return client;
  }

  RedisAPI redis() {
    return redis;
  }

  /**
   * Records a new QUEUED job for the range.
   *
   * @return the job; fails with {@link QueueFullException} when too many jobs are queued
   */
  public Future<Job> create(DateRange range) {
    return create(JobKind.MERGE, range);
  }

  /**
   * Records a new QUEUED job of this kind for the range.
   *
   * @return the job; fails with {@link QueueFullException} when too many jobs are queued
   */
  public Future<Job> create(JobKind kind, DateRange range) {
    String id = JobIds.newId();
    return call(
            "create",
            () ->
                CREATE.run(
                    redis,
                    List.of(RedisKeys.job(id), RedisKeys.QUEUED),
                    List.of(
                        id,
                        range.start().toString(),
                        range.end().toString(),
                        ttlMs(),
                        Integer.toString(policy.maxQueuedJobs()),
                        kind.code())))
        .compose(
            created ->
                created.type() == ResponseType.NUMBER
                    ? Future.failedFuture(new QueueFullException(policy.maxQueuedJobs()))
                    : Future.succeededFuture(Job.fromHash(toMap(created))));
  }

  /** The job with this id, or empty when unknown or expired. */
  public Future<Optional<Job>> find(String id) {
    return call("find", () -> client.read(Request.cmd(Command.HGETALL).arg(RedisKeys.job(id))))
        .map(
            hash -> {
              Map<String, String> fields = toMap(hash);
              return fields.isEmpty() ? Optional.<Job>empty() : Optional.of(Job.fromHash(fields));
            });
  }

  /**
   * Claims the oldest claimable queued job for this worker, with a fresh lease; empty when none is
   * queued.
   */
  public Future<Optional<Job>> claim(String workerId) {
    return call(
            "claim",
            () ->
                CLAIM.run(
                    redis,
                    List.of(RedisKeys.QUEUED, RedisKeys.RUNNING),
                    List.of(
                        RedisKeys.JOB_PREFIX,
                        workerId,
                        Long.toString(policy.leaseTimeout().toMillis()),
                        ttlMs())))
        .map(hash -> hash == null ? Optional.<Job>empty() : Optional.of(Job.fromHash(toMap(hash))));
  }

  /**
   * Renews the worker's lease and records progress, on the job and on the jobs waiting for its
   * merge; tells the worker to stop when the lease passed on or the job was cancelled.
   */
  public Future<Hold> heartbeat(String id, String workerId, JobProgress progress) {
    List<String> args =
        new ArrayList<>(List.of(id, workerId, Long.toString(policy.leaseTimeout().toMillis())));
    args.addAll(progressFields(progress));
    return call(
            "heartbeat",
            () -> HEARTBEAT.run(redis, List.of(RedisKeys.job(id), RedisKeys.RUNNING), args))
        .map(JobStore::hold);
  }

  /**
   * Once the worker holding the job has listed its inputs: the job ends DONE at once with the
   * result remembered for the same inputs, or waits for the job merging them now, or is recorded as
   * the one merging them.
   *
   * @param fingerprint digest of the listed inputs (see the merge verticle's InputFingerprint)
   */
  public Future<Attachment> attach(String id, String workerId, String fingerprint) {
    return call(
            "attach",
            () ->
                ATTACH.run(
                    redis,
                    List.of(RedisKeys.job(id), RedisKeys.RUNNING, RedisKeys.QUEUED),
                    List.of(
                        id,
                        workerId,
                        fingerprint,
                        ttlMs(),
                        Long.toString(policy.leaseTimeout().toMillis()))))
        .map(
            answer ->
                switch (answer.get(0).toInteger()) {
                  case 1 -> new Attachment(Attachment.Kind.MERGE, null, null);
                  case 2 ->
                      new Attachment(
                          Attachment.Kind.CACHED, null, Job.fromHash(toMap(answer.get(1))));
                  case 3 -> new Attachment(Attachment.Kind.FOLLOW, answer.get(1).toString(), null);
                  default -> new Attachment(Attachment.Kind.LOST, null, null);
                });
  }

  /** The result remembered for inputs with this fingerprint, if a merge of them is on record. */
  public Future<Optional<JobResult>> rememberedResult(String fingerprint) {
    return call(
            "remembered-result",
            () -> client.read(Request.cmd(Command.HGETALL).arg(RedisKeys.result(fingerprint))))
        .map(
            hash -> {
              Map<String, String> fields = toMap(hash);
              return fields.isEmpty()
                  ? Optional.<JobResult>empty()
                  : Optional.of(Job.resultOf(fields));
            });
  }

  /**
   * Forgets the remembered result of these inputs if it still names {@code resultKey} (the object
   * is gone from the results bucket); true when forgotten.
   */
  public Future<Boolean> forgetResult(String fingerprint, String resultKey) {
    return call(
            "forget-result",
            () ->
                FORGET_RESULT.run(
                    redis, List.of(RedisKeys.result(fingerprint)), List.of(resultKey)))
        .map(forgotten -> forgotten.toInteger() == 1);
  }

  /**
   * Cancels a QUEUED or RUNNING job: it is CANCELLED at once and its worker stops on its next
   * heartbeat. Jobs sharing its merge are not cancelled with it (their merge goes on). Cancelling
   * again changes nothing; a job that already ended DONE or FAILED is left as it is.
   */
  public Future<Cancellation> cancel(String id) {
    return call(
            "cancel",
            () ->
                CANCEL.run(
                    redis,
                    List.of(RedisKeys.job(id), RedisKeys.QUEUED, RedisKeys.RUNNING),
                    List.of(id, ttlMs())))
        .map(
            answer ->
                switch (answer.get(0).toInteger()) {
                  case 1 ->
                      new Cancellation(
                          Cancellation.Outcome.CANCELLED, Job.fromHash(toMap(answer.get(1))));
                  case 2 ->
                      new Cancellation(
                          Cancellation.Outcome.ALREADY_FINISHED,
                          Job.fromHash(toMap(answer.get(1))));
                  case 3 ->
                      new Cancellation(
                          Cancellation.Outcome.ALREADY_CANCELLED,
                          Job.fromHash(toMap(answer.get(1))));
                  default -> new Cancellation(Cancellation.Outcome.UNKNOWN, null);
                });
  }

  /**
   * Marks the job DONE with its result, and the jobs waiting for its merge with it, and remembers
   * the result for its inputs; tells the worker when it no longer holds the job or the job was
   * cancelled (then nothing is recorded).
   */
  public Future<Hold> complete(String id, String workerId, JobResult result, JobProgress progress) {
    List<String> fields = new ArrayList<>(progressFields(progress));
    fields.addAll(
        List.of(
            JobFields.RESULT_BUCKET, result.bucket(),
            JobFields.RESULT_KEY, result.key(),
            JobFields.RESULT_SIZE, Long.toString(result.size()),
            JobFields.RESULT_ETAG, result.etag()));
    return finish(id, workerId, JobState.DONE, null, fields);
  }

  /**
   * Marks a statistics job DONE (its days are indexed); tells the worker when it no longer holds
   * the job (then nothing is recorded).
   */
  public Future<Hold> completeIndexing(String id, String workerId, JobProgress progress) {
    return finish(id, workerId, JobState.DONE, null, progressFields(progress));
  }

  /**
   * Marks the job FAILED for good, and the jobs waiting for its merge with it; tells the worker
   * when it no longer holds the job or the job was cancelled (then nothing is recorded).
   */
  public Future<Hold> fail(String id, String workerId, JobFailure failure) {
    return finish(
        id,
        workerId,
        JobState.FAILED,
        failure.code(),
        List.of(
            JobFields.ERROR_CODE,
            failure.code().code(),
            JobFields.ERROR_MESSAGE,
            failure.message()));
  }

  /**
   * Hands back a job whose attempt failed in a way worth retrying: queued again after the policy's
   * backoff, or FAILED with this failure when it has used its attempts.
   */
  public Future<RequeueOutcome> retryLater(Job job, String workerId, JobFailure failure) {
    return requeue(
        job.id(),
        workerId,
        policy.retryDelay(job.attempts()).toMillis(),
        0,
        policy.maxAttempts(),
        failure);
  }

  /**
   * Hands back a job this worker will not finish (it is shutting down): queued again at once, and
   * the attempt does not count against the job.
   */
  public Future<RequeueOutcome> release(String id, String workerId) {
    return requeue(
        id,
        workerId,
        0,
        -1,
        0,
        new JobFailure(
            FailureCode.WORKER_LOST, "worker " + workerId + " shut down and handed the job back"));
  }

  /** Returns jobs with expired leases to the queue, or fails them when out of attempts. */
  public Future<ExpiredLeases> requeueExpired() {
    return call(
            "requeue-expired",
            () ->
                REQUEUE_EXPIRED.run(
                    redis,
                    List.of(RedisKeys.RUNNING, RedisKeys.QUEUED),
                    List.of(
                        RedisKeys.JOB_PREFIX,
                        Integer.toString(policy.maxAttempts()),
                        ttlMs(),
                        Long.toString(policy.leaseTimeout().toMillis()))))
        .map(
            answer -> {
              meters.followersFinished(
                  JobState.FAILED, FailureCode.WORKER_LOST, answer.get(2).toInteger());
              return new ExpiredLeases(idsOf(answer.get(0)), idsOf(answer.get(1)));
            });
  }

  /** How many jobs are queued and running: two ZCARDs in one round trip. */
  public Future<QueueDepths> queueDepths() {
    return call(
            "queue-depths",
            () ->
                client.batch(
                    List.of(
                        Request.cmd(Command.ZCARD).arg(RedisKeys.QUEUED),
                        Request.cmd(Command.ZCARD).arg(RedisKeys.RUNNING))))
        .map(counts -> new QueueDepths(counts.get(0).toLong(), counts.get(1).toLong()));
  }

  public void close() {
    guard.close();
    client.close();
  }

  /**
   * Records the final state; the jobs that waited for this merge end with it, and are counted here:
   * the worker counts the job it held, and nothing else sees the others end.
   *
   * @param code why the job failed; null for DONE
   */
  private Future<Hold> finish(
      String id, String workerId, JobState state, FailureCode code, List<String> fields) {
    List<String> args = new ArrayList<>(List.of(id, workerId, ttlMs(), state.name()));
    args.addAll(fields);
    return call(
            "finish", () -> FINISH.run(redis, List.of(RedisKeys.job(id), RedisKeys.RUNNING), args))
        .map(
            answer -> {
              Hold hold = hold(answer);
              if (hold.held()) {
                meters.followersFinished(state, code, answer.get(2).toInteger());
              }
              return hold;
            });
  }

  /**
   * A script's {@code {1, id, …}} (held), {@code {2}} (cancelled) or {@code {0}} (lost); a
   * heartbeat's {@code {1, id}} too.
   */
  private static Hold hold(Response answer) {
    return switch (answer.get(0).toInteger()) {
      case 1 -> Hold.held(answer.get(1).toString());
      case 2 -> Hold.CANCELLED;
      default -> Hold.LOST;
    };
  }

  private Future<RequeueOutcome> requeue(
      String id,
      String workerId,
      long delayMs,
      int attemptsAdjustment,
      int maxAttempts,
      JobFailure failure) {
    return call(
            "requeue",
            () ->
                REQUEUE.run(
                    redis,
                    List.of(RedisKeys.job(id), RedisKeys.RUNNING, RedisKeys.QUEUED),
                    List.of(
                        id,
                        workerId,
                        ttlMs(),
                        Long.toString(delayMs),
                        Integer.toString(attemptsAdjustment),
                        Integer.toString(maxAttempts),
                        failure.code().code(),
                        failure.message())))
        .map(
            answer ->
                switch (answer.get(0).toInteger()) {
                  case 1 -> RequeueOutcome.QUEUED;
                  case 2 -> {
                    meters.followersFinished(
                        JobState.FAILED, failure.code(), answer.get(1).toInteger());
                    yield RequeueOutcome.FAILED;
                  }
                  default -> RequeueOutcome.NOT_HELD;
                });
  }

  /**
   * One Redis round trip, started by {@code roundTrip} unless Redis stopped answering, bounded in
   * time and measured under {@code operation}; any failure of it is an outage, typed as such.
   */
  <T> Future<T> call(String operation, Supplier<Future<T>> roundTrip) {
    return guard.call(operation, roundTrip);
  }

  private static List<String> idsOf(Response ids) {
    return ids.stream().map(Response::toString).toList();
  }

  String ttlMs() {
    return Long.toString(policy.resultTtl().toMillis());
  }

  private static List<String> progressFields(JobProgress progress) {
    return List.of(
        JobFields.INPUTS_TOTAL, Integer.toString(progress.inputsTotal()),
        JobFields.INPUTS_DONE, Integer.toString(progress.inputsDone()),
        JobFields.BYTES_TOTAL, Long.toString(progress.bytesTotal()),
        JobFields.BYTES_READ, Long.toString(progress.bytesRead()),
        JobFields.LINES_WRITTEN, Long.toString(progress.linesWritten()));
  }

  /**
   * A hash reply as a map, whether the server sent a RESP3 map or a RESP2 flat field/value array.
   */
  static Map<String, String> toMap(Response hash) {
    Map<String, String> fields = new HashMap<>();
    if (hash == null) {
      return fields;
    }
    if (hash.isMap()) {
      for (String key : hash.getKeys()) {
        fields.put(key, hash.get(key).toString());
      }
    } else {
      for (int i = 0; i + 1 < hash.size(); i += 2) {
        fields.put(hash.get(i).toString(), hash.get(i + 1).toString());
      }
    }
    return fields;
  }
}
