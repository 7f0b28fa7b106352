package dev.logmerge.core.metrics;

import dev.logmerge.core.job.FailureCode;
import dev.logmerge.core.job.Job;
import dev.logmerge.core.job.JobState;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

/**
 * logmerge's own meters, all named {@code logmerge_…} in Prometheus (docs/OPERATIONS.md lists each
 * with its type, unit and labels: change both together). One instance per JVM, over the registry
 * that Vert.x's own meters go to, handed to every verticle; each method is one meter update, so the
 * code that calls it stays as it was.
 *
 * <p>Per-job amounts are added per heartbeat or once per job, never per line.
 */
public final class LogmergeMeters {
  private static final String JOB_OUTCOME = "outcome";

  private static final Duration[] JOB_DURATION_BUCKETS = {
    Duration.ofMillis(100),
    Duration.ofMillis(500),
    Duration.ofSeconds(1),
    Duration.ofSeconds(5),
    Duration.ofSeconds(15),
    Duration.ofSeconds(30),
    Duration.ofMinutes(1),
    Duration.ofMinutes(2),
    Duration.ofMinutes(5),
    Duration.ofMinutes(10),
    Duration.ofMinutes(30),
    Duration.ofHours(1),
    Duration.ofHours(3)
  };

  private static final Duration[] REDIS_CALL_BUCKETS = {
    Duration.ofNanos(500_000),
    Duration.ofMillis(1),
    Duration.ofMillis(2),
    Duration.ofMillis(5),
    Duration.ofMillis(10),
    Duration.ofMillis(25),
    Duration.ofMillis(50),
    Duration.ofMillis(100),
    Duration.ofMillis(250),
    Duration.ofMillis(1000),
    Duration.ofMillis(5000)
  };

  /**
   * API requests: most take a millisecond or less, a download of a large result as long as the
   * client takes to read it.
   */
  private static final Duration[] HTTP_REQUEST_BUCKETS = {
    Duration.ofMillis(1),
    Duration.ofMillis(5),
    Duration.ofMillis(25),
    Duration.ofMillis(100),
    Duration.ofMillis(500),
    Duration.ofSeconds(2),
    Duration.ofSeconds(10),
    Duration.ofMinutes(1),
    Duration.ofMinutes(5)
  };

  private final MeterRegistry registry;
  private final boolean recording;
  private final Counter jobsInitiated;
  private final Counter jobsCancelled;
  private final Counter jobsCached;
  private final Counter jobsCoalesced;
  private final Timer queueWait;
  private final DistributionSummary inputsPerJob;
  private final DistributionSummary throughput;
  private final Counter inputBytesRead;
  private final Counter linesWritten;
  private final Counter partsUploaded;
  private final Counter leasesExpired;
  private final Counter downloadBytes;
  private final AtomicInteger activeDownloads = new AtomicInteger();
  private final AtomicInteger mergeSlots = new AtomicInteger();
  private final AtomicInteger mergeSlotsBusy = new AtomicInteger();
  private final Map<String, RedisCalls> redisCalls = new ConcurrentHashMap<>();
  private final Counter redisBreakerTrips;
  private final Counter redisCallsRefused;

  /** Whether each job store of this JVM refuses calls now (its breaker is open). */
  private final Set<BooleanSupplier> redisBreakers = ConcurrentHashMap.newKeySet();

  /** Meters that go to {@code registry}. */
  public LogmergeMeters(MeterRegistry registry) {
    this(registry, true);
  }

  private LogmergeMeters(MeterRegistry registry, boolean recording) {
    this.registry = registry;
    this.recording = recording;
    jobsInitiated =
        // not "created": the Prometheus client drops a _created suffix (OpenMetrics reserves it)
        Counter.builder("logmerge.jobs.initiated")
            .description("jobs recorded by POST /initiate")
            .register(registry);
    jobsCancelled =
        Counter.builder("logmerge.jobs.cancelled")
            .description("jobs cancelled by DELETE /download/{id}")
            .register(registry);
    jobsCached =
        Counter.builder("logmerge.jobs.cached")
            .description("jobs DONE with an earlier job's result, without a merge")
            .register(registry);
    jobsCoalesced =
        Counter.builder("logmerge.jobs.coalesced")
            .description(
                "jobs that wait for another job's merge of the same inputs and share its outcome")
            .register(registry);
    queueWait =
        Timer.builder("logmerge.job.queue.wait")
            .description("time from POST /initiate to a job's first claim by a worker")
            .serviceLevelObjectives(JOB_DURATION_BUCKETS)
            .register(registry);
    inputsPerJob =
        DistributionSummary.builder("logmerge.job.inputs")
            .description("input files per merged job")
            .serviceLevelObjectives(1, 2, 5, 10, 50, 100, 500, 1_000, 5_000, 10_000, 65_536)
            .register(registry);
    throughput =
        DistributionSummary.builder("logmerge.merge.throughput")
            .description("input bytes per second of each merged job, from claim to result stored")
            .baseUnit("bytes.per.second")
            .serviceLevelObjectives(1e6, 5e6, 1e7, 2.5e7, 5e7, 1e8, 2.5e8, 5e8, 1e9)
            .register(registry);
    inputBytesRead =
        Counter.builder("logmerge.merge.input.read")
            .description("raw input bytes merges have read (counted per heartbeat)")
            .baseUnit("bytes")
            .register(registry);
    linesWritten =
        Counter.builder("logmerge.merge.lines.written")
            .description("lines merges have written to results (counted per heartbeat)")
            .register(registry);
    partsUploaded =
        Counter.builder("logmerge.multipart.parts.uploaded")
            .description("parts of results stored in S3 multipart uploads")
            .register(registry);
    leasesExpired =
        Counter.builder("logmerge.leases.expired")
            .description("running jobs taken back from a worker that stopped heartbeating")
            .register(registry);
    downloadBytes =
        Counter.builder("logmerge.download.sent")
            .description("result bytes relayed to clients by GET /download (counted per download)")
            .baseUnit("bytes")
            .register(registry);
    Gauge.builder("logmerge.downloads.active", activeDownloads, AtomicInteger::get)
        .description("downloads being relayed now")
        .register(registry);
    Gauge.builder("logmerge.merge.slots", mergeSlots, AtomicInteger::get)
        .description("merge slots of this JVM (MERGE_SLOTS per merge verticle)")
        .register(registry);
    Gauge.builder("logmerge.merge.slots.busy", mergeSlotsBusy, AtomicInteger::get)
        .description("merge slots of this JVM running a job")
        .register(registry);
    Gauge.builder("logmerge.redis.breaker.open", redisBreakers, LogmergeMeters::anyOpen)
        .description(
            "1 while a job store of this JVM fails its Redis calls at once (its breaker is open)")
        .register(registry);
    redisBreakerTrips =
        Counter.builder("logmerge.redis.breaker.trips")
            .description("times a job store's breaker opened: Redis calls timed out in a row")
            .register(registry);
    redisCallsRefused =
        Counter.builder("logmerge.redis.breaker.refused")
            .description("job store calls failed at once, without asking Redis, while open")
            .register(registry);
  }

  /** Meters that go nowhere: for code run without a registry (tests, METRICS_ENABLED=false). */
  public static LogmergeMeters none() {
    return new LogmergeMeters(new CompositeMeterRegistry(), false);
  }

  /**
   * False for {@link #none()}: code that would do work of its own to feed a meter (a clock read and
   * an end handler per API request) can skip it.
   */
  public boolean recording() {
    return recording;
  }

  /** The registry these meters go to; {@link QueueGauges} adds its gauges there. */
  public MeterRegistry registry() {
    return registry;
  }

  /** A job was recorded QUEUED by POST /initiate. */
  public void jobInitiated() {
    jobsInitiated.increment();
  }

  /** A job was cancelled. */
  public void jobCancelled() {
    jobsCancelled.increment();
  }

  /** A statistics job indexed one day: its files' stored bytes and their request lines. */
  public void statsDayIndexed(long bytes, long requestLines) {
    Counter.builder("logmerge.stats.days.indexed")
        .description("days whose log files a statistics job indexed")
        .register(registry)
        .increment();
    Counter.builder("logmerge.stats.read")
        .description("stored bytes of the log files statistics jobs read")
        .baseUnit("bytes")
        .register(registry)
        .increment(bytes);
    Counter.builder("logmerge.stats.request.lines")
        .description("request lines statistics jobs aggregated")
        .register(registry)
        .increment(requestLines);
  }

  /**
   * A statistics job reached a final state (counted apart from merges, whose meters say what
   * clients asked for).
   */
  public void statsJobFinished(JobState outcome) {
    Counter.builder("logmerge.stats.jobs.finished")
        .description("statistics jobs that reached a final state, by outcome")
        .tag(JOB_OUTCOME, outcome.name().toLowerCase(Locale.ROOT))
        .register(registry)
        .increment();
  }

  /** A job became DONE with the result of an earlier merge of the same inputs. */
  public void jobServedFromCache() {
    jobsCached.increment();
  }

  /**
   * A job waits for another job merging the same inputs and will end as it does (its end is counted
   * by {@link #followersFinished} when the merging job's is recorded).
   */
  public void jobCoalesced() {
    jobsCoalesced.increment();
  }

  /** A worker claimed the job: its queue wait is observed on its first claim only. */
  public void jobClaimed(Job claimed) {
    if (claimed.attempts() == 1 && claimed.startedAt() != null) {
      queueWait.record(Duration.between(claimed.createdAt(), claimed.startedAt()));
    }
  }

  /**
   * A job reached a final state.
   *
   * @param code why it failed; null when it did not
   * @param sinceCreated from POST /initiate to now; null when unknown (no duration is observed)
   */
  public void jobFinished(JobState outcome, FailureCode code, Duration sinceCreated) {
    String state = outcome.name().toLowerCase(Locale.ROOT);
    jobsFinished(state, code).increment();
    if (sinceCreated != null) {
      Timer.builder("logmerge.job.duration")
          .description("time from POST /initiate to a job's final state")
          .tag(JOB_OUTCOME, state)
          .serviceLevelObjectives(JOB_DURATION_BUCKETS)
          .register(registry)
          .record(sinceCreated);
    }
  }

  /**
   * Jobs that waited for another job's merge of the same inputs ended with it, as it did: counted
   * like any final state, not timed (their creation times are in Redis, not here).
   *
   * @param code why they failed; null when they did not
   */
  public void followersFinished(JobState outcome, FailureCode code, int jobs) {
    if (jobs > 0) {
      jobsFinished(outcome.name().toLowerCase(Locale.ROOT), code).increment(jobs);
    }
  }

  private Counter jobsFinished(String outcome, FailureCode code) {
    return Counter.builder("logmerge.jobs.finished")
        .description("jobs that reached a final state, by outcome and failure code")
        .tag(JOB_OUTCOME, outcome)
        .tag("code", code == null ? "none" : code.code())
        .register(registry);
  }

  /** Work a merge did since its last report: raw input bytes read and result lines written. */
  public void mergeProgressed(long bytesRead, long lines) {
    if (bytesRead > 0) {
      inputBytesRead.increment(bytesRead);
    }
    if (lines > 0) {
      linesWritten.increment(lines);
    }
  }

  /** A merge stored its result: how many inputs, of how many bytes, in how long. */
  public void mergeSucceeded(int inputs, long inputBytes, Duration took) {
    inputsPerJob.record(inputs);
    double seconds = Math.max(took.toNanos() / 1e9, 1e-3);
    throughput.record(inputBytes / seconds);
  }

  /** S3 stored one part of a multipart upload. */
  public void partUploaded() {
    partsUploaded.increment();
  }

  /** A worker's heartbeat: {@code renewed}, {@code lease-lost} or {@code failed} (Redis). */
  public void heartbeat(String outcome) {
    Counter.builder("logmerge.merge.heartbeats")
        .description("lease renewals of running jobs, by outcome")
        .tag(JOB_OUTCOME, outcome)
        .register(registry)
        .increment();
  }

  /** A scan took back jobs whose worker's lease had expired. */
  public void leasesExpired(int jobs) {
    leasesExpired.increment(jobs);
  }

  /** A merge verticle with this many slots started (negative: stopped). */
  public void mergeSlotsAdded(int slots) {
    mergeSlots.addAndGet(slots);
  }

  /** A slot took a job (+1) or gave it up (-1). */
  public void mergeSlotsBusy(int change) {
    mergeSlotsBusy.addAndGet(change);
  }

  /** A download's relay from S3 started. */
  public void downloadStarted() {
    activeDownloads.incrementAndGet();
  }

  /** A download's relay ended, however, having sent this many body bytes. */
  public void downloadEnded(long bytesSent) {
    activeDownloads.decrementAndGet();
    downloadBytes.increment(bytesSent);
  }

  /**
   * The timer of API requests to a route, asked with a method and answered with a status. Each call
   * looks the timer up in the registry: callers resolve it once and keep it.
   *
   * @param route the route's template, such as {@code /download/:id}, never the request's path (a
   *     label per job id would be a series per job)
   * @param method the HTTP method, from a bounded set
   */
  public Timer httpRequests(String route, String method, int status) {
    return Timer.builder("logmerge.http.requests")
        .description("API requests, from a route taking them to the end of their response")
        .tag("route", route)
        .tag("method", method)
        .tag("status", Integer.toString(status))
        .serviceLevelObjectives(HTTP_REQUEST_BUCKETS)
        .register(registry);
  }

  /** A Redis round trip of the job store ended. */
  public void redisCall(String operation, long nanos, boolean failed) {
    RedisCalls calls = redisCalls.get(operation);
    if (calls == null) {
      calls = redisCalls.computeIfAbsent(operation, this::redisCallsOf);
    }
    calls.latency.record(nanos, TimeUnit.NANOSECONDS);
    if (failed) {
      calls.failures.increment();
    }
  }

  /**
   * Reports a job store's breaker in {@code logmerge.redis.breaker.open} until the returned action
   * runs (the store closed).
   *
   * @param open whether the breaker refuses calls now
   */
  public Runnable watchRedisBreaker(BooleanSupplier open) {
    redisBreakers.add(open);
    return () -> redisBreakers.remove(open);
  }

  /** A job store's breaker opened. */
  public void redisBreakerTripped() {
    redisBreakerTrips.increment();
  }

  /** A job store call failed at once: its breaker is open. */
  public void redisCallRefused() {
    redisCallsRefused.increment();
  }

  private static double anyOpen(Set<BooleanSupplier> breakers) {
    for (BooleanSupplier open : breakers) {
      if (open.getAsBoolean()) {
        return 1;
      }
    }
    return 0;
  }

  private RedisCalls redisCallsOf(String operation) {
    return new RedisCalls(
        Timer.builder("logmerge.redis.call")
            .description("job store round trips to Redis, failed ones included, by operation")
            .tag("operation", operation)
            .serviceLevelObjectives(REDIS_CALL_BUCKETS)
            .register(registry),
        Counter.builder("logmerge.redis.call.failures")
            .description("job store round trips that failed or timed out, by operation")
            .tag("operation", operation)
            .register(registry));
  }

  private record RedisCalls(Timer latency, Counter failures) {}
}
