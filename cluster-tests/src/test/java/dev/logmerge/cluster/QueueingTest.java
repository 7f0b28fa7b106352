package dev.logmerge.cluster;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Jobs wait in Redis, not in memory: for a worker to exist, for a free slot; and the queue has a
 * bound.
 */
class QueueingTest {
  private static final LocalDate FIRST_DAY = LocalDate.of(2021, 9, 1);
  private static final int DAYS = 6;
  private static final int MAX_QUEUED_JOBS = 6;
  private static final Duration JOB_DEADLINE = Duration.ofSeconds(60);

  @RegisterExtension static final ClusterExtension cluster = new ClusterExtension();
  private static ClusterHarness harness;
  private static LogFiles logs;
  private static JobClient client;

  @BeforeAll
  static void startFrontEnd() {
    harness = cluster.harness();
    logs = new LogFiles().add(harness.logsDir(), FIRST_DAY, DAYS, 4, 4_000);
    client =
        harness.client(
            harness.startHttp(Map.of("MAX_QUEUED_JOBS", Integer.toString(MAX_QUEUED_JOBS))));
  }

  @AfterEach
  void stopWorkers() {
    harness.stopMerges();
  }

  @Test
  void jobsWaitQueuedWhileNoMergeJvmRunsAndTheQueueLimitAnswers503() {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < MAX_QUEUED_JOBS; i++) {
      ids.add(client.submit(day(i), day(i)));
    }
    HttpResponse<String> refused = client.initiate(day(0), day(1));
    assertEquals(503, refused.statusCode(), refused.body());
    assertEquals("30", refused.headers().firstValue("Retry-After").orElse(null));
    assertTrue(
        refused
            .headers()
            .firstValue("Content-Type")
            .orElseThrow()
            .startsWith("application/problem+json"));
    assertEquals(
        "https://logmerge.dev/problems/queue-full",
        new JsonObject(refused.body()).getString("type"));

    // several scan intervals pass with nobody to claim: every job is still waiting, and says so
    long until = System.nanoTime() + Duration.ofSeconds(1).toNanos();
    while (System.nanoTime() < until) {
      for (String id : ids) {
        HttpResponse<byte[]> pending = client.download(id);
        assertEquals(202, pending.statusCode());
        assertEquals("QUEUED", new JsonObject(new String(pending.body())).getString("state"));
      }
    }
    assertEquals(MAX_QUEUED_JOBS, harness.redis().queued());

    harness.startMerge(Map.of());
    for (int i = 0; i < ids.size(); i++) {
      assertArrayEquals(
          logs.expected(day(i), day(i)), client.awaitResult(ids.get(i), JOB_DEADLINE));
    }
    // the queue has room again (and the job finishes, so the next test starts with an empty queue)
    assertArrayEquals(
        logs.expected(day(0), day(0)),
        client.awaitResult(client.submit(day(0), day(0)), JOB_DEADLINE));
  }

  @Test
  void whenEverySlotIsBusyFurtherJobsWaitTheirTurnAndAllComplete() {
    LogmergeProcess worker = harness.startMerge(Map.of("MERGE_SLOTS", "1"));
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < MAX_QUEUED_JOBS; i++) {
      ids.add(client.submit(day(0), day(i)));
    }
    boolean[] sawJobsWaiting = {false};
    Await.untilTrue(
        "every job to be DONE",
        JOB_DEADLINE,
        () -> {
          long running = harness.redis().running();
          assertTrue(running <= 1, "one slot, yet " + running + " jobs running");
          sawJobsWaiting[0] |= running == 1 && harness.redis().queued() > 0;
          return ids.stream().allMatch(id -> "DONE".equals(harness.redis().state(id)));
        });
    assertTrue(sawJobsWaiting[0], "jobs should have waited for the busy slot");
    for (int i = 0; i < ids.size(); i++) {
      assertArrayEquals(
          logs.expected(day(0), day(i)), client.awaitResult(ids.get(i), JOB_DEADLINE));
      assertTrue(worker.ownsWorker(harness.redis().job(ids.get(i)).get("worker")));
    }
  }

  private static LocalDate day(int offset) {
    return FIRST_DAY.plusDays(offset);
  }
}
