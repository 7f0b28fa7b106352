package dev.logmerge.merge;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.logmerge.core.config.LogmergeConfig;
import dev.logmerge.core.job.FailureCode;
import dev.logmerge.core.job.Job;
import dev.logmerge.core.job.JobState;
import dev.logmerge.core.s3.S3ClientFactory;
import dev.logmerge.devservices.FaultInjectingProxy;
import dev.logmerge.devservices.SortOracle;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3AsyncClient;

/**
 * Real network faults between a merge worker and S3: the worker's S3 client goes through a {@link
 * FaultInjectingProxy} in front of the embedded S3Proxy, while the test inspects S3 directly.
 */
class MergeFaultsIntegrationTest {
  private static final Duration DEADLINE = Duration.ofSeconds(120);

  @TempDir Path dataDir;
  private MergeFixture fixture;
  private FaultInjectingProxy proxy;
  private S3AsyncClient faultyS3;

  @BeforeEach
  void start() throws Exception {
    fixture = new MergeFixture(dataDir, Map.of());
    proxy = FaultInjectingProxy.start(fixture.s3Server.port());
  }

  @AfterEach
  void stop() {
    fixture.close();
    if (faultyS3 != null) {
      faultyS3.close();
    }
    proxy.close();
  }

  @Test
  void readsCutMidStreamAreResumedAndTheResultIsExact() throws Exception {
    List<Path> inputs = fixture.generate("2019-08-17", 2, 4, 3_000);
    deployWorkerBehindProxy(Map.of());
    // the next connections each die after 20 kB of response: listings and streamed reads are cut
    // mid-body
    proxy.cutResponsesAfter(20_000, 12);

    Job done = fixture.awaitFinal(fixture.submit("2019-08-17", "2019-08-18").id(), DEADLINE);

    assertEquals(JobState.DONE, done.state(), () -> "failure: " + done.failure());
    assertTrue(proxy.connectionsCut() > 0, "the fault was injected");
    assertArrayEquals(SortOracle.expected(inputs), fixture.object("merged", done.id() + ".log"));
  }

  @Test
  void uploadsThatKeepFailingEndInS3UnavailableAndLeaveNothingBehind() throws Exception {
    // ~20 MB: the result needs a multipart upload, whose part bodies the proxy cuts every time
    fixture.generate("2019-09-01", 2, 8, 10_000);
    deployWorkerBehindProxy(Map.of("MAX_ATTEMPTS", "2"));
    proxy.cutRequestsAfter(1_000_000);

    Job failed = fixture.awaitFinal(fixture.submit("2019-09-01", "2019-09-02").id(), DEADLINE);

    assertEquals(JobState.FAILED, failed.state());
    assertEquals(FailureCode.S3_UNAVAILABLE, failed.failure().code());
    assertEquals(2, failed.attempts(), "retried once before failing");
    assertFalse(failed.failure().message().isBlank());
    assertFalse(
        fixture.objectExists("merged", failed.id() + ".log"), "no object under a failed job's key");
    assertTrue(fixture.openUploads("merged").isEmpty(), "no multipart upload left open");
    assertEquals(List.of(), leftoverPartFiles(), "no stray part files in the results bucket");
  }

  @Test
  void anS3OutageDuringTheFirstAttemptIsRetriedToSuccess() throws Exception {
    List<Path> inputs = fixture.generate("2019-10-01", 1, 3, 1_000);
    deployWorkerBehindProxy(Map.of("MAX_ATTEMPTS", "3", "RETRY_BACKOFF", "1s"));
    // S3 goes away entirely: no new connections, and the client's pooled keep-alive ones are cut
    proxy.refuseNewConnections();
    proxy.dropOpenConnections();

    String id = fixture.submit("2019-10-01", "2019-10-01").id();
    Job retrying = awaitLastError(id);
    assertEquals(JobState.QUEUED, retrying.state());
    assertEquals(FailureCode.S3_UNAVAILABLE, retrying.failure().code());
    proxy.heal();

    Job done = fixture.awaitFinal(id, DEADLINE);
    assertEquals(JobState.DONE, done.state(), () -> "failure: " + done.failure());
    assertTrue(done.attempts() >= 2, "attempts " + done.attempts());
    assertArrayEquals(SortOracle.expected(inputs), fixture.object("merged", id + ".log"));
  }

  private Job awaitLastError(String id) throws InterruptedException {
    long deadline = System.nanoTime() + DEADLINE.toNanos();
    while (System.nanoTime() < deadline) {
      Job job = MergeFixture.await(fixture.jobs.find(id)).orElseThrow();
      if (job.failure() != null) {
        return job;
      }
      if (job.state().isFinal()) {
        throw new AssertionError(
            "job ended " + job.state() + " without a failed attempt: the outage was not seen");
      }
      Thread.sleep(50);
    }
    throw new AssertionError("job " + id + " never recorded a failed attempt");
  }

  private void deployWorkerBehindProxy(Map<String, String> settings) {
    LogmergeConfig config = fixture.config(settings, proxy.uri("http"));
    faultyS3 = S3ClientFactory.create(config);
    fixture.deployWorker(config, faultyS3);
  }

  private List<Path> leftoverPartFiles() throws IOException {
    Path merged = dataDir.resolve("merged");
    if (!Files.exists(merged)) {
      return List.of();
    }
    try (Stream<Path> files = Files.walk(merged)) {
      return files.filter(Files::isRegularFile).toList();
    }
  }
}
