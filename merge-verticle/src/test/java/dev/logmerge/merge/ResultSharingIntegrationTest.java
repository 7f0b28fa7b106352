package dev.logmerge.merge;

import static dev.logmerge.merge.MergeFixture.join;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.logmerge.core.config.Setting;
import dev.logmerge.core.job.Job;
import dev.logmerge.core.job.JobState;
import dev.logmerge.devservices.SortOracle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The same inputs asked for twice are merged once, through a real {@link MergeVerticle} against
 * embedded S3 and Redis: a later job is served the recorded result, a job asked while the merge
 * runs waits for it, and any change to the inputs (or a result gone from the bucket) means a new
 * merge. Each test uses dates of its own.
 */
class ResultSharingIntegrationTest {
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
  void aSecondJobOfTheSameInputsIsDoneWithTheFirstOnesResultAndNoMerge() throws Exception {
    List<Path> inputs = fixture.generate("2013-01-01", 2, 3, 300);
    fixture.deployWorker();
    Job first = fixture.awaitFinal(fixture.submit("2013-01-01", "2013-01-02").id(), DEADLINE);
    assertEquals(JobState.DONE, first.state(), () -> "failure: " + first.failure());
    assertFalse(first.cached());

    // another range, the same files: the output is the same, so is the answer
    Job second = fixture.awaitFinal(fixture.submit("2012-12-31", "2013-01-03").id(), DEADLINE);

    assertEquals(JobState.DONE, second.state(), () -> "failure: " + second.failure());
    assertTrue(second.cached());
    assertEquals(first.result(), second.result());
    assertFalse(fixture.objectExists("merged", second.id() + ".log"), "nothing uploaded");
    assertArrayEquals(SortOracle.expected(inputs), fixture.object("merged", second.result().key()));
    assertEquals(List.of(first.id() + ".log"), resultObjectsNamedFor(first, second));
  }

  @Test
  void aFileAddedOrReplacedInTheRangeMeansANewMergeThatIncludesIt() throws Exception {
    List<Path> inputs = new ArrayList<>(fixture.generate("2013-02-01", 2, 2, 300));
    fixture.deployWorker();
    Job first = fixture.awaitFinal(fixture.submit("2013-02-01", "2013-02-02").id(), DEADLINE);

    Path added = fixture.logsDir().resolve("2013-02-02_99");
    Files.writeString(
        added, "2013-02-02T12:00:00.000Z INFO added\n2013-02-02T23:00:00.000Z INFO late\n");
    inputs.add(added);
    Job withAdded = fixture.awaitFinal(fixture.submit("2013-02-01", "2013-02-02").id(), DEADLINE);
    assertEquals(JobState.DONE, withAdded.state(), () -> "failure: " + withAdded.failure());
    assertFalse(withAdded.cached());
    assertNotEquals(first.result().key(), withAdded.result().key());
    assertArrayEquals(
        SortOracle.expected(inputs), fixture.object("merged", withAdded.result().key()));

    Path replaced = inputs.get(0);
    Files.writeString(replaced, "2013-02-01T00:00:00.000Z INFO replaced content\n");
    Job again = fixture.awaitFinal(fixture.submit("2013-02-01", "2013-02-02").id(), DEADLINE);
    assertFalse(again.cached());
    assertArrayEquals(SortOracle.expected(inputs), fixture.object("merged", again.result().key()));
  }

  @Test
  void aRecordedResultGoneFromTheBucketIsMergedAgain() throws Exception {
    List<Path> inputs = fixture.generate("2013-03-01", 1, 3, 300);
    fixture.deployWorker();
    Job first = fixture.awaitFinal(fixture.submit("2013-03-01", "2013-03-01").id(), DEADLINE);
    join(fixture.s3.deleteObject(b -> b.bucket("merged").key(first.result().key())));

    Job second = fixture.awaitFinal(fixture.submit("2013-03-01", "2013-03-01").id(), DEADLINE);

    assertEquals(JobState.DONE, second.state(), () -> "failure: " + second.failure());
    assertFalse(second.cached());
    assertEquals(second.id() + ".log", second.result().key());
    assertArrayEquals(SortOracle.expected(inputs), fixture.object("merged", second.id() + ".log"));
  }

  @Test
  void aRangeServedBeforeHasItsResultCheckedWhileItsInputsAreListed() throws Exception {
    fixture.generate("2013-06-01", 2, 2, 100);
    HeldListings s3 = HeldListings.around(fixture.s3);
    fixture.deployWorker(fixture.config, s3.client());
    Job first = fixture.awaitFinal(fixture.submit("2013-06-01", "2013-06-02").id(), DEADLINE);
    assertEquals(JobState.DONE, first.state(), () -> "failure: " + first.failure());

    s3.hold();
    String second;
    try {
      second = fixture.submit("2013-06-01", "2013-06-02").id();
      // the HEAD of the first job's result goes out while the second job's listing is held back
      long deadline = System.nanoTime() + DEADLINE.toNanos();
      while (s3.listingsHeld() == 0 || !s3.headedKeys().contains(first.result().key())) {
        assertTrue(
            System.nanoTime() < deadline,
            () -> "no HEAD while the listing was held; HEADs: " + s3.headedKeys());
        Thread.sleep(10);
      }
    } finally {
      s3.release();
    }

    Job cached = fixture.awaitFinal(second, DEADLINE);
    assertTrue(cached.cached());
    assertEquals(first.result(), cached.result());
    assertEquals(List.of(first.result().key()), s3.headedKeys(), "that one HEAD was enough");
  }

  @Test
  void jobsAskedWhileTheSameInputsAreMergedWaitAndShareThatMerge() throws Exception {
    // large enough that the second and third jobs are claimed while the first merges
    List<Path> inputs = fixture.generate("2013-04-01", 2, 10, 8_000);
    fixture.deployWorker();
    fixture.deployWorker();
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      ids.add(fixture.submit("2013-04-01", "2013-04-02").id());
    }

    List<Job> done = new ArrayList<>();
    for (String id : ids) {
      Job job = fixture.awaitFinal(id, DEADLINE);
      assertEquals(JobState.DONE, job.state(), () -> "failure: " + job.failure());
      done.add(job);
    }
    assertEquals(1, done.stream().filter(job -> !job.cached()).count(), "one merge: " + done);
    assertEquals(1, done.stream().map(Job::result).distinct().count());
    assertEquals(
        SortOracle.sha256(SortOracle.expected(inputs)),
        SortOracle.sha256(fixture.object("merged", done.get(0).result().key())));
    assertEquals(1, resultObjectsNamedFor(done.toArray(Job[]::new)).size());
  }

  @Test
  void withTheCacheOffEveryJobMerges() throws Exception {
    fixture.generate("2013-05-01", 1, 2, 100);
    fixture.deployWorker(fixture.config.with(Setting.RESULT_CACHE, "false"), fixture.s3);
    Job first = fixture.awaitFinal(fixture.submit("2013-05-01", "2013-05-01").id(), DEADLINE);
    Job second = fixture.awaitFinal(fixture.submit("2013-05-01", "2013-05-01").id(), DEADLINE);
    assertFalse(first.cached());
    assertFalse(second.cached());
    assertEquals(second.id() + ".log", second.result().key());
    assertEquals(
        List.of(first.id() + ".log", second.id() + ".log"), resultObjectsNamedFor(first, second));
  }

  /** The objects in the results bucket named after any of these jobs. */
  private static List<String> resultObjectsNamedFor(Job... jobs) throws Exception {
    try (Stream<Path> files = Files.list(dataDir.resolve("merged"))) {
      List<String> names = files.map(file -> file.getFileName().toString()).toList();
      return Stream.of(jobs).map(job -> job.id() + ".log").filter(names::contains).toList();
    }
  }
}
