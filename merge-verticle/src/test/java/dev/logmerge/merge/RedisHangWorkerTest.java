package dev.logmerge.merge;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.logmerge.core.config.LogmergeConfig;
import dev.logmerge.core.config.Setting;
import dev.logmerge.core.job.Job;
import dev.logmerge.core.job.JobState;
import dev.logmerge.devservices.FaultInjectingProxy;
import dev.logmerge.devservices.SortOracle;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A merge worker whose Redis hangs mid-attempt (its connection goes through a proxy that stops
 * relaying): its breaker trips, the attempt records nothing against the job, and once Redis answers
 * again the job is queued again when the lease expires, and merged.
 */
class RedisHangWorkerTest {
  private static final Duration DEADLINE = Duration.ofSeconds(60);

  @TempDir Path dataDir;
  private MergeFixture fixture;
  private FaultInjectingProxy redisLink;

  @BeforeEach
  void start() throws Exception {
    fixture = new MergeFixture(dataDir, Map.of());
    redisLink = FaultInjectingProxy.start(fixture.redis.port());
  }

  @AfterEach
  void stop() {
    fixture.close();
    redisLink.close();
  }

  @Test
  void aJobWhoseWorkerLosesRedisMidAttemptIsNotFailedButMergedOnceRedisAnswers() throws Exception {
    List<Path> inputs = fixture.generate("2019-11-01", 1, 3, 500);
    HeldListings listings = HeldListings.around(fixture.s3);
    listings.hold();
    LogmergeConfig workerConfig =
        fixture
            .config(
                Map.of(
                    "REDIS_TIMEOUT", "300ms",
                    "REDIS_BREAKER_TRIP_AFTER", "1",
                    "REDIS_BREAKER_PROBE_INTERVAL", "100ms"),
                fixture.s3Server.endpoint())
            .with(Setting.REDIS_URL, "redis://127.0.0.1:" + redisLink.port());
    fixture.deployWorker(workerConfig, listings.client());

    String id = fixture.submit("2019-11-01", "2019-11-01").id();
    awaitTrue(() -> listings.listingsHeld() > 0, "the worker lists the job's inputs");
    redisLink.pause();
    listings.release();
    // the attempt's next Redis call times out: the breaker trips and the attempt stops
    awaitTrue(() -> meter("logmerge.redis.breaker.trips") >= 1, "the worker's breaker trips");
    redisLink.heal();

    Job done = fixture.awaitFinal(id, DEADLINE);
    assertEquals(JobState.DONE, done.state(), () -> "failure: " + done.failure());
    assertNull(done.failure());
    assertEquals(2, done.attempts(), "the stopped attempt counts; the second merges");
    assertArrayEquals(SortOracle.expected(inputs), fixture.object("merged", id + ".log"));
  }

  private double meter(String name) {
    return fixture.meters.registry().get(name).counter().count();
  }

  private static void awaitTrue(java.util.function.BooleanSupplier condition, String what)
      throws InterruptedException {
    long deadline = System.nanoTime() + DEADLINE.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not within " + DEADLINE + ": " + what);
      }
      Thread.sleep(20);
    }
  }
}
