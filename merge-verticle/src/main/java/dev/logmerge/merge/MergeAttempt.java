package dev.logmerge.merge;

import dev.logmerge.core.job.FailureCode;
import dev.logmerge.core.job.Hold;
import dev.logmerge.core.job.Job;
import dev.logmerge.core.job.JobFailure;
import dev.logmerge.core.job.JobLogContext;
import dev.logmerge.core.job.JobLogger;
import dev.logmerge.core.job.JobProgress;
import dev.logmerge.core.job.JobResult;
import dev.logmerge.core.job.JobState;
import dev.logmerge.core.job.JobStore;
import dev.logmerge.core.job.RequeueOutcome;
import dev.logmerge.core.metrics.LogmergeMeters;
import dev.logmerge.merge.engine.MergeOutcome;
import dev.logmerge.merge.engine.MergeProgress;
import dev.logmerge.merge.s3.InputFingerprint;
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
 * One attempt at a claimed job, from inputs to its outcome: select the inputs; unless a result of
 * the same inputs is on record, or another job is merging them now (then the job shares that
 * result, see {@link JobStore#attach}), merge them on a merge thread while a heartbeat renews the
 * lease and publishes progress; then record DONE, or a retry, or FAILED. The merge is stopped
 * (lease lost, job cancelled, worker stopping) by interrupting its thread; the engine then aborts
 * the upload, so no partial result is ever stored.
 */
final class MergeAttempt implements Attempt {
  private static final Logger LOG = LoggerFactory.getLogger(MergeAttempt.class);

  private final Job job;
  private final String workerId;

  /** Its lines carry the job and worker as fields of JSON logs. */
  private final JobLogger log;

  private final Vertx vertx;
  private final JobStore jobs;
  private final WorkerExecutor mergeThreads;
  private final S3Merger merger;
  private final RecentResults recentResults;
  private final LogmergeMeters meters;
  private final MergeProgress progress = new MergeProgress();
  private final Promise<Void> finished = Promise.promise();
  private volatile Thread mergeThread;
  private volatile boolean cancelled;
  private boolean handingBack;
  private boolean leaseLost;
  private boolean cancelledByClient;

  /** The job the merge is for: the claimed one, or the one it was handed to on cancel. */
  private String holding;

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
      RecentResults recentResults,
      LogmergeMeters meters) {
    this.job = job;
    this.workerId = workerId;
    this.log = new JobLogger(LOG, job.id(), workerId);
    this.vertx = vertx;
    this.jobs = jobs;
    this.mergeThreads = mergeThreads;
    this.merger = merger;
    this.recentResults = recentResults;
    this.holding = job.id();
    this.meters = meters;
  }

  @Override
  public Future<Void> run() {
    startNanos = System.nanoTime();
    meters.jobClaimed(job);
    log.info(
        "job {} RUNNING on {} (attempt {}) for {}",
        job.id(),
        workerId,
        job.attempts(),
        job.range());
    heartbeatTimer =
        vertx.setPeriodic(jobs.policy().heartbeatInterval().toMillis(), tick -> heartbeat());
    // while the inputs are listed: whether the result this range had last time is still stored
    RecentResults.Check resultCheck = recentResults.checkAhead(job.range());
    merger
        .selectInputs(job.range())
        .compose(
            inputs ->
                inputs.isEmpty()
                    ? noInput()
                    : merger.sharesResults()
                        ? attach(inputs, resultCheck)
                        : merge(inputs).compose(this::complete))
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

  /**
   * Merges the inputs, unless their result is on record (checked to be still stored) or being
   * merged by another job now.
   */
  private Future<Void> attach(List<LogObject> inputs, RecentResults.Check resultCheck) {
    String fingerprint = InputFingerprint.of(inputs);
    return forgetVanishedResult(fingerprint, resultCheck)
        .compose(checked -> jobs.attach(job.id(), workerId, fingerprint))
        .compose(
            attachment ->
                switch (attachment.kind()) {
                  case MERGE -> merge(inputs).compose(this::complete);
                  case CACHED -> servedFromRecord(attachment.job(), inputs.size());
                  case FOLLOW -> waitFor(attachment.leaderId());
                  case LOST -> {
                    log.warn("job {}: lease lost before its inputs were merged", job.id());
                    yield Future.<Void>succeededFuture();
                  }
                });
  }

  /** A remembered result whose object is gone must not be served: the inputs are merged again. */
  private Future<Void> forgetVanishedResult(String fingerprint, RecentResults.Check resultCheck) {
    return jobs.rememberedResult(fingerprint)
        .compose(
            remembered ->
                remembered.isEmpty()
                    ? Future.succeededFuture()
                    : resultCheck
                        .holds(remembered.get())
                        .compose(
                            stored ->
                                stored
                                    ? Future.succeededFuture()
                                    : jobs.forgetResult(fingerprint, remembered.get().key())
                                        .onSuccess(
                                            forgotten ->
                                                log.info(
                                                    "job {}: the result {} of the same inputs is"
                                                        + " gone from the results bucket; merging"
                                                        + " again",
                                                    job.id(),
                                                    remembered.get().key()))
                                        .mapEmpty()));
  }

  private Future<Void> servedFromRecord(Job done, int inputs) {
    meters.jobServedFromCache();
    meters.jobFinished(JobState.DONE, null, sinceCreated());
    log.info(
        "job {} DONE without a merge: the same {} inputs were merged into {} ({} bytes)",
        job.id(),
        inputs,
        done.result().key(),
        done.result().size());
    return Future.succeededFuture();
  }

  private Future<Void> waitFor(String leaderId) {
    meters.jobCoalesced();
    log.info(
        "job {}: job {} is merging the same inputs; it waits for that merge and shares its result",
        job.id(),
        leaderId);
    return Future.succeededFuture();
  }

  private Future<MergeOutcome> merge(List<LogObject> inputs) {
    inputsTotal = inputs.size();
    bytesTotal = inputs.stream().mapToLong(LogObject::size).sum();
    log.info("job {}: merging {} inputs, {} bytes", job.id(), inputsTotal, bytesTotal);
    return mergeThreads.executeBlocking(
        () -> {
          mergeThread = Thread.currentThread();
          // the merge's own lines (S3 reads, uploads, spills) name the job too
          try (JobLogContext named = JobLogContext.open(job.id(), workerId)) {
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
    return jobs.complete(job.id(), workerId, result, currentProgress())
        .compose(
            hold -> {
              if (hold.status() == Hold.Status.CANCELLED) {
                // stored after the job was cancelled (the worker had not heard of it): no job
                // refers to it, so no one may find it
                log.info("job {} was cancelled; deleting its result {}", job.id(), result.key());
                return merger.delete(result);
              }
              recorded(hold, summary, null);
              if (hold.status() == Hold.Status.HELD && merger.sharesResults()) {
                recentResults.remember(job.range(), result);
              }
              return Future.<Void>succeededFuture();
            });
  }

  /** Any failure of select, merge or complete: hand back, retry later, or fail for good. */
  private Future<Void> settleFailure(Throwable error) {
    reportWork(); // before any transition, as in complete

    if (cancelledByClient) {
      // the merge may have stored its result just before it heard of the cancel: no job refers to
      // it, so it goes (the key is this job's alone: a job whose merge others wait for hands it on)
      return merger
          .deleteResultOf(job.id())
          .onComplete(
              deleted ->
                  log.info(
                      "job {} CANCELLED: merge stopped, upload aborted{}",
                      holding,
                      deleted.succeeded()
                          ? ""
                          : "; deleting its result failed: " + deleted.cause()))
          .otherwiseEmpty();
    }
    if (leaseLost) {
      log.warn("job {}: lease lost while running; another worker owns it now", job.id());
      return Future.succeededFuture();
    }
    if (handingBack) {
      return jobs.release(job.id(), workerId)
          .onSuccess(outcome -> log.info("job {} handed back to the queue ({})", job.id(), outcome))
          .mapEmpty();
    }
    if (AttemptFailure.isJobStoreOutage(error)) {
      log.warn(
          "job {}: attempt {} stopped, nothing recorded: {}; the job is queued again when its"
              + " lease expires",
          job.id(),
          job.attempts(),
          error.getMessage());
      return Future.succeededFuture();
    }
    AttemptFailure attempt = AttemptFailure.of(error);
    JobFailure failure = attempt.failure();
    if (attempt.retryable()) {
      log.warn(
          "job {}: attempt {} failed ({}): {}",
          job.id(),
          job.attempts(),
          failure.code().code(),
          failure.message());
      return jobs.retryLater(job, workerId, failure)
          .onSuccess(
              outcome -> {
                log.info("job {} {} after failure {}", job.id(), outcome, failure.code().code());
                if (outcome == RequeueOutcome.FAILED) {
                  meters.jobFinished(JobState.FAILED, failure.code(), sinceCreated());
                }
              })
          .mapEmpty();
    }
    if (failure.code() == FailureCode.INTERNAL_ERROR) {
      log.error("job {} failed unexpectedly", job.id(), error);
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
  private Future<Void> record(Future<Hold> transition, String what, FailureCode failure) {
    return transition.map(
        hold -> {
          recorded(hold, what, failure);
          return null;
        });
  }

  private void recorded(Hold hold, String what, FailureCode failure) {
    switch (hold.status()) {
      case HELD -> {
        log.info("job {} {}", hold.jobId(), what);
        meters.jobFinished(
            failure == null ? JobState.DONE : JobState.FAILED, failure, sinceCreated());
      }
      case CANCELLED ->
          log.info("job {}: not recorded ({}): the job was cancelled", job.id(), what);
      case LOST ->
          log.warn(
              "job {}: could not record {}: the lease had passed to another worker",
              job.id(),
              what);
    }
  }

  private void heartbeat() {
    reportWork();
    jobs.heartbeat(job.id(), workerId, currentProgress())
        .onComplete(
            beat -> {
              if (beat.succeeded()) {
                meters.heartbeat(beat.result().held() ? "renewed" : "lease-lost");
                onHold(beat.result());
              } else {
                meters.heartbeat("failed");
                // a Redis blip: keep merging; the lease allows several missed beats
                log.warn("job {}: heartbeat failed: {}", job.id(), beat.cause().getMessage());
              }
            });
  }

  private void onHold(Hold hold) {
    switch (hold.status()) {
      case HELD -> {
        if (!hold.jobId().equals(holding)) {
          log.info(
              "job {} was cancelled; its merge goes on for job {}, which waited for it",
              holding,
              hold.jobId());
          holding = hold.jobId();
        }
      }
      case CANCELLED -> {
        cancelledByClient = true;
        cancel();
      }
      case LOST -> {
        leaseLost = true;
        cancel();
      }
    }
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
