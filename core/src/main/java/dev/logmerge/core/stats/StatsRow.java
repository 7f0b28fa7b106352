package dev.logmerge.core.stats;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.io.SerializedString;
import java.io.IOException;
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

  // the JSON field names, encoded once
  private static final SerializedString DATE = new SerializedString("date");
  private static final SerializedString SUCCESS_REQUESTS = new SerializedString("success_requests");
  private static final SerializedString FAILED_REQUESTS = new SerializedString("failed_requests");
  private static final SerializedString STATUS = new SerializedString("status");
  private static final SerializedString C1XX = new SerializedString("1xx");
  private static final SerializedString C2XX = new SerializedString("2xx");
  private static final SerializedString C3XX = new SerializedString("3xx");
  private static final SerializedString C4XX = new SerializedString("4xx");
  private static final SerializedString C5XX = new SerializedString("5xx");
  private static final SerializedString DURATION_MEAN_MS = new SerializedString("duration_mean_ms");
  private static final SerializedString DURATION_P50_MS = new SerializedString("duration_p50_ms");
  private static final SerializedString DURATION_P99_MS = new SerializedString("duration_p99_ms");
  private static final SerializedString UPTIME_PERCENTAGE =
      new SerializedString("uptime_percentage");

  /** Numbers in an encoded row. */
  private static final int FIELDS = 11;

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

  /** The mean duration in hundredths of a millisecond, rounded half-up. */
  public long durationMeanHundredths() {
    // sum = q·n + r with r < n: the rounding needs only r·200, which stays far from overflowing
    long whole = durationSumMs / requests;
    long rest = durationSumMs % requests;
    return whole * 100 + (rest * 200 + requests) / (2 * requests);
  }

  /**
   * Share of the day's 1,440 minutes that were not down, in hundredths of a percent, rounded
   * half-up.
   */
  public long uptimeHundredths() {
    long upTimesTenThousand = (MINUTES_PER_DAY - downMinutes) * 10_000L;
    return (upTimesTenThousand * 2 + MINUTES_PER_DAY) / (2 * MINUTES_PER_DAY);
  }

  /**
   * Writes the row as the API shows it, a JSON object. The query route writes its answer straight
   * from the rows, without a tree of maps in between: it is the hot path of the statistics API.
   */
  void writeJson(JsonGenerator json) throws IOException {
    json.writeStartObject();
    json.writeFieldName(DATE);
    json.writeString(date.toString());
    json.writeFieldName(SUCCESS_REQUESTS);
    json.writeNumber(successRequests());
    json.writeFieldName(FAILED_REQUESTS);
    json.writeNumber(failedRequests);
    json.writeFieldName(STATUS);
    json.writeStartObject();
    json.writeFieldName(C1XX);
    json.writeNumber(status.c1xx());
    json.writeFieldName(C2XX);
    json.writeNumber(status.c2xx());
    json.writeFieldName(C3XX);
    json.writeNumber(status.c3xx());
    json.writeFieldName(C4XX);
    json.writeNumber(status.c4xx());
    json.writeFieldName(C5XX);
    json.writeNumber(status.c5xx());
    json.writeEndObject();
    json.writeFieldName(DURATION_MEAN_MS);
    json.writeNumber(twoDecimals(durationMeanHundredths()));
    json.writeFieldName(DURATION_P50_MS);
    json.writeNumber(durationP50Ms);
    json.writeFieldName(DURATION_P99_MS);
    json.writeNumber(durationP99Ms);
    json.writeFieldName(UPTIME_PERCENTAGE);
    json.writeNumber(twoDecimals(uptimeHundredths()));
    json.writeEndObject();
  }

  /**
   * A non-negative number of hundredths as a JSON number without trailing zeros, as a double
   * prints: 4170 → {@code 41.7}, 10000 → {@code 100.0}, 5 → {@code 0.05}.
   */
  static String twoDecimals(long hundredths) {
    long whole = hundredths / 100;
    int fraction = (int) (hundredths % 100);
    if (fraction % 10 == 0) {
      return whole + "." + fraction / 10;
    }
    return whole + (fraction < 10 ? ".0" : ".") + fraction;
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
   * Reads what {@link #encode} wrote, from {@code from} to the end of {@code stored}.
   *
   * @throws IllegalArgumentException when that is not such a row
   */
  public static StatsRow decode(LocalDate date, String stored, int from) {
    long[] n = new long[FIELDS];
    int start = from;
    for (int i = 0; i < FIELDS; i++) {
      int bar = stored.indexOf('|', start);
      boolean last = i == FIELDS - 1;
      if (last != (bar < 0)) {
        throw new IllegalArgumentException("not a stats row: " + stored.substring(from));
      }
      int end = last ? stored.length() : bar;
      try {
        n[i] = Long.parseLong(stored, start, end, 10);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("not a stats row: " + stored.substring(from), e);
      }
      start = end + 1;
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
    String encode() {
      return c1xx + "|" + c2xx + "|" + c3xx + "|" + c4xx + "|" + c5xx;
    }
  }
}
