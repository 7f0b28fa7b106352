package dev.logmerge.http;

import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;

/** {@code GET /status/{id}}: the public JSON view of any known job, whatever its state. */
final class StatusHandler implements Handler<RoutingContext> {
  private final JobRecords jobs;

  StatusHandler(JobRecords jobs) {
    this.jobs = jobs;
  }

  @Override
  public void handle(RoutingContext ctx) {
    jobs.find(JobIdParameter.fromPath(ctx))
        .compose(
            job -> {
              // a job moves on by itself: a cached answer would be stale
              ctx.response().putHeader(HttpHeaders.CACHE_CONTROL, "no-store");
              return JsonReply.send(ctx, 200, job.toJson());
            })
        .onFailure(ctx::fail);
  }
}
