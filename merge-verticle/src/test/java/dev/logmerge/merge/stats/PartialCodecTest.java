package dev.logmerge.merge.stats;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.logmerge.core.stats.StatsRow;
import dev.logmerge.core.stats.StatsRow.StatusClasses;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.time.LocalDate;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PartialCodecTest {
  private static final LocalDate DAY = LocalDate.of(2019, 8, 19);
  private static final LocalDate NEXT_DAY = DAY.plusDays(1);

  /** Lines in the next day's files: all but the last are late lines of {@link #DAY}. */
  private static final String NEXT_DAY_FILE =
      """
      2019-08-19T23:59:00Z I b GET / 200 5ms
      2019-08-19T23:59:30Z I b GET / 503 5ms
      2019-08-20T00:30:00+02:00 I b GET / 500 7ms
      2019-08-19T00:00:00Z I a GET / 404 12ms
      2019-08-19T00:00:59.9Z I a GET / 301 3ms
      2019-08-19T00:00:00Z I a GET / 301 3ms
      2019-08-20T10:00:00Z I a GET / 200 1ms
      """;

  private static final String PARTIAL =
      """
      logmerge-stats-partial/1 2019-08-19 2
      a 0,0,2,1,0 3x2,12 0
      b 0,1,0,0,2 5x2,7 1350d,1439
      """;

  @Test
  void writesCustomersInOrderWithTheirDurationsAndMinutes() throws IOException {
    DayStatsAggregator nextDay = aggregate(NEXT_DAY, NEXT_DAY_FILE);
    assertEquals(Set.of(DAY), nextDay.partialDates());
    assertEquals(PARTIAL, nextDay.partialOf(DAY));
  }

  @Test
  void aPartialBecomesTheRowsOfItsDate() {
    DayStatsAggregator day = new DayStatsAggregator(DAY);
    day.addPartial(PARTIAL);
    assertEquals(
        Map.of(
            "a",
            new StatsRow(DAY, 3, 0, new StatusClasses(0, 0, 2, 1, 0), 18, 3, 12, 0),
            "b",
            new StatsRow(DAY, 3, 2, new StatusClasses(0, 1, 0, 0, 2), 17, 5, 7, 1)),
        DayStatsAggregatorPropertyTest.rows(day));
    assertEquals(2, day.customerCount());
  }

  @Test
  void partialsAddUpWithTheDaysOwnLines() throws IOException {
    DayStatsAggregator day = aggregate(DAY, "2019-08-19T00:00:10Z I a GET / 502 1ms\n");
    day.addPartial(PARTIAL);
    day.addPartial(PARTIAL);
    StatsRow a = DayStatsAggregatorPropertyTest.rows(day).get("a");
    assertEquals(new StatsRow(DAY, 7, 1, new StatusClasses(0, 0, 4, 2, 1), 37, 3, 12, 0), a);
  }

  @Test
  void readingAndWritingAgainGivesTheSameText() {
    assertEquals(PARTIAL, PartialCodec.encode(DAY, PartialCodec.decode(PARTIAL, DAY)));
  }

  @Test
  void anEmptyPartialIsItsHeaderAndRoundTrips() {
    String empty = new DayStatsAggregator(NEXT_DAY).partialOf(DAY);
    assertEquals("logmerge-stats-partial/1 2019-08-19 0\n", empty);
    assertEquals(empty, PartialCodec.encode(DAY, PartialCodec.decode(empty, DAY)));
    DayStatsAggregator day = new DayStatsAggregator(DAY);
    day.addPartial(empty);
    assertEquals(0, day.customerCount());
    assertTrue(DayStatsAggregatorPropertyTest.rows(day).isEmpty());
  }

  @Test
  void equalContentGivesAnEqualPartialWhateverTheOrderOfLines() throws IOException {
    String[] lines = NEXT_DAY_FILE.split("\n");
    StringBuilder reversed = new StringBuilder();
    for (int i = lines.length - 1; i >= 0; i--) {
      reversed.append(lines[i]).append("\r\n");
    }
    assertEquals(PARTIAL, aggregate(NEXT_DAY, reversed.toString()).partialOf(DAY));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "garbage\n",
        "logmerge-stats-partial/2 2019-08-19 2\n",
        "logmerge-stats-partial/1 2019-08-18 0\n",
        "logmerge-stats-partial/1 2019-8-19 0\n",
        "logmerge-stats-partial/1 2019-08-19 0",
        "logmerge-stats-partial/1 2019-08-19 0\n\n",
        "logmerge-stats-partial/1 2019-08-19 01\na 1,0,0,0,0 1 0\n",
        "logmerge-stats-partial/1 2019-08-19 3\n"
            + "a 0,0,2,1,0 3x2,12 0\n"
            + "b 0,1,0,0,2 5x2,7 1350d,1439\n",
        "logmerge-stats-partial/1 2019-08-19 1\n"
            + "a 0,0,2,1,0 3x2,12 0\n"
            + "b 0,1,0,0,2 5x2,7 1350d,1439\n",
        "logmerge-stats-partial/1 2019-08-19 2\n"
            + "b 0,1,0,0,2 5x2,7 1350d,1439\n"
            + "a 0,0,2,1,0 3x2,12 0\n",
        "logmerge-stats-partial/1 2019-08-19 2\na 0,0,2,1,0 3x2,12 0\na 0,0,2,1,0 3x2,12 0\n",
        "logmerge-stats-partial/1 2019-08-19 1\na 0,0,2,1,0 3x2,12 0",
        "logmerge-stats-partial/1 2019-08-19 1\na 0,0,2,1,0 12,3x2 0\n",
        "logmerge-stats-partial/1 2019-08-19 1\na 0,0,2,1,0 3x2,3 0\n",
        "logmerge-stats-partial/1 2019-08-19 1\na 0,0,2,1,0 3x3,12 0\n",
        "logmerge-stats-partial/1 2019-08-19 1\na 0,0,2,1,0 03x2,12 0\n",
        "logmerge-stats-partial/1 2019-08-19 1\na 0,0,2,1,0 3x0,12 0\n",
        "logmerge-stats-partial/1 2019-08-19 1\na 0,0,2,1,0 3x2,12x1 0\n",
        "logmerge-stats-partial/1 2019-08-19 1\na 0,0,2,1,0 3x2,12 1440\n",
        "logmerge-stats-partial/1 2019-08-19 1\na 0,0,2,1,0 3x2,12 0d\n",
        "logmerge-stats-partial/1 2019-08-19 1\na 0,0,2,1,0 3x2,12 0,1,2,3\n",
        "logmerge-stats-partial/1 2019-08-19 1\na 0,0,2,1,0 3x2,12 1,0\n",
        "logmerge-stats-partial/1 2019-08-19 1\na 0,0,2,1,0 3x2,12 \n",
        "logmerge-stats-partial/1 2019-08-19 1\na 0,0,2,1,0  0\n",
        "logmerge-stats-partial/1 2019-08-19 1\na 0,0,2,1 3x2,12 0\n",
        "logmerge-stats-partial/1 2019-08-19 1\na 0,0,2,1,0,0 3x2,12 0\n",
        "logmerge-stats-partial/1 2019-08-19 1\na 0,0,2,1,-0 3x2,12 0\n",
        "logmerge-stats-partial/1 2019-08-19 1\na 0,0,2,1,0 3x2,12 0 extra\n",
        "logmerge-stats-partial/1 2019-08-19 1\na 0,0,0,0,0 0 0\n",
        "logmerge-stats-partial/1 2019-08-19 1\na 0,0,0,0,99999999999999999999 5 0\n",
        "logmerge-stats-partial/1 2019-08-19 1\n"
            + "a 9223372036854775807,1,0,0,0 5x9223372036854775807,6 0\n",
        "logmerge-stats-partial/1 2019-08-19 1\na 1,0,0,0,0 2147483648 0\n",
        "logmerge-stats-partial/1 2019-08-19 1\na/b 1,0,0,0,0 1 0\n",
        "logmerge-stats-partial/1 2019-08-19 1\n 1,0,0,0,0 1 0\n",
      })
  void refusesMalformedPartialsAndChangesNothing(String blob) throws IOException {
    DayStatsAggregator day = aggregate(DAY, "2019-08-19T00:00:10Z I a GET / 502 1ms\n");
    Map<String, StatsRow> before = DayStatsAggregatorPropertyTest.rows(day);
    assertThrows(IllegalArgumentException.class, () -> day.addPartial(blob));
    assertEquals(before, DayStatsAggregatorPropertyTest.rows(day));
  }

  @Test
  void refusesACustomerOf65Characters() {
    String blob = "logmerge-stats-partial/1 2019-08-19 1\n" + "c".repeat(65) + " 1,0,0,0,0 1 0\n";
    assertThrows(IllegalArgumentException.class, () -> PartialCodec.decode(blob, DAY));
    String longest = blob.replace("c".repeat(65), "c".repeat(64));
    assertEquals(longest, PartialCodec.encode(DAY, PartialCodec.decode(longest, DAY)));
  }

  private static DayStatsAggregator aggregate(LocalDate fileDay, String lines) throws IOException {
    DayStatsAggregator aggregator = new DayStatsAggregator(fileDay);
    aggregator.add(new ByteArrayInputStream(lines.getBytes(UTF_8)));
    return aggregator;
  }
}
