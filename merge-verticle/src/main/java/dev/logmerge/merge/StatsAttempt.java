package dev.logmerge.merge;

import dev.logmerge.core.DateRange;
import dev.logmerge.core.bus.Addresses;
import dev.logmerge.core.job.Hold;
import dev.logmerge.core.job.Job;
import dev.logmerge.core.job.JobFailure;
import dev.logmerge.core.job.JobLogContext;
import dev.logmerge.core.job.JobLogger;
import dev.logmerge.core.job.JobProgress;
import dev.logmerge.core.job.JobState;
import dev.logmerge.core.job.JobStore;
import dev.logmerge.core.job.RequeueOutcome;
import dev.logmerge.core.job.StatsStore;
import dev.logmerge.core.metrics.LogmergeMeters;
import dev.logmerge.core.stats.DayRecord;
import dev.logmerge.core.stats.StatsRow;
import dev.logmerge.merge.engine.MergeProgress;
import dev.logmerge.merge.s3.InputFingerprint;
import dev.logmerge.merge.s3.LogObject;
import dev.logmerge.merge.stats.DayStatsAggregator;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import java.io.InterruptedIOException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One attempt at a claimed statistics job: index each of its days, newest first, then record DONE
 * (or a retry, or FAILED, as a merge would). Indexing day F reads every log file of F once (gzip
 * and unsorted ones alike: the aggregates do not depend on order) and stores:
 *
 * <ul>
 *   <li>a row per customer for F, from F's lines in F's files plus the partial aggregates of F's
 *       lines that other days' files held (recorded when those days were indexed);
 *   <li>the partial aggregates of other days' lines found in F's files (in practice late lines of
 *       F−1); when they changed, that day is queued for indexing again. Newest first means a range
 *       job records F's late lines of F−1 before it indexes F−1;
 *   <li>F's record, which makes its generation current ({@link StatsStore}).
 * </ul>
 *
 * Every indexing is complete and stored under a new generation, so a retried or failed-over day
 * never counts a line twice.
 */
final class StatsAttempt implements Attempt {
  private static final Logger LOG = LoggerFactory.getLogger(StatsAttempt.class);

  /**
   * Rows stored per script call: large enough to amortise a round trip, small enough not to stall
   * Redis.
   */
  private static final int ROWS_PER_CALL = 500;

  /**
   * Row batches in flight: each answer sends the next batch, so Redis runs them one after the other
   * without waiting for a round trip in between.
   */
  private static final int CALLS_IN_FLIGHT = 8;

  private final Job job;
  private final String workerId;
  private final JobLogger log;
  private final Vertx vertx;
  private final JobStore jobs;
  private final StatsStore stats;
  private final WorkerExecutor threads;
  private final S3Merger s3;
  private final LogmergeMeters meters;
  private final MergeProgress progress = new MergeProgress();
  private final Promise<Void> finished = Promise.promise();
  private volatile Thread readingThread;
  private volatile boolean stopped;
  private boolean handingBack;
  private boolean leaseLost;
  private long heartbeatTimer = -1;
  private int inputsTotal;
  private volatile int inputsDone;
  private long bytesTotal;
  private volatile long linesRead;

  StatsAttempt(
      Job job,
      String workerId,
      Vertx vertx,
      JobStore jobs,
      WorkerExecutor threads,
      S3Merger s3,
      LogmergeMeters meters) {
    this.job = job;
    this.workerId = workerId;
    this.log = new JobLogger(LOG, job.id(), workerId);
    this.vertx = vertx;
    this.jobs = jobs;
    this.stats = jobs.stats();
    this.threads = threads;
    this.s3 = s3;
    this.meters = meters;
  }

  @Override
  public Future<Void> run() {
    meters.jobClaimed(job);
    log.info(
        "statistics job {} RUNNING on {} (attempt {}) for {}",
        job.id(),
        workerId,
        job.attempts(),
        job.range());
    heartbeatTimer =
        vertx.setPeriodic(jobs.policy().heartbeatInterval().toMillis(), tick -> heartbeat());
    List<LocalDate> newestFirst = new ArrayList<>(job.range().dates());
    Collections.reverse(newestFirst);
    Future<Boolean> indexed = Future.succeededFuture(true);
    for (LocalDate day : newestFirst) {
      indexed = indexed.compose(held -> held ? index(day) : Future.succeededFuture(false));
    }
    indexed
        .compose(held -> held ? complete() : lost())
        .recover(this::settleFailure)
        .onComplete(
            settled -> {
              vertx.cancelTimer(heartbeatTimer);
              finished.complete();
            });
    return finished.future();
  }

  @Override
  public Future<Void> handBack() {
    handingBack = true;
    stop();
    return finished.future();
  }

  /** Indexes one day; false when the worker no longer holds the job. */
  private Future<Boolean> index(LocalDate day) {
    return stats
        .beginDay(job.id(), workerId, day)
        .compose(
            generation ->
                generation.isEmpty()
                    ? Future.succeededFuture(false)
                    : s3.selectInputs(new DateRange(day, day))
                        .compose(inputs -> index(day, generation.getAsLong(), inputs))
                        .map(true));
  }

  private Future<Void> index(LocalDate day, long generation, List<LogObject> inputs) {
    long bytes = inputs.stream().mapToLong(LogObject::size).sum();
    inputsTotal += inputs.size();
    bytesTotal += bytes;
    long started = System.nanoTime();
    Future<Optional<DayRecord>> before = stats.day(day);
    return stats
        .partialsOf(day)
        .compose(partials -> read(day, inputs, partials))
        .compose(
            read -> {
              DayStatsAggregator aggregate = read.aggregate();
              long readAt = System.nanoTime();
              return storeRows(day, generation, read.rows())
                  .compose(rows -> before)
                  .compose(previous -> storePartials(day, generation, aggregate, previous))
                  .compose(stored -> stats.recordDay(generation, record(day, inputs, aggregate)))
                  .onSuccess(
                      recorded -> {
                        meters.statsDayIndexed(bytes, aggregate.requestLines());
                        log.info(
                            "statistics of {}: {} inputs, {} bytes, {} request lines ({} unparsed),"
                                + " {} customers; read in {} ms, stored in {} ms{}",
                            day,
                            inputs.size(),
                            bytes,
                            aggregate.requestLines(),
                            aggregate.unparsedLines(),
                            aggregate.customerCount(),
                            (readAt - started) / 1_000_000,
                            (System.nanoTime() - readAt) / 1_000_000,
                            recorded ? "" : " (a newer indexing of the day was recorded first)");
                      });
            })
        .mapEmpty();
  }

  /**
   * A day read: its aggregates, and its rows in batches of {@link #ROWS_PER_CALL}.
   *
   * @param rows customer → row
   */
  private record ReadDay(DayStatsAggregator aggregate, List<Map<String, StatsRow>> rows) {}

  /**
   * On a worker thread: reads every input of the day, adds the other days' partials of it and
   * computes the rows (for a day of many customers that takes long enough that it must not run on
   * the event loop).
   */
  private Future<ReadDay> read(
      LocalDate day, List<LogObject> inputs, Map<LocalDate, String> partials) {
    return threads.executeBlocking(
        () -> {
          readingThread = Thread.currentThread();
          try (JobLogContext named = JobLogContext.open(job.id(), workerId)) {
            DayStatsAggregator aggregator = new DayStatsAggregator(day);
            s3.readEach(
                inputs,
                progress,
                (input, lines) -> {
                  if (stopped) {
                    throw new InterruptedIOException("stopped before reading " + input.key());
                  }
                  aggregator.add(lines);
                  inputsDone++;
                });
            new TreeMap<>(partials).values().forEach(aggregator::addPartial);
            linesRead += aggregator.requestLines() + aggregator.unparsedLines();
            return new ReadDay(aggregator, batches(aggregator));
          } finally {
            readingThread = null;
            Thread.interrupted();
          }
        },
        false);
  }

  private static List<Map<String, StatsRow>> batches(DayStatsAggregator aggregate) {
    List<Map<String, StatsRow>> batches = new ArrayList<>();
    aggregate.forEachRow(
        (customer, row) -> {
          if (batches.isEmpty() || batches.get(batches.size() - 1).size() == ROWS_PER_CALL) {
            batches.add(new LinkedHashMap<>());
          }
          batches.get(batches.size() - 1).put(customer, row);
        });
    return batches;
  }

  /** Stores the batches, {@link #CALLS_IN_FLIGHT} at a time. */
  private Future<Void> storeRows(
      LocalDate day, long generation, List<Map<String, StatsRow>> batches) {
    Iterator<Map<String, StatsRow>> unsent = batches.iterator();
    List<Future<Void>> lanes = new ArrayList<>();
    for (int lane = 0; lane < CALLS_IN_FLIGHT; lane++) {
      lanes.add(storeNext(day, generation, unsent));
    }
    return Future.all(lanes).mapEmpty();
  }

  private Future<Void> storeNext(
      LocalDate day, long generation, Iterator<Map<String, StatsRow>> unsent) {
    if (!unsent.hasNext()) {
      return Future.succeededFuture();
    }
    return stats
        .storeRows(day, generation, unsent.next())
        .compose(stored -> storeNext(day, generation, unsent));
  }

  /**
   * Stores the partial aggregates of other days' lines in the day's files (and clears those of days
   * whose lines are no longer there), and queues every day whose partials changed.
   */
  private Future<Void> storePartials(
      LocalDate day, long generation, DayStatsAggregator aggregate, Optional<DayRecord> previous) {
    TreeSet<LocalDate> others = new TreeSet<>(aggregate.partialDates());
    previous.ifPresent(record -> others.addAll(record.linesOfOtherDays().keySet()));
    Future<Void> stored = Future.succeededFuture();
    for (LocalDate other : others) {
      String partial = aggregate.partialDates().contains(other) ? aggregate.partialOf(other) : "";
      stored =
          stored.compose(
              previousDay ->
                  stats
                      .storePartial(other, day, generation, partial)
                      .compose(
                          changed -> changed ? reindex(other, day) : Future.succeededFuture()));
    }
    return stored;
  }

  private Future<Void> reindex(LocalDate other, LocalDate day) {
    return stats
        .requestIndexing(List.of(other))
        .map(
            queued -> {
              queued.ifPresent(
                  requested -> {
                    log.info(
                        "statistics of {} queued again (job {}): {}'s files hold lines of it that"
                            + " changed",
                        other,
                        requested.id(),
                        day);
                    vertx.eventBus().publish(Addresses.JOB_QUEUED, requested.id());
                  });
              return null;
            });
  }

  private DayRecord record(LocalDate day, List<LogObject> inputs, DayStatsAggregator aggregate) {
    Map<LocalDate, Long> others = new TreeMap<>();
    aggregate.partialDates().forEach(other -> others.put(other, aggregate.requestLinesOf(other)));
    return new DayRecord(
        day,
        Instant.now(),
        InputFingerprint.of(inputs),
        inputs.size(),
        inputs.stream().mapToLong(LogObject::size).sum(),
        aggregate.requestLines(),
        aggregate.unparsedLines(),
        aggregate.customerCount(),
        others);
  }

  private Future<Void> complete() {
    return jobs.completeIndexing(job.id(), workerId, currentProgress())
        .map(
            hold -> {
              if (hold.status() == Hold.Status.HELD) {
                log.info(
                    "statistics job {} DONE: {} days, {} inputs, {} bytes",
                    job.id(),
                    job.range().days(),
                    inputsTotal,
                    bytesTotal);
                meters.statsJobFinished(JobState.DONE);
              } else {
                log.warn("statistics job {}: could not record DONE: {}", job.id(), hold.status());
              }
              return null;
            });
  }

  private Future<Void> lost() {
    log.warn("statistics job {}: lease lost; another worker owns it now", job.id());
    return Future.succeededFuture();
  }

  private Future<Void> settleFailure(Throwable error) {
    if (leaseLost) {
      return lost();
    }
    if (handingBack) {
      return jobs.release(job.id(), workerId)
          .onSuccess(outcome -> log.info("job {} handed back to the queue ({})", job.id(), outcome))
          .mapEmpty();
    }
    if (AttemptFailure.isJobStoreOutage(error)) {
      log.warn(
          "statistics job {}: attempt {} stopped, nothing recorded: {}; the job is queued again"
              + " when its lease expires",
          job.id(),
          job.attempts(),
          error.getMessage());
      return Future.succeededFuture();
    }
    AttemptFailure attempt = AttemptFailure.of(error);
    JobFailure failure = attempt.failure();
    if (attempt.retryable()) {
      log.warn(
          "statistics job {}: attempt {} failed ({}): {}",
          job.id(),
          job.attempts(),
          failure.code().code(),
          failure.message());
      return jobs.retryLater(job, workerId, failure)
          .onSuccess(
              outcome -> {
                if (outcome == RequeueOutcome.FAILED) {
                  meters.statsJobFinished(JobState.FAILED);
                }
              })
          .mapEmpty();
    }
    log.error("statistics job {} failed ({})", job.id(), failure.code().code(), error);
    return jobs.fail(job.id(), workerId, failure)
        .onSuccess(
            hold -> {
              if (hold.status() == Hold.Status.HELD) {
                meters.statsJobFinished(JobState.FAILED);
              }
            })
        .mapEmpty();
  }

  private void heartbeat() {
    jobs.heartbeat(job.id(), workerId, currentProgress())
        .onComplete(
            beat -> {
              if (beat.failed()) {
                meters.heartbeat("failed");
                log.warn("job {}: heartbeat failed: {}", job.id(), beat.cause().getMessage());
                return;
              }
              boolean held = beat.result().status() == Hold.Status.HELD;
              meters.heartbeat(held ? "renewed" : "lease-lost");
              if (!held) {
                leaseLost = true;
                stop();
              }
            });
  }

  private void stop() {
    stopped = true;
    Thread thread = readingThread;
    if (thread != null) {
      thread.interrupt();
    }
  }

  private JobProgress currentProgress() {
    return new JobProgress(
        inputsTotal, inputsDone, bytesTotal, progress.snapshot().rawBytesRead(), linesRead);
  }
}
