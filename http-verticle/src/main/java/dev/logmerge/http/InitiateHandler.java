package dev.logmerge.http;

import dev.logmerge.core.job.JobStore;
import dev.logmerge.core.metrics.LogmergeMeters;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code POST /initiate} once its body is read: checks the request, records a queued merge job in
 * Redis, then wakes the workers.
 */
final class InitiateHandler implements Handler<RoutingContext> {
  private final JobStore jobs;
  private final JobWakeUp wakeUp;
  private final int maxRangeDays;
  private final LogmergeMeters meters;

  InitiateHandler(JobStore jobs, JobWakeUp wakeUp, int maxRangeDays, LogmergeMeters meters) {
    this.jobs = jobs;
    this.wakeUp = wakeUp;
    this.maxRangeDays = maxRangeDays;
    this.meters = meters;
  }

  @Override
  public void handle(RoutingContext ctx) {
    InitiateRequest request = InitiateRequest.parse(ctx.body().buffer(), maxRangeDays);
    jobs.create(request.range())
        .compose(
            job -> {
              meters.jobInitiated();
              wakeUp.queued(job, "POST /initiate");
              ctx.response().putHeader(HttpHeaders.LOCATION, "/download/" + job.id());
              return JsonReply.send(ctx, 201, new JsonObject().put("download_id", job.id()));
            })
        .onFailure(ctx::fail);
  }
}
