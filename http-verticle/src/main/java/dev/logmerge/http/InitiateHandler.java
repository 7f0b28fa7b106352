package dev.logmerge.http;

import dev.logmerge.core.bus.Addresses;
import io.vertx.core.Handler;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /initiate} once the body has the right shape: checks its dates, records a queued job
 * in Redis, then wakes the merge verticles. Redis comes first: a lost wake-up only delays the job
 * until a worker's next scan, while a job that was announced but never recorded would be lost.
 */
final class InitiateHandler implements Handler<RoutingContext> {
  private static final Logger LOG = LoggerFactory.getLogger(InitiateHandler.class);

  private final JobRecords jobs;
  private final EventBus eventBus;
  private final int maxRangeDays;

  InitiateHandler(JobRecords jobs, EventBus eventBus, int maxRangeDays) {
    this.jobs = jobs;
    this.eventBus = eventBus;
    this.maxRangeDays = maxRangeDays;
  }

  @Override
  public void handle(RoutingContext ctx) {
    InitiateRequest request = InitiateRequest.from(InitiateValidation.validBody(ctx), maxRangeDays);
    jobs.create(request.range())
        .compose(
            job -> {
              LOG.info("job {} queued for {}", job.id(), job.range());
              eventBus.publish(Addresses.JOB_QUEUED, job.id());
              ctx.response().putHeader(HttpHeaders.LOCATION, "/download/" + job.id());
              return JsonReply.send(ctx, 201, new JsonObject().put("download_id", job.id()));
            })
        .onFailure(ctx::fail);
  }
}
