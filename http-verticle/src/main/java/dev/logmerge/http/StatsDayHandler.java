package dev.logmerge.http;

import dev.logmerge.core.job.StatsStore;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;
import java.time.LocalDate;

/**
 * {@code GET /stats/days/{date}}: what the last indexing of one day's files found (inputs, request
 * and unparsed lines, customers, lines of other days); 404 {@code day-not-indexed} for a day never
 * indexed, saying how to have it indexed.
 */
final class StatsDayHandler implements Handler<RoutingContext> {
  static final String PATH_PARAMETER = "date";

  private final StatsStore stats;

  StatsDayHandler(StatsStore stats) {
    this.stats = stats;
  }

  @Override
  public void handle(RoutingContext ctx) {
    String text = ctx.pathParam(PATH_PARAMETER);
    LocalDate date =
        CalendarDates.parse(text)
            .orElseThrow(
                () -> CalendarDates.invalid(CalendarDates.malformed(PATH_PARAMETER, text)));
    stats
        .day(date)
        .map(found -> found.orElseThrow(() -> notIndexed(date)))
        .compose(
            record -> {
              // a day is indexed again when its files change
              ctx.response().putHeader(HttpHeaders.CACHE_CONTROL, "no-store");
              return JsonReply.send(ctx, 200, record.toJson());
            })
        .onFailure(ctx::fail);
  }

  private static ProblemException notIndexed(LocalDate date) {
    return Problem.of(
            ProblemType.DAY_NOT_INDEXED,
            "the files of "
                + date
                + " were never indexed; POST /stats/reindex {\"start_date\":\""
                + date
                + "\",\"end_date\":\""
                + date
                + "\"} queues their indexing (poll the job at /status/{id}), as does a query of a"
                + " customer's stats over that day")
        .withMember("date", date.toString())
        .toException();
  }
}
