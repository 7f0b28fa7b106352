package dev.logmerge.cluster;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Work spreads over merge JVMs: several JVMs claim from one Redis queue and every result is right;
 * and jobs of the same inputs, asked through several front ends at once, are merged once.
 */
class ScaleOutTest {
  private static final LocalDate FIRST_DAY = LocalDate.of(2021, 3, 1);
  private static final int DAYS = 10;

  @RegisterExtension static final ClusterExtension cluster = new ClusterExtension();

  @AfterEach
  void stopWorkers() {
    cluster.harness().stopMerges();
  }

  @Test
  void thirtyJobsOfMixedSizesOnThreeMergeJvmsAllFinishCorrectlyAndEveryJvmRunsSome() {
    ClusterHarness harness = cluster.harness();
    // ~4.5 MB in all; ranges of 1 to 5 days make jobs of 0.5 to 2 MB
    LogFiles logs = new LogFiles().add(harness.logsDir(), FIRST_DAY, DAYS, 3, 1_500);
    JobClient client = harness.client(harness.startHttp(Map.of()));
    // every range is asked three times: without the cache, each ask is a merge to spread
    List<LogmergeProcess> merges =
        harness.startMerges(3, Map.of("MERGE_SLOTS", "2", "RESULT_CACHE", "false"));

    Map<String, LocalDate[]> ranges = new HashMap<>();
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      LocalDate start = FIRST_DAY.plusDays(i % DAYS);
      LocalDate end = start.plusDays(Math.min(i % 5, DAYS - 1 - i % DAYS));
      String id = client.submit(start, end);
      ids.add(id);
      ranges.put(id, new LocalDate[] {start, end});
    }

    Set<String> jvmsThatRanJobs = new TreeSet<>();
    for (String id : ids) {
      LocalDate[] range = ranges.get(id);
      byte[] body = client.awaitResult(id, Duration.ofSeconds(90));
      assertArrayEquals(
          logs.expected(range[0], range[1]), body, "job " + id + " " + range[0] + ".." + range[1]);
      assertEquals("DONE", harness.redis().state(id));
      jvmsThatRanJobs.add(
          harness
              .workerOf(id)
              .orElseThrow(() -> new AssertionError("job " + id + " ran on no JVM of this run"))
              .name());
    }
    assertEquals(
        merges.stream().map(LogmergeProcess::name).collect(Collectors.toCollection(TreeSet::new)),
        jvmsThatRanJobs,
        "every merge JVM should have run at least one job");
    assertEquals(0, harness.redis().queued());
    assertEquals(0, harness.redis().running());
  }

  @Test
  void identicalJobsAskedThroughTwoFrontEndsAtOnceAreMergedOnce() throws Exception {
    ClusterHarness harness = cluster.harness();
    LocalDate day = LocalDate.of(2021, 6, 1);
    LogFiles logs = new LogFiles().add(harness.logsDir(), day, 2, 10, 8_000);
    List<JobClient> frontEnds =
        List.of(
            harness.client(harness.startHttp(Map.of())),
            harness.client(harness.startHttp(Map.of())));
    harness.startMerges(2, Map.of("MERGE_SLOTS", "2"));

    List<CompletableFuture<String>> asked = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      JobClient frontEnd = frontEnds.get(i % 2);
      asked.add(CompletableFuture.supplyAsync(() -> frontEnd.submit(day, day.plusDays(1))));
    }
    byte[] expected = logs.expected(day, day.plusDays(1));
    int merged = 0;
    for (int i = 0; i < asked.size(); i++) {
      String id = asked.get(i).get(30, TimeUnit.SECONDS);
      JobClient frontEnd = frontEnds.get((i + 1) % 2);
      assertArrayEquals(expected, frontEnd.awaitResult(id, Duration.ofSeconds(90)), "job " + id);
      merged += frontEnd.status(id).getBoolean("cached") ? 0 : 1;
    }
    assertEquals(1, merged, "jobs that merged the inputs themselves");
    assertEquals(
        1,
        harness.results().objects("").stream()
            .filter(
                object -> asked.stream().anyMatch(id -> object.key().equals(id.join() + ".log")))
            .count(),
        "one result object for all eight jobs");
  }
}
