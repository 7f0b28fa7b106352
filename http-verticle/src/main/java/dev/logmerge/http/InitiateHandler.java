package dev.logmerge.http;

import dev.logmerge.core.bus.Addresses;
import dev.logmerge.core.job.JobLogger;
import dev.logmerge.core.job.JobStore;
import dev.logmerge.core.metrics.LogmergeMeters;
import io.vertx.core.Handler;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /initiate} once its body is read: checks the request, records a queued job in Redis,
 * then wakes the merge verticles. Redis comes first: a lost wake-up only delays the job until a
 * worker's next scan, while a job that was announced but never recorded would be lost.
 */
final class InitiateHandler implements Handler<RoutingContext> {
  /**
   * Far above any valid body (about 50 bytes); keeps a hostile client from making us buffer much.
   */
  static final int MAX_BODY_BYTES = 16 * 1024;

  private static final Logger LOG = LoggerFactory.getLogger(InitiateHandler.class);

  private final JobStore jobs;
  private final EventBus eventBus;
  private final int maxRangeDays;
  private final LogmergeMeters meters;

  InitiateHandler(JobStore jobs, EventBus eventBus, int maxRangeDays, LogmergeMeters meters) {
    this.jobs = jobs;
    this.eventBus = eventBus;
    this.maxRangeDays = maxRangeDays;
    this.meters = meters;
  }

  /** Reads the body into memory, failing the request with 413 over {@link #MAX_BODY_BYTES}. */
  static Handler<RoutingContext> bodyReader() {
    return BodyHandler.create(false).setBodyLimit(MAX_BODY_BYTES);
  }

  /** Failure handler: answers a body over the limit; leaves every other failure to the next. */
  static void refuseOversizedBody(RoutingContext ctx) {
    if (ctx.statusCode() == 413) {
      ProblemResponder.send(
          ctx,
          Problem.of(
              ProblemType.PAYLOAD_TOO_LARGE,
              "request body: larger than the limit of " + MAX_BODY_BYTES + " bytes"));
    } else {
      ctx.next();
    }
  }

  @Override
  public void handle(RoutingContext ctx) {
    InitiateRequest request = InitiateRequest.parse(ctx.body().buffer(), maxRangeDays);
    jobs.create(request.range())
        .compose(
            job -> {
              new JobLogger(LOG, job.id(), null)
                  .info("job {} queued for {}", job.id(), job.range());
              meters.jobInitiated();
              eventBus.publish(Addresses.JOB_QUEUED, job.id());
              ctx.response().putHeader(HttpHeaders.LOCATION, "/download/" + job.id());
              return JsonReply.send(ctx, 201, new JsonObject().put("download_id", job.id()));
            })
        .onFailure(ctx::fail);
  }
}
