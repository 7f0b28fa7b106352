package dev.logmerge.merge;

import dev.logmerge.core.job.FailureCode;
import dev.logmerge.core.job.Job;
import dev.logmerge.core.job.JobFailure;
import dev.logmerge.core.job.JobProgress;
import dev.logmerge.core.job.JobResult;
import dev.logmerge.core.job.JobState;
import dev.logmerge.core.job.JobStore;
import dev.logmerge.core.job.RequeueOutcome;
import dev.logmerge.core.metrics.LogmergeMeters;
import dev.logmerge.merge.engine.MergeOutcome;
import dev.logmerge.merge.engine.MergeProgress;
import dev.logmerge.merge.s3.LogObject;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One attempt at a claimed job, from inputs to its outcome: select the inputs, merge them on a
 * merge thread while a heartbeat renews the lease and publishes progress, then record DONE, or a
 * retry, or FAILED. The merge can be cancelled (lease lost, worker stopping) by interrupting its
 * thread; the engine then aborts the upload, so no partial result is ever stored.
 */
final class MergeAttempt {
  private static final Logger LOG = LoggerFactory.getLogger(MergeAttempt.class);

  private final Job job;
  private final String workerId;
  private final Vertx vertx;
  private final JobStore jobs;
  private final WorkerExecutor mergeThreads;
  private final S3Merger merger;
  private final LogmergeMeters meters;
  private final MergeProgress progress = new MergeProgress();
  private final Promise<Void> finished = Promise.promise();
  private volatile Thread mergeThread;
  private volatile boolean cancelled;
  private boolean handingBack;
  private boolean leaseLost;
  private int inputsTotal;
  private long bytesTotal;
  private long heartbeatTimer = -1;
  private long startNanos;
  private MergeProgress.Snapshot reported = new MergeProgress.Snapshot(0, 0, 0);

  MergeAttempt(
      Job job,
      String workerId,
      Vertx vertx,
      JobStore jobs,
      WorkerExecutor mergeThreads,
      S3Merger merger,
      LogmergeMeters meters) {
    this.job = job;
    this.workerId = workerId;
    this.vertx = vertx;
    this.jobs = jobs;
    this.mergeThreads = mergeThreads;
    this.merger = merger;
    this.meters = meters;
  }

  /** Runs the job to a recorded outcome; the future never fails. */
  Future<Void> run() {
    startNanos = System.nanoTime();
    meters.jobClaimed(job);
    LOG.info(
        "job {} RUNNING on {} (attempt {}) for {}",
        job.id(),
        workerId,
        job.attempts(),
        job.range());
    heartbeatTimer =
        vertx.setPeriodic(jobs.policy().heartbeatInterval().toMillis(), tick -> heartbeat());
    merger
        .selectInputs(job.range())
        .compose(inputs -> inputs.isEmpty() ? noInput() : merge(inputs).compose(this::complete))
        .recover(this::settleFailure)
        .onComplete(
            settled -> {
              vertx.cancelTimer(heartbeatTimer);
              finished.complete();
            });
    return finished.future();
  }

  /**
   * Stops the merge and returns the job to the queue; completes once it is handed back (or
   * settled).
   */
  Future<Void> handBack() {
    handingBack = true;
    cancel();
    return finished.future();
  }

  private Future<Void> noInput() {
    String message = "no input files for " + job.range() + " in bucket " + merger.logsBucket();
    return record(
        jobs.fail(job.id(), workerId, new JobFailure(FailureCode.NO_INPUT, message)),
        "FAILED (no-input)",
        FailureCode.NO_INPUT);
  }

  private Future<MergeOutcome> merge(List<LogObject> inputs) {
    inputsTotal = inputs.size();
    bytesTotal = inputs.stream().mapToLong(LogObject::size).sum();
    LOG.info("job {}: merging {} inputs, {} bytes", job.id(), inputsTotal, bytesTotal);
    return mergeThreads.executeBlocking(
        () -> {
          mergeThread = Thread.currentThread();
          try {
            if (cancelled) {
              throw new InterruptedIOException("cancelled before the merge started");
            }
            return merger.merge(job.id(), inputs, progress);
          } finally {
            mergeThread = null;
            // the interrupt was for this job: do not leak it into the next task of this pooled
            // thread
            Thread.interrupted();
          }
        },
        false);
  }

  private Future<Void> complete(MergeOutcome outcome) {
    JobResult result = outcome.result();
    double seconds = (System.nanoTime() - startNanos) / 1e9;
    String summary =
        String.format(
            "DONE: %d bytes, %d lines in %.1f s (%.1f MB/s of input)%s",
            result.size(),
            outcome.linesWritten(),
            seconds,
            bytesTotal / 1e6 / Math.max(seconds, 1e-3),
            outcome.unsortedInputs().isEmpty()
                ? ""
                : ", unsorted inputs sorted first: " + outcome.unsortedInputs());
    // counted before the job is DONE, so that a client who sees it DONE finds its work counted
    reportWork();
    meters.mergeSucceeded(
        inputsTotal, bytesTotal, Duration.ofNanos(System.nanoTime() - startNanos));
    return record(jobs.complete(job.id(), workerId, result, currentProgress()), summary, null);
  }

  /** Any failure of select, merge or complete: hand back, retry later, or fail for good. */
  private Future<Void> settleFailure(Throwable error) {
    reportWork(); // before any transition, as in complete

    if (leaseLost) {
      LOG.warn("job {}: lease lost while running; another worker owns it now", job.id());
      return Future.succeededFuture();
    }
    if (handingBack) {
      return jobs.release(job.id(), workerId)
          .onSuccess(outcome -> LOG.info("job {} handed back to the queue ({})", job.id(), outcome))
          .mapEmpty();
    }
    AttemptFailure attempt = AttemptFailure.of(error);
    JobFailure failure = attempt.failure();
    if (attempt.retryable()) {
      LOG.warn(
          "job {}: attempt {} failed ({}): {}",
          job.id(),
          job.attempts(),
          failure.code().code(),
          failure.message());
      return jobs.retryLater(job, workerId, failure)
          .onSuccess(
              outcome -> {
                LOG.info("job {} {} after failure {}", job.id(), outcome, failure.code().code());
                if (outcome == RequeueOutcome.FAILED) {
                  meters.jobFinished(JobState.FAILED, failure.code(), sinceCreated());
                }
              })
          .mapEmpty();
    }
    if (failure.code() == FailureCode.INTERNAL_ERROR) {
      LOG.error("job {} failed unexpectedly", job.id(), error);
    }
    return record(
        jobs.fail(job.id(), workerId, failure),
        "FAILED (" + failure.code().code() + "): " + failure.message(),
        failure.code());
  }

  /**
   * Logs and measures a final transition once recorded.
   *
   * @param failure null for DONE
   */
  private Future<Void> record(Future<Boolean> transition, String what, FailureCode failure) {
    return transition.map(
        held -> {
          if (held) {
            LOG.info("job {} {}", job.id(), what);
            meters.jobFinished(
                failure == null ? JobState.DONE : JobState.FAILED, failure, sinceCreated());
          } else {
            LOG.warn(
                "job {}: could not record {}: the lease had passed to another worker",
                job.id(),
                what);
          }
          return null;
        });
  }

  private void heartbeat() {
    reportWork();
    jobs.heartbeat(job.id(), workerId, currentProgress())
        .onComplete(
            beat -> {
              if (beat.succeeded() && !beat.result()) {
                meters.heartbeat("lease-lost");
                leaseLost = true;
                cancel();
              } else if (beat.failed()) {
                meters.heartbeat("failed");
                // a Redis blip: keep merging; the lease allows several missed beats
                LOG.warn("job {}: heartbeat failed: {}", job.id(), beat.cause().getMessage());
              } else {
                meters.heartbeat("renewed");
              }
            });
  }

  /** Adds the bytes read and lines written since the last report to the meters. */
  private void reportWork() {
    MergeProgress.Snapshot now = progress.snapshot();
    meters.mergeProgressed(
        growth(reported.rawBytesRead(), now.rawBytesRead()),
        growth(reported.linesWritten(), now.linesWritten()));
    reported = now;
  }

  /** A merge that restarted (an unsorted input) counts from 0 again: all it has counted is new. */
  private static long growth(long before, long now) {
    return now >= before ? now - before : now;
  }

  /**
   * From POST /initiate to now: the claim's time on the Redis clock (as the job's other times) plus
   * this JVM's monotonic time since, so clocks that disagree do not distort it.
   */
  private Duration sinceCreated() {
    return Duration.between(job.createdAt(), job.updatedAt())
        .plusNanos(System.nanoTime() - startNanos);
  }

  private void cancel() {
    cancelled = true;
    Thread thread = mergeThread;
    if (thread != null) {
      thread.interrupt();
    }
  }

  private JobProgress currentProgress() {
    MergeProgress.Snapshot now = progress.snapshot();
    return new JobProgress(
        inputsTotal,
        (int) now.inputsFinished(),
        bytesTotal,
        now.rawBytesRead(),
        now.linesWritten());
  }
}
