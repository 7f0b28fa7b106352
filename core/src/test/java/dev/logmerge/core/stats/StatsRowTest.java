package dev.logmerge.core.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.logmerge.core.DateRange;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A row's numbers as the API shows them (rounding against {@link BigDecimal}, the decimal form
 * against {@link Double#toString}) and as Redis stores them.
 */
class StatsRowTest {
  private static final LocalDate DAY = LocalDate.parse("2019-08-19");

  @Test
  void theMeanAndUptimeRoundHalfUpToHundredthsAsBigDecimalDoes() {
    Random random = new Random(14);
    for (int i = 0; i < 100_000; i++) {
      long requests = 1 + (i % 3 == 0 ? random.nextInt(8) : random.nextInt(1_000_000));
      long sum =
          i % 5 == 0
              ? random.nextLong(Integer.MAX_VALUE) * requests
              : random.nextInt(Integer.MAX_VALUE);
      int down = random.nextInt(StatsRow.MINUTES_PER_DAY + 1);
      StatsRow row = row(requests, sum, down);

      assertEquals(
          hundredths(BigDecimal.valueOf(sum), BigDecimal.valueOf(requests)),
          row.durationMeanHundredths(),
          () -> "mean of " + sum + " over " + requests);
      assertEquals(
          hundredths(
              BigDecimal.valueOf((StatsRow.MINUTES_PER_DAY - down) * 100L),
              BigDecimal.valueOf(StatsRow.MINUTES_PER_DAY)),
          row.uptimeHundredths(),
          () -> "uptime with " + down + " minutes down");
    }
  }

  @Test
  void halfAHundredthRoundsUp() {
    // 1/8 ms = 0.125 → 0.13; 3/8 = 0.375 → 0.38; 9 down minutes: 99.375 % → 99.38
    assertEquals(13, row(8, 1, 0).durationMeanHundredths());
    assertEquals(38, row(8, 3, 0).durationMeanHundredths());
    assertEquals(9938, row(1, 0, 9).uptimeHundredths());
  }

  @Test
  void twoDecimalsPrintsAsTheDoubleOfTheSameValue() {
    Random random = new Random(7);
    for (int i = 0; i < 100_000; i++) {
      long hundredths = i < 1_000 ? i : random.nextLong(1_000_000_000L);
      assertEquals(
          Double.toString(BigDecimal.valueOf(hundredths, 2).doubleValue()),
          StatsRow.twoDecimals(hundredths),
          () -> "hundredths " + hundredths);
    }
  }

  @Test
  void decodeReadsWhatEncodeWroteFromAnOffset() {
    StatsRow row =
        new StatsRow(DAY, 121, 3, new StatsRow.StatusClasses(1, 100, 9, 8, 3), 5046, 37, 212, 1);

    assertEquals(row, StatsRow.decode(DAY, "42|" + row.encode(), 3));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "1|0|0|1|0|0|0|5|5|5",
        "1|0|0|1|0|0|0|5|5|5|0|0",
        "1|0|0|1|0|0|0|5|5|5|",
        "1|0|0|1|0|x|0|5|5|5|0",
        "0|0|0|0|0|0|0|0|0|0|0",
        "1|2|0|1|0|0|0|5|5|5|0"
      })
  void decodeRefusesWhatIsNotARow(String stored) {
    assertThrows(IllegalArgumentException.class, () -> StatsRow.decode(DAY, stored, 0));
  }

  @Test
  void theAnswerIsTheDocumentedJson() {
    StatsRow row =
        new StatsRow(DAY, 121, 3, new StatsRow.StatusClasses(0, 101, 9, 8, 3), 5046, 37, 212, 1);
    CustomerDays days =
        new CustomerDays(
            "cust-004217",
            new DateRange(DAY, DAY.plusDays(2)),
            List.of(row),
            List.of(DAY.plusDays(2)),
            Optional.of(DAY.plusDays(1)));

    assertEquals(
        "{\"customer_id\":\"cust-004217\",\"from\":\"2019-08-19\",\"to\":\"2019-08-21\",\"days\":["
            + "{\"date\":\"2019-08-19\",\"success_requests\":118,\"failed_requests\":3,"
            + "\"status\":{\"1xx\":0,\"2xx\":101,\"3xx\":9,\"4xx\":8,\"5xx\":3},"
            + "\"duration_mean_ms\":41.7,\"duration_p50_ms\":37,\"duration_p99_ms\":212,"
            + "\"uptime_percentage\":99.93}],"
            + "\"indexed_through\":\"2019-08-20\",\"pending_days\":[\"2019-08-21\"]}",
        days.toJsonBuffer().toString());
  }

  @Test
  void aCustomerIdIsEscapedAndNothingIndexedIsNull() {
    CustomerDays days =
        new CustomerDays("a\"b", new DateRange(DAY, DAY), List.of(), List.of(), Optional.empty());

    JsonObject json = new JsonObject(days.toJsonBuffer());

    assertEquals("a\"b", json.getString("customer_id"));
    assertEquals(true, json.containsKey("indexed_through"));
    assertEquals(null, json.getValue("indexed_through"));
  }

  private static StatsRow row(long requests, long durationSum, int downMinutes) {
    return new StatsRow(
        DAY,
        requests,
        0,
        new StatsRow.StatusClasses(0, requests, 0, 0, 0),
        durationSum,
        0,
        0,
        downMinutes);
  }

  private static long hundredths(BigDecimal numerator, BigDecimal denominator) {
    return numerator.divide(denominator, 2, RoundingMode.HALF_UP).unscaledValue().longValueExact();
  }
}
