package dev.logmerge.http;

import dev.logmerge.core.job.JobStore;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;

/** {@code GET /status/{id}}: the public JSON view of any known job, whatever its state. */
final class StatusHandler implements Handler<RoutingContext> {
  private final JobStore jobs;

  StatusHandler(JobStore jobs) {
    this.jobs = jobs;
  }

  @Override
  public void handle(RoutingContext ctx) {
    String id = JobIdParameter.fromPath(ctx);
    jobs.find(id)
        .map(found -> found.orElseThrow(() -> JobIdParameter.unknown(id)))
        .compose(
            job -> {
              // a job moves on by itself: a cached answer would be stale
              ctx.response().putHeader(HttpHeaders.CACHE_CONTROL, "no-store");
              return JsonReply.send(ctx, 200, job.toJson());
            })
        .onFailure(ctx::fail);
  }
}
