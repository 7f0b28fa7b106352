package dev.logmerge.core.job;

import static dev.logmerge.core.job.JobStoreTest.await;
import static dev.logmerge.core.job.JobStoreTest.failure;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.logmerge.core.DateRange;
import dev.logmerge.core.RedisServerExtension;
import dev.logmerge.core.config.JobPolicy;
import dev.logmerge.core.stats.CustomerDays;
import dev.logmerge.core.stats.DayRecord;
import dev.logmerge.core.stats.StatsRow;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Statistics rows, generations and statistics jobs, against a real redis-server. */
class StatsStoreTest {
  private static final LocalDate D19 = LocalDate.parse("2019-08-19");
  private static final LocalDate D20 = LocalDate.parse("2019-08-20");
  private static final LocalDate D21 = LocalDate.parse("2019-08-21");
  private static final String CUSTOMER = "cust-004217";

  private static final JobPolicy POLICY =
      new JobPolicy(
          Duration.ofHours(1),
          3,
          Duration.ofSeconds(30),
          Duration.ofSeconds(10),
          3,
          Duration.ofMillis(10),
          Duration.ofSeconds(1));

  @RegisterExtension static final RedisServerExtension redis = new RedisServerExtension();

  private JobStore jobs;
  private StatsStore stats;

  @BeforeEach
  void emptyRedis() {
    redis.flush();
    jobs = JobStore.connect(redis.vertx(), redis.server().url(), POLICY);
    stats = jobs.stats();
  }

  @AfterEach
  void closeStore() {
    jobs.close();
  }

  @Test
  void askingForDaysQueuesOneStatisticsJobAndAskingAgainQueuesNone() {
    Job job = await(stats.requestIndexing(List.of(D19, D21))).orElseThrow();
    assertEquals(JobKind.STATS, job.kind());
    assertEquals(JobState.QUEUED, job.state());
    assertEquals(DateRange.parse("2019-08-19", "2019-08-21"), job.range());
    assertEquals("stats", job.toJson().getString("kind"));
    assertNull(job.result());

    assertEquals(Optional.empty(), await(stats.requestIndexing(List.of(D19, D21))));
    Job onlyTheNewDay = await(stats.requestIndexing(List.of(D20, D21))).orElseThrow();
    assertEquals(DateRange.parse("2019-08-20", "2019-08-20"), onlyTheNewDay.range());
    Job forced = await(stats.reindex(DateRange.parse("2019-08-19", "2019-08-21")));
    assertEquals(DateRange.parse("2019-08-19", "2019-08-21"), forced.range());
    assertEquals(3, await(redis.inspect().zcard(RedisKeys.QUEUED)).toInteger());
    assertEquals(
        forced.id(), await(redis.inspect().get(RedisKeys.STATS_QUEUED_PREFIX + D19)).toString());
  }

  @Test
  void aFullQueueRefusesStatisticsJobsAndMarksNothing() {
    for (int i = 0; i < POLICY.maxQueuedJobs(); i++) {
      await(jobs.create(DateRange.parse("2019-08-19", "2019-08-19")));
    }
    assertInstanceOf(QueueFullException.class, failure(stats.requestIndexing(List.of(D19))));
    assertNull(await(redis.inspect().get(RedisKeys.STATS_QUEUED_PREFIX + D19)));
  }

  @Test
  void onlyTheWorkerHoldingTheJobBeginsADayAndEachDayGetsAHigherGeneration() {
    Job job = await(stats.requestIndexing(List.of(D19, D20))).orElseThrow();
    Job claimed = await(jobs.claim("worker-a")).orElseThrow();
    assertEquals(job.id(), claimed.id());
    assertEquals(JobKind.STATS, claimed.kind());

    assertEquals(OptionalLong.empty(), await(stats.beginDay(job.id(), "worker-b", D19)));
    long first = await(stats.beginDay(job.id(), "worker-a", D19)).orElseThrow();
    long second = await(stats.beginDay(job.id(), "worker-a", D20)).orElseThrow();
    assertTrue(second > first);
    assertNull(
        await(redis.inspect().get(RedisKeys.STATS_QUEUED_PREFIX + D19)),
        "a day begun is no longer waiting: a change from now on queues another job");
    assertTrue(await(stats.requestIndexing(List.of(D19))).isPresent());

    assertEquals(
        Hold.held(job.id()), await(jobs.completeIndexing(job.id(), "worker-a", JobProgress.NONE)));
    Job done = await(jobs.find(job.id())).orElseThrow();
    assertEquals(JobState.DONE, done.state());
    assertNull(done.result());
  }

  @Test
  void rowsCountFromTheirDaysCurrentGenerationOnAndAnOlderIndexingNeverOverwritesANewerOne() {
    Job job = await(stats.requestIndexing(List.of(D19, D20))).orElseThrow();
    await(jobs.claim("worker-a")).orElseThrow();
    StatsRow old = row(D19, 10);
    StatsRow newer = row(D19, 20);
    long first = begin(job, D19);
    assertEquals(
        2, await(stats.storeRows(D19, first, Map.of(CUSTOMER, old, "cust-gone", row(D19, 1)))));
    assertTrue(await(stats.recordDay(first, record(D19, 3))));
    long d20 = begin(job, D20);
    await(stats.storeRows(D20, d20, Map.of(CUSTOMER, row(D20, 7))));
    assertTrue(await(stats.recordDay(d20, record(D20, 1))));

    CustomerDays before =
        await(stats.customerDays(CUSTOMER, DateRange.parse("2019-08-18", "2019-08-21")));
    assertEquals(List.of(old, row(D20, 7)), before.rows());
    assertEquals(List.of(LocalDate.parse("2019-08-18"), D21), before.pendingDays());
    assertEquals(Optional.of(D20), before.indexedThrough());

    // two more indexings of the 19th; the older one (a worker that lost its lease) is slower
    long older = begin(job, D19);
    long newest = begin(job, D19);
    // the newer one's rows count as soon as stored
    assertEquals(1, await(stats.storeRows(D19, newest, Map.of(CUSTOMER, newer))));
    assertEquals(
        List.of(newer),
        await(stats.customerDays(CUSTOMER, DateRange.parse("2019-08-19", "2019-08-19"))).rows());
    // the older one, finishing late, changes nothing
    assertEquals(0, await(stats.storeRows(D19, older, Map.of(CUSTOMER, old))));
    assertTrue(await(stats.recordDay(newest, record(D19, 4))));
    assertFalse(await(stats.recordDay(older, record(D19, 3))));
    assertEquals(4, await(stats.day(D19)).orElseThrow().inputs());
    assertEquals(
        List.of(newer),
        await(stats.customerDays(CUSTOMER, DateRange.parse("2019-08-19", "2019-08-19"))).rows());

    // a customer the newer indexing did not find stops counting once it is current
    assertEquals(
        List.of(),
        await(stats.customerDays("cust-gone", DateRange.parse("2019-08-19", "2019-08-19"))).rows());
    CustomerDays unknown =
        await(stats.customerDays("cust-unknown", DateRange.parse("2019-08-19", "2019-08-20")));
    assertEquals(List.of(), unknown.rows());
    assertEquals(List.of(), unknown.pendingDays());
  }

  @Test
  void theNewestDayIsTheNewestWithFiles() {
    assertEquals(Optional.empty(), await(stats.newestIndexedDay()));
    await(stats.recordDay(1, record(D20, 2)));
    await(stats.recordDay(2, record(D21, 0)));
    await(stats.recordDay(3, record(D19, 2)));
    assertEquals(Optional.of(D20), await(stats.newestIndexedDay()));
    assertEquals(Map.of(D20, record(D20, 2)), await(stats.days(List.of(D20, D19.minusDays(1)))));
  }

  @Test
  void partialsOfADayFromOtherDaysFilesAreKeptByGenerationAndTellWhenTheyChanged() {
    assertTrue(await(stats.storePartial(D19, D20, 4, "partial-a")));
    assertFalse(await(stats.storePartial(D19, D20, 5, "partial-a")), "same content: no change");
    assertFalse(await(stats.storePartial(D19, D20, 3, "partial-old")), "older generation");
    assertTrue(await(stats.storePartial(D19, D19, 6, "own")));
    assertEquals(
        Map.of(D20, "partial-a"), await(stats.partialsOf(D19)), "a day's own files excluded");
    assertTrue(await(stats.storePartial(D19, D20, 8, "")), "gone is a change");
    assertEquals(Map.of(), await(stats.partialsOf(D19)));
    assertFalse(await(stats.storePartial(D19, D20, 9, "")));
  }

  @Test
  void onlyOneWorkerScansAtATime() {
    assertTrue(await(stats.tryScan("worker-a", Duration.ofSeconds(5))));
    assertFalse(await(stats.tryScan("worker-b", Duration.ofSeconds(5))));
  }

  private static StatsRow row(LocalDate date, long requests) {
    return new StatsRow(
        date,
        requests,
        1,
        new StatsRow.StatusClasses(0, requests - 1, 0, 0, 1),
        40 * requests,
        37,
        212,
        1);
  }

  private static DayRecord record(LocalDate date, int inputs) {
    return new DayRecord(
        date,
        Instant.parse("2019-08-26T00:00:00Z"),
        "fp",
        inputs,
        1000L * inputs,
        10,
        1,
        2,
        Map.of());
  }

  private long begin(Job job, LocalDate day) {
    return await(stats.beginDay(job.id(), "worker-a", day)).orElseThrow();
  }
}
