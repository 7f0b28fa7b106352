package dev.logmerge.cluster;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * A merge JVM that dies or is stopped mid-job does not lose the job, and leaves no partial result
 * behind. Both tests merge the same day, so their workers run with {@code RESULT_CACHE=false}: the
 * second job would otherwise be served the first one's result without a merge to interrupt.
 */
class WorkerFailureTest {
  /** One day of ~40 MB: big enough to be caught mid-merge with part uploads in flight. */
  private static final LocalDate BIG_DAY = LocalDate.of(2021, 6, 1);

  private static final Duration JOB_DEADLINE = Duration.ofSeconds(90);

  @RegisterExtension static final ClusterExtension cluster = new ClusterExtension();

  /**
   * Progress reaches Redis only with a heartbeat; on a quiet machine the merge may pass from 12 MB
   * read to DONE within the harness's 500 ms beat, so the worker to be caught mid-job reports five
   * times as often.
   */
  private static final String CATCHABLE_HEARTBEAT = "100ms";

  private static LogFiles logs;
  private static JobClient client;
  private static ClusterHarness harness;

  @BeforeAll
  static void startFrontEnd() {
    harness = cluster.harness();
    logs = new LogFiles().add(harness.logsDir(), BIG_DAY, 1, 8, 50_000);
    client = harness.client(harness.startHttp(Map.of()));
  }

  @AfterEach
  void stopWorkers() {
    harness.stopMerges();
  }

  @Test
  void aJobWhoseWorkerIsKilledIsRedoneByAnotherJvmAfterTheLeaseExpires() {
    LogmergeProcess doomed =
        harness.startMerge(
            Map.of(
                "MERGE_SLOTS",
                "1",
                "HEARTBEAT_INTERVAL",
                CATCHABLE_HEARTBEAT,
                "RESULT_CACHE",
                "false"));
    String id = client.submit(BIG_DAY, BIG_DAY);
    awaitRunningWithUploadStarted(id, doomed);

    doomed.kill();
    assertEquals("RUNNING", harness.redis().state(id), "nobody can know yet that the worker died");
    LogmergeProcess rescuer =
        harness.startMerge(Map.of("MERGE_SLOTS", "1", "RESULT_CACHE", "false"));

    byte[] body = client.awaitResult(id, JOB_DEADLINE);
    assertArrayEquals(logs.expected(BIG_DAY, BIG_DAY), body);
    Map<String, String> job = harness.redis().job(id);
    assertTrue(Integer.parseInt(job.get("attempts")) >= 2, "attempts: " + job);
    assertTrue(rescuer.ownsWorker(job.get("worker")), "finished by " + job.get("worker"));
    assertExactlyOneCompleteResult(id, body.length);
  }

  @Test
  void aWorkerStoppedWithSigtermHandsItsJobBackAtOnceAndExitsPromptly() {
    // a lease this long proves the hand-back: without it the job would sit RUNNING for a minute
    LogmergeProcess leaving =
        harness.startMerge(
            Map.of(
                "MERGE_SLOTS",
                "1",
                "LEASE_TIMEOUT",
                "60s",
                "HEARTBEAT_INTERVAL",
                CATCHABLE_HEARTBEAT,
                "RESULT_CACHE",
                "false"));
    String id = client.submit(BIG_DAY, BIG_DAY);
    awaitRunningWithUploadStarted(id, leaving);

    long signalled = System.nanoTime();
    leaving.sigterm();
    Await.untilTrue(
        "job " + id + " to be handed back to the queue",
        Duration.ofSeconds(10),
        () -> "QUEUED".equals(harness.redis().state(id)));
    Duration handBack = Duration.ofNanos(System.nanoTime() - signalled);
    leaving.awaitExit(Duration.ofSeconds(15));
    Duration exit = Duration.ofNanos(System.nanoTime() - signalled);
    System.out.printf(
        "SIGTERM: job handed back after %d ms, JVM exited after %d ms%n",
        handBack.toMillis(), exit.toMillis());
    Map<String, String> queued = harness.redis().job(id);
    assertEquals(null, queued.get("worker"), "a queued job has no worker: " + queued);

    LogmergeProcess successor =
        harness.startMerge(Map.of("MERGE_SLOTS", "1", "RESULT_CACHE", "false"));
    byte[] body = client.awaitResult(id, JOB_DEADLINE);
    assertArrayEquals(logs.expected(BIG_DAY, BIG_DAY), body);
    assertTrue(successor.ownsWorker(harness.redis().job(id).get("worker")));
    assertExactlyOneCompleteResult(id, body.length);
  }

  /**
   * Waits until the worker holds the job and has merged enough that result parts are being
   * uploaded.
   */
  private static void awaitRunningWithUploadStarted(String id, LogmergeProcess worker) {
    Await.untilTrue(
        "job " + id + " to be RUNNING on " + worker + " with 12 MB read",
        JOB_DEADLINE,
        () -> {
          Map<String, String> job = harness.redis().job(id);
          if ("DONE".equals(job.get("state"))) {
            throw new AssertionError(
                "job " + id + " finished before it could be interrupted: make it bigger");
          }
          return "RUNNING".equals(job.get("state"))
              && worker.ownsWorker(job.get("worker"))
              && Long.parseLong(job.getOrDefault("bytes_read", "0")) > 12_000_000;
        });
  }

  private static void assertExactlyOneCompleteResult(String id, long size) {
    try (S3Probe results = harness.results()) {
      assertEquals(List.of(), results.openUploads(id), "multipart uploads left open for job " + id);
      List<S3Object> objects = results.objects(id);
      assertEquals(1, objects.size(), "objects for job " + id + ": " + objects);
      assertEquals(id + ".log", objects.get(0).key());
      assertEquals(size, objects.get(0).size());
    }
    // S3Proxy keeps parts as files: none may outlive its upload
    try (Stream<Path> files = Files.list(harness.dataDir().resolve("merged"))) {
      assertEquals(
          List.of(),
          files
              .map(f -> f.getFileName().toString())
              .filter(name -> name.startsWith(".mpus-") || name.startsWith(".s3proxy-mpu"))
              .toList());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
