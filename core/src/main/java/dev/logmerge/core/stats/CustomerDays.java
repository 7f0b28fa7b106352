package dev.logmerge.core.stats;

import dev.logmerge.core.DateRange;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;

/**
 * One customer's statistics over a range of days, as read from Redis.
 *
 * @param rows a row per day of the range on which the customer has requests, in date order
 * @param pendingDays days of the range never indexed yet (so absent from {@code rows} whatever
 *     their logs hold)
 * @param indexedThrough the newest day indexed with log files, if any
 */
public record CustomerDays(
    String customerId,
    DateRange range,
    List<StatsRow> rows,
    List<LocalDate> pendingDays,
    Optional<LocalDate> indexedThrough) {
  public CustomerDays {
    rows = List.copyOf(rows);
    pendingDays = List.copyOf(pendingDays);
  }

  /** The answer of {@code GET /customers/{id}/stats}. */
  public JsonObject toJson() {
    JsonArray days = new JsonArray();
    rows.forEach(row -> days.add(row.toJson()));
    JsonArray pending = new JsonArray();
    pendingDays.forEach(day -> pending.add(day.toString()));
    JsonObject json =
        new JsonObject()
            .put("customer_id", customerId)
            .put("from", range.start().toString())
            .put("to", range.end().toString())
            .put("days", days);
    json.put("indexed_through", indexedThrough.map(LocalDate::toString).orElse(null));
    return json.put("pending_days", pending);
  }
}
