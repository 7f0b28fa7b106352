package dev.logmerge.http;

import dev.logmerge.core.job.StatsStore;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code POST /stats/reindex} once its body is read: the same body and limits as {@code POST
 * /initiate} ({@link InitiateRequest}), then a statistics job that indexes every day of the range
 * again, whether indexed before or not. 202 with the job, to poll at {@code /status/{id}}.
 */
final class ReindexHandler implements Handler<RoutingContext> {
  private final StatsStore stats;
  private final JobWakeUp wakeUp;
  private final int maxRangeDays;

  ReindexHandler(StatsStore stats, JobWakeUp wakeUp, int maxRangeDays) {
    this.stats = stats;
    this.wakeUp = wakeUp;
    this.maxRangeDays = maxRangeDays;
  }

  @Override
  public void handle(RoutingContext ctx) {
    InitiateRequest request = InitiateRequest.parse(ctx.body().buffer(), maxRangeDays);
    stats
        .reindex(request.range())
        .compose(
            job -> {
              wakeUp.queued(job, "POST /stats/reindex");
              ctx.response().putHeader(HttpHeaders.LOCATION, "/status/" + job.id());
              return JsonReply.send(ctx, 202, job.toJson());
            })
        .onFailure(ctx::fail);
  }
}
