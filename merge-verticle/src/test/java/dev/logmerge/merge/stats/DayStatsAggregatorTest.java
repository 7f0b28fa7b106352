package dev.logmerge.merge.stats;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.logmerge.core.stats.StatsRow;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class DayStatsAggregatorTest {
  private static final LocalDate DAY = LocalDate.of(2019, 8, 19);
  private static final String REQUEST = "2019-08-19T10:00:00Z INFO c GET / 200 5ms";

  @AfterEach
  void clearInterrupt() {
    Thread.interrupted();
  }

  @Test
  void countsEveryLineSplitOnNewlines() throws IOException {
    assertLines("", 0, 0);
    assertLines("\n", 0, 1);
    assertLines("\n\n", 0, 2);
    assertLines("\r\n", 0, 1);
    assertLines("x", 0, 1);
    assertLines(REQUEST, 1, 0);
    assertLines(REQUEST + "\r", 1, 0);
    assertLines(REQUEST + "\n" + REQUEST, 2, 0);
    assertLines(REQUEST + "\r\n" + REQUEST + "\r\n\r\n", 2, 1);
    assertLines("x\n" + REQUEST + "\nx", 1, 2);
  }

  @Test
  void judgesLinesLongerThanTheBufferByTheirStart() throws IOException {
    String longText = " " + "t".repeat(3 * RequestLineParser.RECOGNISED_BYTES);
    String longPath =
        REQUEST.replace(" / ", " /" + "p".repeat(RequestLineParser.RECOGNISED_BYTES) + " ");
    for (int chunk : new int[] {1, 1000, 65_537, Integer.MAX_VALUE}) {
      assertLines(REQUEST + longText + "\n" + REQUEST, 2, 0, chunk);
      assertLines(REQUEST + longText, 1, 0, chunk);
      assertLines(longPath + "\n" + REQUEST + longText + "\r\n" + longPath, 1, 2, chunk);
      assertLines("x".repeat(RequestLineParser.RECOGNISED_BYTES + 2) + "\n" + REQUEST, 1, 1, chunk);
    }
  }

  @Test
  void aggregatesTheSampleDay() throws IOException {
    DayStatsAggregator aggregator = new DayStatsAggregator(DAY);
    long lines = 0;
    try (Stream<Path> files = Files.list(Path.of("..", "miniodata", "logs"))) {
      for (Path file :
          files.filter(f -> f.getFileName().toString().startsWith("2019-08-19_")).toList()) {
        try (InputStream in = Files.newInputStream(file)) {
          aggregator.add(in);
        }
        lines += Files.readAllLines(file).size();
      }
    }
    assertTrue(lines > 0);
    assertEquals(lines, aggregator.requestLines());
    assertEquals(0, aggregator.unparsedLines());
    long[] requests = {0};
    aggregator.forEachRow((customer, row) -> requests[0] += row.requests());
    for (LocalDate other : aggregator.partialDates()) {
      DayStatsAggregator otherDay = new DayStatsAggregator(other);
      otherDay.addPartial(aggregator.partialOf(other));
      otherDay.forEachRow((customer, row) -> requests[0] += row.requests());
    }
    assertEquals(lines, requests[0], "every request in one row");
  }

  @Test
  void rowsCanBeReadAgainAndPartialsAddedAfterwards() throws IOException {
    DayStatsAggregator aggregator = new DayStatsAggregator(DAY);
    aggregator.add(new ByteArrayInputStream((REQUEST + "\n").getBytes(UTF_8)));
    Map<String, StatsRow> first = DayStatsAggregatorPropertyTest.rows(aggregator);
    assertEquals(first, DayStatsAggregatorPropertyTest.rows(aggregator));
    DayStatsAggregator nextDay = new DayStatsAggregator(DAY.plusDays(1));
    nextDay.add(new ByteArrayInputStream((REQUEST + "\n").getBytes(UTF_8)));
    aggregator.addPartial(nextDay.partialOf(DAY));
    assertEquals(2, DayStatsAggregatorPropertyTest.rows(aggregator).get("c").requests());
  }

  @Test
  void hasNoPartialOfItsOwnDay() {
    DayStatsAggregator aggregator = new DayStatsAggregator(DAY);
    assertThrows(IllegalArgumentException.class, () -> aggregator.partialOf(DAY));
  }

  @Test
  void memoryDoesNotGrowWithLinesOfKnownPairs() throws IOException {
    DayStatsAggregator aggregator = new DayStatsAggregator(DAY);
    aggregator.add(
        new RepeatedLines(List.of(REQUEST, REQUEST.replace("2019-08-19", "2019-08-18")), 1_000));
    long bytes = aggregator.estimatedBytes();
    aggregator.add(
        new RepeatedLines(
            List.of(REQUEST, REQUEST.replace("2019-08-19", "2019-08-18")), 1_000_000));
    assertEquals(bytes, aggregator.estimatedBytes());
    assertEquals(1_001_000, DayStatsAggregatorPropertyTest.rows(aggregator).get("c").requests());
  }

  @Test
  void stopsWhenTheThreadIsInterrupted() {
    DayStatsAggregator aggregator = new DayStatsAggregator(DAY);
    InputStream endless =
        new RepeatedLines(List.of(REQUEST), Long.MAX_VALUE) {
          private int reads;

          @Override
          public int read(byte[] b, int off, int len) {
            if (++reads == 3) {
              Thread.currentThread().interrupt();
            }
            return super.read(b, off, len);
          }
        };
    assertThrows(InterruptedIOException.class, () -> aggregator.add(endless));
    assertTrue(Thread.currentThread().isInterrupted(), "the interrupt stays set");
    assertTrue(aggregator.requestLines() > 0);
  }

  private static void assertLines(String text, long requests, long unparsed) throws IOException {
    assertLines(text, requests, unparsed, Integer.MAX_VALUE);
  }

  private static void assertLines(String text, long requests, long unparsed, int chunk)
      throws IOException {
    DayStatsAggregator aggregator = new DayStatsAggregator(DAY);
    aggregator.add(new ChunkedInputStream(text.getBytes(UTF_8), chunk));
    String context =
        text.length() > 60 ? text.substring(0, 60) + "... (chunk " + chunk + ")" : text;
    assertEquals(requests, aggregator.requestLines(), context);
    assertEquals(unparsed, aggregator.unparsedLines(), context);
  }

  /** The same lines again and again, made on the fly. */
  private static class RepeatedLines extends InputStream {
    private final byte[] lines;
    private final long total;
    private long position;

    RepeatedLines(List<String> lines, long times) {
      this.lines = (String.join("\n", lines) + "\n").getBytes(UTF_8);
      this.total = times == Long.MAX_VALUE ? Long.MAX_VALUE : times * this.lines.length;
    }

    @Override
    public int read() {
      throw new UnsupportedOperationException();
    }

    @Override
    public int read(byte[] b, int off, int len) {
      if (position >= total) {
        return -1;
      }
      int n = (int) Math.min(len, total - position);
      for (int i = 0; i < n; i++) {
        b[off + i] = lines[(int) ((position + i) % lines.length)];
      }
      position += n;
      return n;
    }
  }
}
