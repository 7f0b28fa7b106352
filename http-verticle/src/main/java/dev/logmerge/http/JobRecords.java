package dev.logmerge.http;

import dev.logmerge.core.DateRange;
import dev.logmerge.core.job.Job;
import dev.logmerge.core.job.JobStore;
import dev.logmerge.core.job.JobStoreUnavailableException;
import dev.logmerge.core.job.QueueFullException;
import io.vertx.core.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The job store as the API sees it: every answer is a job or a {@link ProblemException}. A store
 * that cannot answer (Redis down, slow or refusing) becomes 503 with {@code Retry-After}, never a
 * 500 or a hang: {@link JobStore} bounds each call at 5 s.
 */
final class JobRecords {
  private static final Logger LOG = LoggerFactory.getLogger(JobRecords.class);

  private final JobStore store;

  JobRecords(JobStore store) {
    this.store = store;
  }

  /**
   * Records a new queued job; fails with a 503 problem when the queue is full or the store
   * unreachable.
   */
  Future<Job> create(DateRange range) {
    return store
        .create(range)
        .recover(
            error ->
                Future.failedFuture(
                    error instanceof QueueFullException full
                        ? Problem.of(ProblemType.QUEUE_FULL, full.getMessage()).toException()
                        : unavailable(error)));
  }

  /** The job with this (well-formed) id; fails with a 404 problem when unknown or expired. */
  Future<Job> find(String id) {
    return store
        .find(id)
        .recover(error -> Future.failedFuture(unavailable(error)))
        .compose(
            job ->
                job.map(Future::succeededFuture)
                    .orElseGet(
                        () ->
                            Future.failedFuture(
                                Problem.of(
                                        ProblemType.JOB_NOT_FOUND,
                                        "no job with id " + id + " (unknown, or expired)")
                                    .toException())));
  }

  /**
   * An outage of the store as a 503 problem; anything else is a defect, to be answered 500 and
   * logged.
   */
  private static Throwable unavailable(Throwable error) {
    if (!(error instanceof JobStoreUnavailableException)) {
      return error;
    }
    LOG.warn("job store unavailable: {}", error.toString());
    return Problem.of(
            ProblemType.JOB_STORE_UNAVAILABLE, "the job store cannot be reached; try again shortly")
        .toException();
  }
}
