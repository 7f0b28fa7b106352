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
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Work spreads over merge JVMs: several JVMs claim from one Redis queue and every result is right.
 */
class ScaleOutTest {
  private static final LocalDate FIRST_DAY = LocalDate.of(2021, 3, 1);
  private static final int DAYS = 10;

  @RegisterExtension static final ClusterExtension cluster = new ClusterExtension();

  @Test
  void thirtyJobsOfMixedSizesOnThreeMergeJvmsAllFinishCorrectlyAndEveryJvmRunsSome() {
    ClusterHarness harness = cluster.harness();
    // ~4.5 MB in all; ranges of 1 to 5 days make jobs of 0.5 to 2 MB
    LogFiles logs = new LogFiles().add(harness.logsDir(), FIRST_DAY, DAYS, 3, 1_500);
    JobClient client = harness.client(harness.startHttp(Map.of()));
    List<LogmergeProcess> merges = harness.startMerges(3, Map.of("MERGE_SLOTS", "2"));

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
}
