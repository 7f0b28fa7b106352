package dev.logmerge.merge;

import static dev.logmerge.merge.MergeFixture.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.logmerge.core.DateRange;
import dev.logmerge.core.bus.Addresses;
import dev.logmerge.core.job.Job;
import dev.logmerge.core.job.JobKind;
import dev.logmerge.core.job.JobState;
import dev.logmerge.core.job.StatsStore;
import dev.logmerge.core.stats.DayRecord;
import dev.logmerge.core.stats.StatsRow;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Per-customer daily statistics computed by real {@link MergeVerticle}s from files in the embedded
 * S3 into the embedded Redis, compared with an oracle that parses every line in this test (a
 * regular expression and plain lists, nothing of the code under test). Each test uses dates of its
 * own.
 */
class StatsIntegrationTest {
  private static final Duration DEADLINE = Duration.ofSeconds(90);

  /** The request-line form of the API's definition, read independently of the parser. */
  private static final Pattern REQUEST =
      Pattern.compile(
          "(\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(?:\\.\\d+)?(?:Z|[+-]\\d{2}:\\d{2})) \\S+"
              + " ([A-Za-z0-9_.-]{1,64}) [A-Z]+ \\S+ ([1-5]\\d\\d) (\\d{1,9})ms(?: .*)?");

  @TempDir static Path dataDir;
  private static MergeFixture fixture;
  private static StatsStore stats;

  @BeforeAll
  static void startServers() throws Exception {
    fixture = new MergeFixture(dataDir, Map.of("STATS_SCAN_INTERVAL", "300ms"));
    stats = fixture.jobs.stats();
  }

  @AfterAll
  static void stopServers() {
    fixture.close();
  }

  @AfterEach
  void stopWorkers() {
    fixture.undeployAll();
  }

  @Test
  void everyCustomersRowsEqualTheOraclesOverSortedUnsortedGzipAndLateLines() throws Exception {
    List<Path> files = new ArrayList<>();
    files.addAll(fixture.generate("2014-01-01", 3, 2, 400));
    files.addAll(
        dev.logmerge.loggen.LogGenerator.generate(
            fixture
                .logs("2014-01-01", 3, 1, 300)
                .withExtension("log")
                .withUnsortedFiles(2)
                .withSeed(7)));
    files.addAll(
        dev.logmerge.loggen.LogGenerator.generate(
            fixture.logs("2014-01-02", 1, 1, 300).withGzip(true).withSeed(9)));
    // late lines of the 1st and 2nd in files of the next day, and lines that are not requests
    files.add(
        write(
            "2014-01-02_20",
            "2014-01-01T23:59:58.100Z ERROR cust-000007 GET /api/v1/orders/1 503 77ms late\n"
                + "2014-01-01T23:59:59.900Z INFO cust-000007 GET /api/v1/orders/2 200 12ms late\n"
                + "2014-01-02:00:00:01 10.0.0.1 curl/8.0 /api/v1/orders\n"
                + "\n"
                + "2014-01-02T00:00:02.000+01:00 WARN cust-000008 GET /x 404 5ms offset: the 1st\n"
                + "2014-01-02T10:00:00.000Z INFO cust-000007 GET /api/v1/orders/3 302 40ms\n"));
    files.add(
        write(
            "2014-01-03_20",
            "2014-01-02T23:00:00.000Z ERROR cust-000009 POST /pay 500 900ms late\n"
                + "garbage that is no request\n"));

    fixture.deployWorker();
    DateRange range = DateRange.parse("2014-01-01", "2014-01-03");
    Job job = reindex(range);
    assertEquals(JobState.DONE, job.state(), () -> "failure: " + job.failure());

    Map<String, Map<LocalDate, StatsRow>> expected = oracle(files);
    assertTrue(expected.size() > 100, "a test of many customers: " + expected.size());
    assertRowsEqual(expected, range);

    DayRecord second = await(stats.day(LocalDate.parse("2014-01-02"))).orElseThrow();
    assertEquals(5, second.inputs());
    assertEquals(2, second.unparsedLines(), "the original form and a blank line");
    assertEquals(
        Map.of(LocalDate.parse("2014-01-01"), 3L),
        second.linesOfOtherDays(),
        "two late lines and one whose offset puts it on the 1st");
  }

  @Test
  void aDayWhoseFilesChangedIsIndexedAgainByTheNextScan() throws Exception {
    List<Path> files = new ArrayList<>(fixture.generate("2014-02-01", 1, 2, 300));
    fixture.deployWorker();
    DateRange day = DateRange.parse("2014-02-01", "2014-02-01");
    reindex(day);
    assertRowsEqual(oracle(files), day);

    files.add(
        write(
            "2014-02-01_7",
            "2014-02-01T08:00:00.000Z ERROR cust-000001 GET /a 500 100ms added\n"
                + "2014-02-01T08:00:30.000Z ERROR cust-424242 GET /a 502 10ms a new customer\n"));
    Map<String, Map<LocalDate, StatsRow>> expected = oracle(files);
    long deadline = System.nanoTime() + DEADLINE.toNanos();
    while (!rowsOf("cust-424242", day).equals(List.copyOf(expected.get("cust-424242").values()))) {
      assertTrue(System.nanoTime() < deadline, "the scan did not index the changed day");
      Thread.sleep(100);
    }
    awaitNoStatsJobs();
    assertRowsEqual(expected, day);
  }

  @Test
  void aStatisticsJobWhoseWorkerDiedIsRedoneAndCountsEveryLineOnce() throws Exception {
    List<Path> files = fixture.generate("2014-03-01", 1, 3, 300);
    LocalDate day = LocalDate.parse("2014-03-01");
    Job job = await(stats.reindex(new DateRange(day, day)));
    // a worker claims it, begins the day, stores some rows and dies
    await(fixture.jobs.claim("dead-worker")).orElseThrow();
    long generation = await(stats.beginDay(job.id(), "dead-worker", day)).orElseThrow();
    Map<String, Map<LocalDate, StatsRow>> expected = oracle(files);
    Map<String, StatsRow> half = new HashMap<>();
    expected.entrySet().stream()
        .limit(expected.size() / 2)
        .forEach(e -> half.put(e.getKey(), e.getValue().get(day)));
    await(stats.storeRows(day, generation, half));

    fixture.deployWorker();
    Job redone = fixture.awaitFinal(job.id(), DEADLINE);
    assertEquals(JobState.DONE, redone.state(), () -> "failure: " + redone.failure());
    assertEquals(2, redone.attempts());
    assertRowsEqual(expected, new DateRange(day, day));
  }

  private static Job reindex(DateRange range) throws InterruptedException {
    Job job = await(stats.reindex(range));
    assertEquals(JobKind.STATS, job.kind());
    fixture.vertx.eventBus().publish(Addresses.JOB_QUEUED, job.id());
    return fixture.awaitFinal(job.id(), DEADLINE);
  }

  private static void awaitNoStatsJobs() throws InterruptedException {
    long deadline = System.nanoTime() + DEADLINE.toNanos();
    while (await(fixture.jobs.queueDepths()).queued() + await(fixture.jobs.queueDepths()).running()
        > 0) {
      assertTrue(System.nanoTime() < deadline, "statistics jobs still queued or running");
      Thread.sleep(100);
    }
  }

  private static void assertRowsEqual(
      Map<String, Map<LocalDate, StatsRow>> expected, DateRange range) {
    for (Map.Entry<String, Map<LocalDate, StatsRow>> customer : expected.entrySet()) {
      List<StatsRow> wanted =
          customer.getValue().values().stream().filter(row -> range.contains(row.date())).toList();
      assertEquals(wanted, rowsOf(customer.getKey(), range), customer.getKey());
    }
  }

  private static List<StatsRow> rowsOf(String customer, DateRange range) {
    return await(stats.customerDays(customer, range)).rows();
  }

  private static Path write(String name, String content) throws IOException {
    Path file = fixture.logsDir().resolve(name);
    Files.writeString(file, content, StandardCharsets.UTF_8);
    return file;
  }

  /**
   * Every customer's rows, by day, from every line of the files: the API's definitions, plainly.
   */
  private static Map<String, Map<LocalDate, StatsRow>> oracle(List<Path> files) throws IOException {
    Map<String, Map<LocalDate, List<long[]>>> requests = new TreeMap<>();
    for (Path file : files) {
      for (String line : lines(file)) {
        Matcher m = REQUEST.matcher(line);
        if (!m.matches()) {
          continue;
        }
        OffsetDateTime at = OffsetDateTime.parse(m.group(1)).withOffsetSameInstant(ZoneOffset.UTC);
        requests
            .computeIfAbsent(m.group(2), c -> new TreeMap<>())
            .computeIfAbsent(at.toLocalDate(), d -> new ArrayList<>())
            .add(
                new long[] {
                  Long.parseLong(m.group(3)),
                  Long.parseLong(m.group(4)),
                  at.getHour() * 60L + at.getMinute()
                });
      }
    }
    Map<String, Map<LocalDate, StatsRow>> rows = new TreeMap<>();
    requests.forEach(
        (customer, days) -> {
          Map<LocalDate, StatsRow> byDay = new TreeMap<>();
          days.forEach((date, day) -> byDay.put(date, row(date, day)));
          rows.put(customer, byDay);
        });
    return rows;
  }

  private static StatsRow row(LocalDate date, List<long[]> requests) {
    long[] classes = new long[6];
    long failed = 0;
    long sum = 0;
    List<Long> durations = new ArrayList<>();
    Set<Long> minutes = new HashSet<>();
    Set<Long> minutesWithSuccess = new HashSet<>();
    for (long[] r : requests) {
      classes[(int) (r[0] / 100)]++;
      boolean fails = r[0] >= 500;
      failed += fails ? 1 : 0;
      sum += r[1];
      durations.add(r[1]);
      minutes.add(r[2]);
      if (!fails) {
        minutesWithSuccess.add(r[2]);
      }
    }
    durations.sort(null);
    int n = durations.size();
    minutes.removeAll(minutesWithSuccess);
    return new StatsRow(
        date,
        n,
        failed,
        new StatsRow.StatusClasses(classes[1], classes[2], classes[3], classes[4], classes[5]),
        sum,
        // nearest rank: the ⌈0.5·n⌉-th and ⌈0.99·n⌉-th smallest, in integers
        durations.get((n + 1) / 2 - 1),
        durations.get((99 * n + 99) / 100 - 1),
        minutes.size());
  }

  private static List<String> lines(Path file) throws IOException {
    try (InputStream raw = Files.newInputStream(file);
        InputStream in = file.toString().endsWith(".gz") ? new GZIPInputStream(raw) : raw) {
      String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      return Stream.of(text.split("\n", -1)).toList();
    }
  }
}
