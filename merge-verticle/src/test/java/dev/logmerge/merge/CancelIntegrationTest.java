package dev.logmerge.merge;

import static dev.logmerge.merge.MergeFixture.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.logmerge.core.job.Cancellation;
import dev.logmerge.core.job.Job;
import dev.logmerge.core.job.JobState;
import dev.logmerge.devservices.SortOracle;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Cancelling jobs while a real {@link MergeVerticle} merges them (embedded S3 and Redis, heartbeats
 * every 200 ms): the worker stops and leaves no upload and no object behind, and a job that waited
 * for the cancelled one's merge still gets its result.
 */
class CancelIntegrationTest {
  private static final Duration DEADLINE = Duration.ofSeconds(90);

  @TempDir static Path dataDir;
  private static MergeFixture fixture;

  /**
   * Inputs of ~120 MB: a merge of a second or more, so that the test's cancel (within a heartbeat
   * of the first progress) finds it still running.
   */
  @BeforeAll
  static void startServers() throws Exception {
    // little read-ahead: the merge waits on S3 often, so it is still running when cancelled
    fixture = new MergeFixture(dataDir, Map.of("MERGE_READ_AHEAD", "1MiB"));
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
  void aCancelledRunningJobStopsItsMergeAndLeavesNothingBehind() throws Exception {
    fixture.generate("2012-01-01", 2, 10, 50_000);
    fixture.deployWorker();
    Job job = fixture.submit("2012-01-01", "2012-01-02");
    awaitMerging(job.id());

    Cancellation cancelled = await(fixture.jobs.cancel(job.id()));
    assertEquals(Cancellation.Outcome.CANCELLED, cancelled.outcome());

    awaitNoOpenUploads();
    Job after = await(fixture.jobs.find(job.id())).orElseThrow();
    assertEquals(JobState.CANCELLED, after.state());
    assertFalse(fixture.objectExists("merged", job.id() + ".log"));

    // the worker is free again: its next job runs to the end
    List<Path> next = fixture.generate("2012-01-05", 1, 2, 100);
    Job done = fixture.awaitFinal(fixture.submit("2012-01-05", "2012-01-05").id(), DEADLINE);
    assertEquals(JobState.DONE, done.state(), () -> "failure: " + done.failure());
    assertArrayEquals(SortOracle.expected(next), fixture.object("merged", done.result().key()));
    assertEquals(JobState.CANCELLED, await(fixture.jobs.find(job.id())).orElseThrow().state());
  }

  @Test
  void cancellingAJobWhoseMergeAnotherAwaitsLetsThatMergeFinishForTheOther() throws Exception {
    List<Path> inputs = fixture.generate("2012-02-01", 2, 10, 50_000);
    fixture.deployWorker();
    fixture.deployWorker();
    Job first = fixture.submit("2012-02-01", "2012-02-02");
    awaitMerging(first.id());
    Job second = fixture.submit("2012-02-01", "2012-02-02");
    awaitWaiting(second.id());

    await(fixture.jobs.cancel(first.id()));

    Job done = fixture.awaitFinal(second.id(), DEADLINE);
    assertEquals(JobState.DONE, done.state(), () -> "failure: " + done.failure());
    assertFalse(done.cached(), "the merge became its own");
    assertEquals(1, done.attempts());
    assertEquals(
        SortOracle.sha256(SortOracle.expected(inputs)),
        SortOracle.sha256(fixture.object("merged", done.result().key())));
    assertEquals(JobState.CANCELLED, await(fixture.jobs.find(first.id())).orElseThrow().state());
    assertTrue(fixture.openUploads("merged").isEmpty());
  }

  /** Until the job's worker has reported merged bytes. */
  private static void awaitMerging(String id) throws InterruptedException {
    awaitJob(id, job -> job.state() == JobState.RUNNING && job.progress().bytesRead() > 0);
  }

  /** Until the job waits for another job's merge: running, but held by no worker. */
  private static void awaitWaiting(String id) throws InterruptedException {
    awaitJob(id, job -> job.state() == JobState.RUNNING && job.worker() == null);
  }

  private static void awaitJob(String id, Predicate<Job> condition) throws InterruptedException {
    long deadline = System.nanoTime() + DEADLINE.toNanos();
    Job job = null;
    while (System.nanoTime() < deadline) {
      job = await(fixture.jobs.find(id)).orElseThrow();
      if (condition.test(job)) {
        return;
      }
      assertFalse(job.state().isFinal(), "ended before the test could act: " + job);
      Thread.sleep(10);
    }
    throw new AssertionError("job " + id + " never reached the expected state: " + job);
  }

  private static void awaitNoOpenUploads() throws InterruptedException {
    long deadline = System.nanoTime() + DEADLINE.toNanos();
    while (!fixture.openUploads("merged").isEmpty()) {
      assertTrue(System.nanoTime() < deadline, "the upload was never aborted");
      Thread.sleep(50);
    }
  }
}
