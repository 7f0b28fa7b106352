package dev.logmerge.http;

import dev.logmerge.core.DateRange;
import dev.logmerge.core.job.StatsStore;
import dev.logmerge.core.stats.CustomerDays;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /customers/{customer_id}/stats}: one customer's daily rows over a range, read from
 * Redis in one round trip (two when {@code to} is omitted: the newest indexed day first). Days of
 * the range never indexed are named in {@code pending_days} and queued for indexing by this very
 * query (those up to today, UTC), without waiting: asking again queues nothing more (Redis marks
 * the days queued), and a request that cannot be queued (a full queue, Redis failing now) is logged
 * and leaves the answer as it is.
 */
final class CustomerStatsHandler implements Handler<RoutingContext> {
  static final String PATH_PARAMETER = "customer_id";

  private static final Logger LOG = LoggerFactory.getLogger(CustomerStatsHandler.class);

  private final StatsStore stats;
  private final JobWakeUp wakeUp;
  private final int maxRangeDays;

  CustomerStatsHandler(StatsStore stats, JobWakeUp wakeUp, int maxRangeDays) {
    this.stats = stats;
    this.wakeUp = wakeUp;
    this.maxRangeDays = maxRangeDays;
  }

  @Override
  public void handle(RoutingContext ctx) {
    StatsQuery query =
        StatsQuery.parse(ctx.pathParam(PATH_PARAMETER), ctx.queryParams(), maxRangeDays);
    range(query)
        .compose(range -> stats.customerDays(query.customerId(), range))
        .compose(
            days -> {
              requestIndexing(days);
              // days get indexed, and indexed again when their files change: never cache
              ctx.response().putHeader(HttpHeaders.CACHE_CONTROL, "no-store");
              return JsonReply.send(ctx, 200, days.toJsonBuffer());
            })
        .onFailure(ctx::fail);
  }

  private Future<DateRange> range(StatsQuery query) {
    return query
        .asked()
        .map(Future::succeededFuture)
        .orElseGet(() -> stats.newestIndexedDay().map(query::rangeThrough));
  }

  private void requestIndexing(CustomerDays days) {
    // a day still to come has no logs yet: the periodic scan indexes it once its files arrive, and
    // queries of the future cannot fill the queue that merges share
    LocalDate today = LocalDate.now(ZoneOffset.UTC);
    List<LocalDate> pending =
        days.pendingDays().stream().filter(day -> !day.isAfter(today)).toList();
    if (pending.isEmpty()) {
      return;
    }
    stats
        .requestIndexing(pending)
        .onSuccess(queued -> queued.ifPresent(job -> wakeUp.queued(job, "days never indexed")))
        .onFailure(
            failure ->
                LOG.warn(
                    "the {} days never indexed from {} to {} (asked for by a query of {}) were not"
                        + " queued for indexing: {}",
                    pending.size(),
                    pending.get(0),
                    pending.get(pending.size() - 1),
                    days.customerId(),
                    failure.toString()));
  }
}
