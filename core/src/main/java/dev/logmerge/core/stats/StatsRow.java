package dev.logmerge.core.stats;

import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.LocalDate;

/**
 * One customer's statistics for one day (UTC), as {@code GET /customers/{id}/stats} answers them.
 * The definitions are the API's (openapi.yaml, README): a request is failed when its status is 500–
 * 599 and successful otherwise; percentiles are nearest-rank over the day's durations; a minute is
 * down when the customer has requests in it and every one failed.
 *
 * @param requests every request of the customer that day: {@code successRequests + failedRequests}
 * @param failedRequests requests with a status of 500–599
 * @param status requests per status class
 * @param durationSumMs sum of the requests' durations; the mean is this over {@code requests}
 * @param durationP50Ms the ⌈0.5·n⌉-th smallest duration
 * @param durationP99Ms the ⌈0.99·n⌉-th smallest duration
 * @param downMinutes minutes of the day in which the customer had requests and all of them failed
 */
public record StatsRow(
    LocalDate date,
    long requests,
    long failedRequests,
    StatusClasses status,
    long durationSumMs,
    long durationP50Ms,
    long durationP99Ms,
    int downMinutes) {
  public static final int MINUTES_PER_DAY = 1440;

  public StatsRow {
    if (requests <= 0 || failedRequests < 0 || failedRequests > requests) {
      throw new IllegalArgumentException(
          "a row needs requests > 0 and 0 <= failed <= requests: "
              + requests
              + ", "
              + failedRequests);
    }
    if (downMinutes < 0 || downMinutes > MINUTES_PER_DAY) {
      throw new IllegalArgumentException("down minutes out of 0..1440: " + downMinutes);
    }
  }

  public long successRequests() {
    return requests - failedRequests;
  }

  /** The mean duration, rounded half-up to two decimals. */
  public BigDecimal durationMeanMs() {
    return BigDecimal.valueOf(durationSumMs)
        .divide(BigDecimal.valueOf(requests), 2, RoundingMode.HALF_UP);
  }

  /**
   * Share of the day's 1,440 minutes that were not down, in percent, rounded half-up to two
   * decimals.
   */
  public BigDecimal uptimePercentage() {
    return BigDecimal.valueOf((MINUTES_PER_DAY - downMinutes) * 100L)
        .divide(BigDecimal.valueOf(MINUTES_PER_DAY), 2, RoundingMode.HALF_UP);
  }

  /** The row as the API shows it. */
  public JsonObject toJson() {
    return new JsonObject()
        .put("date", date.toString())
        .put("success_requests", successRequests())
        .put("failed_requests", failedRequests)
        .put("status", status.toJson())
        .put("duration_mean_ms", durationMeanMs().doubleValue())
        .put("duration_p50_ms", durationP50Ms)
        .put("duration_p99_ms", durationP99Ms)
        .put("uptime_percentage", uptimePercentage().doubleValue());
  }

  /**
   * The row's numbers as stored in Redis (the date is the field name): nine decimal numbers
   * separated by {@code |}.
   */
  public String encode() {
    return requests
        + "|"
        + failedRequests
        + "|"
        + status.encode()
        + "|"
        + durationSumMs
        + "|"
        + durationP50Ms
        + "|"
        + durationP99Ms
        + "|"
        + downMinutes;
  }

  /**
   * Reads what {@link #encode} wrote.
   *
   * @throws IllegalArgumentException when {@code encoded} is not such a row
   */
  public static StatsRow decode(LocalDate date, String encoded) {
    String[] parts = encoded.split("\\|", -1);
    if (parts.length != 11) {
      throw new IllegalArgumentException("not a stats row: " + encoded);
    }
    long[] n = new long[parts.length];
    for (int i = 0; i < parts.length; i++) {
      n[i] = Long.parseLong(parts[i]);
    }
    return new StatsRow(
        date,
        n[0],
        n[1],
        new StatusClasses(n[2], n[3], n[4], n[5], n[6]),
        n[7],
        n[8],
        n[9],
        Math.toIntExact(n[10]));
  }

  /** Requests per status class, 1xx to 5xx (a request's status is 100–599). */
  public record StatusClasses(long c1xx, long c2xx, long c3xx, long c4xx, long c5xx) {
    JsonObject toJson() {
      return new JsonObject()
          .put("1xx", c1xx)
          .put("2xx", c2xx)
          .put("3xx", c3xx)
          .put("4xx", c4xx)
          .put("5xx", c5xx);
    }

    String encode() {
      return c1xx + "|" + c2xx + "|" + c3xx + "|" + c4xx + "|" + c5xx;
    }
  }
}
