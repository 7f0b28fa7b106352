package dev.logmerge.http;

import dev.logmerge.core.job.Job;
import dev.logmerge.core.job.JobFailure;
import dev.logmerge.core.job.JobStore;
import io.vertx.core.Future;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code GET /download/{id}} and {@code GET /download?id=}: 202 with the job's progress while it is
 * queued or running, the merged file once it is done, the job's failure as a problem once it has
 * failed, and 410 once it was cancelled. A statistics job's id is not a download's: 404.
 */
final class DownloadHandler {
  /** How long a client should wait between polls; merges take seconds to minutes. */
  static final int POLL_AFTER_SECONDS = 2;

  private final JobStore jobs;
  private final ResultResponder results;

  DownloadHandler(JobStore jobs, ResultResponder results) {
    this.jobs = jobs;
    this.results = results;
  }

  void byPath(RoutingContext ctx) {
    answer(ctx, JobIdParameter.fromPath(ctx));
  }

  void byQuery(RoutingContext ctx) {
    answer(ctx, JobIdParameter.fromQuery(ctx));
  }

  private void answer(RoutingContext ctx, String id) {
    jobs.find(id)
        .map(found -> JobIdParameter.download(id, found))
        .compose(
            job ->
                switch (job.state()) {
                  case QUEUED, RUNNING -> pending(ctx, job);
                  case DONE -> results.send(ctx, job);
                  case FAILED -> Future.<Void>failedFuture(failed(job).toException());
                  case CANCELLED ->
                      Future.<Void>failedFuture(CancelHandler.cancelled(job).toException());
                })
        .onFailure(ctx::fail);
  }

  private static Future<Void> pending(RoutingContext ctx, Job job) {
    ctx.response()
        .putHeader(HttpHeaders.RETRY_AFTER, Integer.toString(POLL_AFTER_SECONDS))
        .putHeader(HttpHeaders.CACHE_CONTROL, "no-store");
    return JsonReply.send(ctx, 202, job.toJson());
  }

  /**
   * The job's own failure, told with the status that fits its cause: it is not a failure of this
   * server.
   */
  private static Problem failed(Job job) {
    JobFailure failure = job.failure();
    int status =
        switch (failure.code()) {
          case NO_INPUT -> 404;
          case S3_UNAVAILABLE -> 502;
          default -> 500;
        };
    String detail =
        failure.message().isBlank()
            ? "the job failed with " + failure.code().code()
            : failure.message();
    return Problem.of(ProblemType.JOB_FAILED, detail)
        .withStatus(status)
        .withMember("code", failure.code().code())
        .withMember("download_id", job.id());
  }
}
