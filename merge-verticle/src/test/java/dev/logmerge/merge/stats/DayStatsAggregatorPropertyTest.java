package dev.logmerge.merge.stats;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.logmerge.core.stats.StatsRow;
import dev.logmerge.merge.stats.StatsOracle.Request;
import java.io.IOException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * Random file-days (several streams each, late and early lines, every status class, unparsed and
 * CRLF lines, streams read in odd chunks) aggregated by {@link DayStatsAggregator}, partials
 * exchanged between the file-days' aggregators, and every row compared with {@link StatsOracle}
 * over all lines of its date. Set {@code -Dlogmerge.seed=N} to replay a reported case.
 */
class DayStatsAggregatorPropertyTest {
  private static final long BASE_SEED = Long.getLong("logmerge.seed", 20190819L);
  private static final int CASES = Integer.getInteger("logmerge.cases", 150);
  private static final LocalDate FIRST_DAY = LocalDate.of(2019, 8, 18);
  private static final String[] CUSTOMERS = {
    "cust-000001", "cust-004217", "a", "Z.z_9-", "B", "x".repeat(64), "cust-000010", "cust-00001"
  };
  private static final int[] CHUNKS = {1, 7, 100, 4096, 65_536, 65_538, Integer.MAX_VALUE};

  /** How many cases exercised each shape, so a change to the generator cannot drop one. */
  private final Map<String, Integer> coverage = new TreeMap<>();

  /** One file-day's generated streams and what they hold. */
  private record FileDay(
      LocalDate day, List<byte[]> streams, List<Request> requests, long unparsedLines) {}

  @Test
  void rowsEqualAPlainComputationOverEveryLineOfTheirDate() throws IOException {
    for (int i = 0; i < CASES; i++) {
      checkCase(BASE_SEED + i);
    }
    if (CASES >= 100) {
      for (String shape :
          List.of(
              "late line",
              "early line",
              "down minute",
              "partial merged",
              "CRLF stream",
              "no final newline",
              "line > 64 KiB",
              "date without files")) {
        assertTrue(coverage.getOrDefault(shape, 0) >= 5, "too few cases with " + shape + coverage);
      }
    }
  }

  private void checkCase(long seed) throws IOException {
    Random random = new Random(seed);
    String context = "seed " + seed;
    int fileDayCount = 1 + random.nextInt(3);
    List<FileDay> fileDays = new ArrayList<>();
    List<Request> allRequests = new ArrayList<>();
    for (int d = 0; d < fileDayCount; d++) {
      FileDay fileDay = generate(random, FIRST_DAY.plusDays(d));
      fileDays.add(fileDay);
      allRequests.addAll(fileDay.requests());
    }

    Map<LocalDate, DayStatsAggregator> aggregators = new TreeMap<>();
    for (FileDay fileDay : fileDays) {
      DayStatsAggregator aggregator = aggregate(fileDay, random);
      aggregators.put(fileDay.day(), aggregator);
      checkCounts(fileDay, aggregator, context);
      checkPartialsDoNotDependOnOrder(fileDay, aggregator, random, context);
    }

    SortedSet<LocalDate> dates = new TreeSet<>(aggregators.keySet());
    allRequests.forEach(request -> dates.add(request.date()));
    for (LocalDate date : dates) {
      DayStatsAggregator target = aggregators.get(date);
      if (target == null) {
        coverage.merge("date without files", 1, Integer::sum);
        target = new DayStatsAggregator(date);
      } else {
        // the rows read before any partial: this date's lines in its own files only
        List<Request> own = fileDays.get(fileDays.indexOf(fileDayOf(fileDays, date))).requests();
        assertEquals(StatsOracle.rows(date, own), rows(target), context + ", " + date + " alone");
      }
      for (DayStatsAggregator other : aggregators.values()) {
        if (other != target) {
          if (other.partialDates().contains(date)) {
            coverage.merge("partial merged", 1, Integer::sum);
          }
          target.addPartial(other.partialOf(date));
        }
      }
      SortedMap<String, StatsRow> expected = StatsOracle.rows(date, allRequests);
      assertEquals(expected, rows(target), context + ", " + date);
      assertEquals(expected.size(), target.customerCount(), context + ", " + date);
      if (expected.values().stream().anyMatch(row -> row.downMinutes() > 0)) {
        coverage.merge("down minute", 1, Integer::sum);
      }
    }
  }

  private FileDay generate(Random random, LocalDate day) {
    int streamCount = 1 + random.nextInt(4);
    List<byte[]> streams = new ArrayList<>();
    List<Request> requests = new ArrayList<>();
    long unparsed = 0;
    // one customer fails mostly, so that some of its minutes are down
    String failing = CUSTOMERS[random.nextInt(CUSTOMERS.length)];
    for (int s = 0; s < streamCount; s++) {
      String newline = random.nextInt(4) == 0 ? "\r\n" : "\n";
      int lines = random.nextInt(250);
      StringBuilder text = new StringBuilder();
      for (int l = 0; l < lines; l++) {
        int lineStart = text.length();
        Request request = request(random, day, failing);
        if (random.nextInt(8) == 0) {
          text.append(LineRenderer.unparsed(random, request));
          unparsed++;
        } else {
          boolean longLine = random.nextInt(500) == 0;
          text.append(LineRenderer.render(random, request, longLine));
          requests.add(request);
          record(longLine, "line > 64 KiB");
          record(request.date().isBefore(day), "late line");
          record(request.date().isAfter(day), "early line");
        }
        // an empty last line without a newline is no line at all
        if (l < lines - 1 || random.nextInt(3) > 0 || text.length() == lineStart) {
          text.append(newline);
        } else {
          record(true, "no final newline");
        }
      }
      record(newline.equals("\r\n") && lines > 0, "CRLF stream");
      streams.add(text.toString().getBytes(UTF_8));
    }
    return new FileDay(day, streams, requests, unparsed);
  }

  private static Request request(Random random, LocalDate day, String failing) {
    int roll = random.nextInt(100);
    LocalDate date = roll < 75 ? day : roll < 90 ? day.minusDays(1) : day.plusDays(1);
    // a few busy minutes, so that minutes hold several requests
    int minute =
        random.nextBoolean()
            ? new int[] {0, 1, 719, 1439}[random.nextInt(4)]
            : random.nextInt(1440);
    String customer = CUSTOMERS[random.nextInt(CUSTOMERS.length)];
    int statusClass =
        customer.equals(failing) && random.nextInt(10) < 8 ? 5 : 1 + random.nextInt(5);
    int status = statusClass * 100 + random.nextInt(100);
    int durationRoll = random.nextInt(10);
    int duration =
        durationRoll < 6
            ? random.nextInt(20)
            : durationRoll < 9 ? random.nextInt(5000) : Integer.MAX_VALUE - random.nextInt(3);
    return new Request(date, minute, customer, status, duration);
  }

  private DayStatsAggregator aggregate(FileDay fileDay, Random random) throws IOException {
    DayStatsAggregator aggregator = new DayStatsAggregator(fileDay.day());
    for (byte[] stream : fileDay.streams()) {
      aggregator.add(new ChunkedInputStream(stream, CHUNKS[random.nextInt(CHUNKS.length)]));
    }
    return aggregator;
  }

  private static void checkCounts(FileDay fileDay, DayStatsAggregator aggregator, String context) {
    assertEquals(fileDay.requests().size(), aggregator.requestLines(), context);
    assertEquals(fileDay.unparsedLines(), aggregator.unparsedLines(), context);
    SortedSet<LocalDate> otherDates = new TreeSet<>();
    fileDay.requests().forEach(request -> otherDates.add(request.date()));
    otherDates.remove(fileDay.day());
    assertEquals(otherDates, aggregator.partialDates(), context);
  }

  /** The same streams in reverse order, read in other chunks, give the same partials. */
  private static void checkPartialsDoNotDependOnOrder(
      FileDay fileDay, DayStatsAggregator aggregator, Random random, String context)
      throws IOException {
    DayStatsAggregator reversed = new DayStatsAggregator(fileDay.day());
    for (int s = fileDay.streams().size() - 1; s >= 0; s--) {
      byte[] stream = fileDay.streams().get(s);
      reversed.add(new ChunkedInputStream(stream, 1 + random.nextInt(stream.length + 1)));
    }
    for (LocalDate date : aggregator.partialDates()) {
      assertEquals(aggregator.partialOf(date), reversed.partialOf(date), context + ", " + date);
    }
    assertEquals(rows(aggregator), rows(reversed), context);
  }

  private static FileDay fileDayOf(List<FileDay> fileDays, LocalDate date) {
    return fileDays.stream().filter(f -> f.day().equals(date)).findFirst().orElseThrow();
  }

  private void record(boolean happened, String shape) {
    if (happened) {
      coverage.merge(shape, 1, Integer::sum);
    }
  }

  /** The aggregator's rows, each customer once. */
  static Map<String, StatsRow> rows(DayStatsAggregator aggregator) {
    Map<String, StatsRow> rows = new LinkedHashMap<>();
    List<String> order = new ArrayList<>();
    aggregator.forEachRow(
        (customer, row) -> {
          rows.put(customer, row);
          order.add(customer);
        });
    assertEquals(order.size(), rows.size(), "each customer once");
    return rows;
  }
}
