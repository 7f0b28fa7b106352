package dev.logmerge.merge;

import static dev.logmerge.merge.MergeFixture.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.logmerge.core.job.FailureCode;
import dev.logmerge.core.job.Job;
import dev.logmerge.core.job.JobState;
import dev.logmerge.devservices.SortOracle;
import dev.logmerge.loggen.GeneratorOptions;
import dev.logmerge.loggen.LogGenerator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.DoubleSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Whole jobs through a real {@link MergeVerticle}: inputs in an embedded S3Proxy, job state in an
 * embedded Redis, results compared byte for byte with {@link SortOracle}. Each test uses dates of
 * its own, so the files of one test are never inputs of another.
 */
class MergeVerticleIntegrationTest {
  private static final Duration DEADLINE = Duration.ofSeconds(90);

  @TempDir static Path dataDir;
  private static MergeFixture fixture;

  @BeforeAll
  static void startServers() throws Exception {
    fixture = new MergeFixture(dataDir, Map.of());
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
  void mergesExactlyTheFilesOfTheRangeAndRecordsTheResult() throws Exception {
    List<Path> inRange = generate(options("2019-08-17", 3, 4, 300));
    generate(options("2019-08-16", 1, 2, 50).withSeed(7));
    generate(options("2019-08-20", 1, 2, 50).withSeed(8));
    for (String decoy :
        List.of("2019-08-17_x", "notes.txt", "2019-08-1_1", "2019-08-18_1.csv", "2019-08-18_")) {
      Files.writeString(fixture.logsDir().resolve(decoy), "zzz decoy line that must not appear\n");
    }
    fixture.deployWorker();

    Job done = fixture.awaitFinal(fixture.submit("2019-08-17", "2019-08-19").id(), DEADLINE);

    assertEquals(JobState.DONE, done.state(), () -> "failure: " + done.failure());
    byte[] merged = fixture.object("merged", done.id() + ".log");
    assertArrayEquals(SortOracle.expected(inRange), merged);
    assertEquals("merged", done.result().bucket());
    assertEquals(merged.length, done.result().size());
    assertEquals(fixture.objectHead("merged", done.id() + ".log").eTag(), done.result().etag());
    assertEquals(12, done.progress().inputsTotal());
    assertEquals(12, done.progress().inputsDone());
    assertEquals(done.progress().bytesTotal(), done.progress().bytesRead());
    assertEquals(3600, done.progress().linesWritten());
    assertEquals(1, done.attempts());
    assertNull(done.failure());
  }

  @Test
  void takesDotLogNamesAndSerialsFromZeroOrOneWithTenAfterTwo() throws Exception {
    List<Path> inputs = new ArrayList<>();
    inputs.addAll(generate(options("2018-03-01", 1, 11, 40).withExtension(".log")));
    inputs.addAll(generate(options("2018-03-02", 1, 3, 40).withFirstSerial(1).withSeed(3)));
    assertTrue(Files.exists(fixture.logsDir().resolve("2018-03-01_10.log")));
    fixture.deployWorker();

    Job done = fixture.awaitFinal(fixture.submit("2018-03-01", "2018-03-02").id(), DEADLINE);

    assertEquals(JobState.DONE, done.state(), () -> "failure: " + done.failure());
    assertEquals(14, done.progress().inputsTotal());
    assertArrayEquals(SortOracle.expected(inputs), fixture.object("merged", done.id() + ".log"));
  }

  @Test
  void storesALargeResultAsAMultipartUploadOfAtLeastThreeParts() throws Exception {
    // ~26 MB of input: more than three 8 MiB parts
    List<Path> inputs = generate(options("2017-06-01", 2, 10, 10_500));
    fixture.deployWorker();

    Job done = fixture.awaitFinal(fixture.submit("2017-06-01", "2017-06-02").id(), DEADLINE);

    assertEquals(JobState.DONE, done.state(), () -> "failure: " + done.failure());
    byte[] merged = fixture.object("merged", done.id() + ".log");
    assertEquals(SortOracle.sha256(SortOracle.expected(inputs)), SortOracle.sha256(merged));
    String etag = done.result().etag().replace("\"", "");
    assertTrue(etag.matches(".*-([3-9]|\\d{2,})"), "multipart ETag with >= 3 parts, got " + etag);
    assertTrue(fixture.openUploads("merged").isEmpty());
  }

  @Test
  void failsWithNoInputWhenTheRangeHoldsNoFile() throws Exception {
    fixture.deployWorker();

    Job failed = fixture.awaitFinal(fixture.submit("2001-01-01", "2001-01-31").id(), DEADLINE);

    assertEquals(JobState.FAILED, failed.state());
    assertEquals(FailureCode.NO_INPUT, failed.failure().code());
    assertTrue(failed.failure().message().contains("2001-01-01"), failed.failure().message());
    assertFalse(fixture.objectExists("merged", failed.id() + ".log"));
  }

  @Test
  void sortsUnsortedAndInflatesGzipInputsAndStillMatchesTheContract() throws Exception {
    List<Path> inputs = new ArrayList<>();
    inputs.addAll(generate(options("2016-02-28", 2, 3, 500).withUnsortedFiles(2)));
    inputs.addAll(generate(options("2016-03-01", 1, 2, 500).withGzip(true).withSeed(11)));
    fixture.deployWorker();

    Job done = fixture.awaitFinal(fixture.submit("2016-02-28", "2016-03-01").id(), DEADLINE);

    assertEquals(JobState.DONE, done.state(), () -> "failure: " + done.failure());
    assertArrayEquals(SortOracle.expected(inputs), fixture.object("merged", done.id() + ".log"));
  }

  @Test
  void twoWorkersShareTheQueueAndEveryJobIsDoneOnce() throws Exception {
    List<List<Path>> inputs = new ArrayList<>();
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      // a day of its own each: jobs of the same inputs would share one merge
      String day = "2015-05-0" + (i + 1);
      inputs.add(generate(options(day, 1, 3, 200).withSeed(i)));
    }
    fixture.deployWorker();
    fixture.deployWorker();
    for (int i = 0; i < 6; i++) {
      String day = "2015-05-0" + (i + 1);
      ids.add(fixture.submit(day, day).id());
    }
    for (int i = 0; i < 6; i++) {
      Job done = fixture.awaitFinal(ids.get(i), DEADLINE);
      assertEquals(JobState.DONE, done.state(), () -> "failure: " + done.failure());
      assertEquals(1, done.attempts());
      assertFalse(done.cached());
      assertArrayEquals(
          SortOracle.expected(inputs.get(i)), fixture.object("merged", ids.get(i) + ".log"));
    }
  }

  @Test
  void anUndeployedWorkerHandsItsJobBackAndAnotherFinishesIt() throws Exception {
    List<Path> inputs = generate(options("2014-07-01", 2, 10, 10_000));
    String first = fixture.deployWorker();
    Job job = fixture.submit("2014-07-01", "2014-07-02");
    awaitState(job.id(), JobState.RUNNING);

    long stopStart = System.nanoTime();
    fixture.undeploy(first);
    Duration stopTook = Duration.ofNanos(System.nanoTime() - stopStart);
    Job handedBack = await(fixture.jobs.find(job.id())).orElseThrow();
    if (handedBack.state() == JobState.QUEUED) {
      // handed back at once, not after a lease timeout, and the attempt was not counted against it
      assertNull(handedBack.worker());
      assertEquals(0, handedBack.attempts());
    } else {
      assertEquals(
          JobState.DONE, handedBack.state(), "the merge may have finished before the stop");
    }
    assertTrue(stopTook.compareTo(Duration.ofSeconds(10)) < 0, "undeploy took " + stopTook);
    assertTrue(fixture.openUploads("merged").isEmpty(), "the interrupted upload was aborted");

    fixture.deployWorker();
    Job done = fixture.awaitFinal(job.id(), DEADLINE);
    assertEquals(JobState.DONE, done.state(), () -> "failure: " + done.failure());
    assertEquals(
        SortOracle.sha256(SortOracle.expected(inputs)),
        SortOracle.sha256(fixture.object("merged", job.id() + ".log")));
  }

  @Test
  void countsALeaseTakenBackFromAWorkerThatStoppedHeartbeating() throws Exception {
    List<Path> inputs = generate(options("2013-04-01", 1, 2, 100));
    Job job = fixture.submit("2013-04-01", "2013-04-01");
    // a worker that claims the job and dies: its lease (LEASE_TIMEOUT, 2 s) runs out
    await(fixture.jobs.claim("dead-worker")).orElseThrow();
    double expiredBefore = leasesExpired();
    double doneBefore = finished("done", "none");
    fixture.deployWorker();

    Job done = fixture.awaitFinal(job.id(), DEADLINE);

    assertEquals(JobState.DONE, done.state(), () -> "failure: " + done.failure());
    assertEquals(2, done.attempts());
    assertArrayEquals(SortOracle.expected(inputs), fixture.object("merged", job.id() + ".log"));
    awaitCount(() -> finished("done", "none") - doneBefore, 1);
    assertEquals(1, leasesExpired() - expiredBefore);
  }

  @Test
  void countsAJobFailedBecauseEachOfItsWorkersWasLost() throws Exception {
    Job job = fixture.submit("2013-05-01", "2013-05-01");
    await(fixture.jobs.claim("dead-worker")).orElseThrow();
    double expiredBefore = leasesExpired();
    double failedBefore = finished("failed", "worker-lost");
    fixture.deployWorker(
        fixture.config(Map.of("MAX_ATTEMPTS", "1"), fixture.s3Server.endpoint()), fixture.s3);

    Job failed = fixture.awaitFinal(job.id(), DEADLINE);

    assertEquals(FailureCode.WORKER_LOST, failed.failure().code());
    awaitCount(() -> finished("failed", "worker-lost") - failedBefore, 1);
    assertEquals(1, leasesExpired() - expiredBefore);
  }

  private static double leasesExpired() {
    return fixture.meters.registry().get("logmerge.leases.expired").counter().count();
  }

  private static double finished(String outcome, String code) {
    var counter =
        fixture
            .meters
            .registry()
            .find("logmerge.jobs.finished")
            .tags("outcome", outcome, "code", code)
            .counter();
    return counter == null ? 0 : counter.count();
  }

  /** Meters move once the worker has seen Redis answer, a moment after a poll may see the job. */
  private static void awaitCount(DoubleSupplier moved, double expected)
      throws InterruptedException {
    long deadline = System.nanoTime() + DEADLINE.toNanos();
    while (moved.getAsDouble() < expected && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    assertEquals(expected, moved.getAsDouble());
  }

  private static void awaitState(String id, JobState state) throws InterruptedException {
    long deadline = System.nanoTime() + DEADLINE.toNanos();
    while (System.nanoTime() < deadline) {
      if (await(fixture.jobs.find(id)).orElseThrow().state() == state) {
        return;
      }
      Thread.sleep(10);
    }
    throw new AssertionError("job " + id + " never reached " + state);
  }

  static GeneratorOptions options(String startDate, int days, int filesPerDay, int lines) {
    return fixture.logs(startDate, days, filesPerDay, lines);
  }

  static List<Path> generate(GeneratorOptions options) throws IOException {
    return LogGenerator.generate(options);
  }
}
