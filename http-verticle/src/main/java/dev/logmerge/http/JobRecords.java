package dev.logmerge.http;

import dev.logmerge.core.DateRange;
import dev.logmerge.core.job.Job;
import dev.logmerge.core.job.JobStore;
import dev.logmerge.core.job.QueueFullException;
import io.vertx.core.Future;

/**
 * The job store as the API sees it: every expected answer is a job or a {@link ProblemException}.
 */
final class JobRecords {
  private final JobStore store;

  JobRecords(JobStore store) {
    this.store = store;
  }

  /** Records a new queued job; fails with a 503 problem when the queue is full. */
  Future<Job> create(DateRange range) {
    return store.create(range).recover(error -> Future.failedFuture(error instanceof QueueFullException full
        ? Problem.of(ProblemType.QUEUE_FULL, full.getMessage()).toException()
        : error));
  }

  /** The job with this (well-formed) id; fails with a 404 problem when unknown or expired. */
  Future<Job> find(String id) {
    return store.find(id)
        .compose(job -> job.map(Future::succeededFuture).orElseGet(() -> Future.failedFuture(
            Problem.of(ProblemType.JOB_NOT_FOUND, "no job with id " + id + " (unknown, or expired)").toException())));
  }
}
