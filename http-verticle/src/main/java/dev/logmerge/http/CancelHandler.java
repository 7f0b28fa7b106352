package dev.logmerge.http;

import dev.logmerge.core.job.Cancellation;
import dev.logmerge.core.job.Job;
import dev.logmerge.core.job.JobStore;
import dev.logmerge.core.metrics.LogmergeMeters;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code DELETE /download/{id}}: cancels a queued or running job. 200 with the CANCELLED job (also
 * when it was cancelled before: cancelling is idempotent); 409 when it had already ended DONE or
 * FAILED, and nothing changes; 404 for an unknown id, and for a statistics job's, which is no
 * download.
 */
final class CancelHandler implements Handler<RoutingContext> {
  private final JobStore jobs;
  private final LogmergeMeters meters;

  CancelHandler(JobStore jobs, LogmergeMeters meters) {
    this.jobs = jobs;
    this.meters = meters;
  }

  @Override
  public void handle(RoutingContext ctx) {
    String id = JobIdParameter.fromPath(ctx);
    // a statistics job is not a download, so not cancelled here: one more round trip on a rare call
    jobs.find(id)
        .map(found -> JobIdParameter.download(id, found))
        .compose(download -> jobs.cancel(id))
        .compose(
            cancellation ->
                switch (cancellation.outcome()) {
                  case CANCELLED, ALREADY_CANCELLED -> {
                    if (cancellation.outcome() == Cancellation.Outcome.CANCELLED) {
                      meters.jobCancelled();
                    }
                    ctx.response().putHeader(HttpHeaders.CACHE_CONTROL, "no-store");
                    yield JsonReply.send(ctx, 200, cancellation.job().toJson());
                  }
                  case ALREADY_FINISHED ->
                      Future.<Void>failedFuture(finished(cancellation.job()).toException());
                  case UNKNOWN -> Future.<Void>failedFuture(JobIdParameter.unknown(id));
                })
        .onFailure(ctx::fail);
  }

  private static Problem finished(Job job) {
    return Problem.of(
            ProblemType.JOB_FINISHED,
            "job " + job.id() + " already ended " + job.state() + "; nothing was changed")
        .withMember("download_id", job.id())
        .withMember("state", job.state().name());
  }

  /** What {@code /download} answers for a cancelled job. */
  static Problem cancelled(Job job) {
    return Problem.of(
            ProblemType.JOB_CANCELLED,
            "job " + job.id() + " was cancelled at " + job.cancelledAt() + "; it has no result")
        .withMember("download_id", job.id())
        .withMember("cancelled_at", job.cancelledAt().toString());
  }
}
