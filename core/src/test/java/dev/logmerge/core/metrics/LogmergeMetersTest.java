package dev.logmerge.core.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.logmerge.core.DateRange;
import dev.logmerge.core.job.FailureCode;
import dev.logmerge.core.job.Job;
import dev.logmerge.core.job.JobKind;
import dev.logmerge.core.job.JobProgress;
import dev.logmerge.core.job.JobState;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Each meter method moves its meter, under its name and labels, by the amount given. */
class LogmergeMetersTest {
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final LogmergeMeters meters = new LogmergeMeters(registry);

  @Test
  void countsCancelledAndCachedJobs() {
    meters.jobCancelled();
    meters.jobServedFromCache();
    meters.jobServedFromCache();

    assertEquals(1, registry.get("logmerge.jobs.cancelled").counter().count());
    assertEquals(2, registry.get("logmerge.jobs.cached").counter().count());
  }

  @Test
  void timesApiRequestsByRouteMethodAndStatusAndResolvesTheSameTimerAgain() {
    meters.httpRequests("/download/:id", "GET", 202).record(3, TimeUnit.MILLISECONDS);
    meters.httpRequests("/download/:id", "GET", 202).record(1, TimeUnit.MILLISECONDS);
    meters.httpRequests("none", "POST", 404).record(1, TimeUnit.MILLISECONDS);

    var polls =
        registry
            .get("logmerge.http.requests")
            .tags("route", "/download/:id", "method", "GET", "status", "202")
            .timer();
    assertEquals(2, polls.count());
    assertEquals(4.0, polls.totalTime(TimeUnit.MILLISECONDS));
    assertEquals(
        1,
        registry
            .get("logmerge.http.requests")
            .tags("route", "none", "method", "POST", "status", "404")
            .timer()
            .count());
    assertTrue(meters.recording());
    assertFalse(LogmergeMeters.none().recording());
  }

  @Test
  void countsJobsThatEndedWithTheMergeTheyWaitedForWithoutTimingThem() {
    meters.followersFinished(JobState.DONE, null, 3);
    meters.followersFinished(JobState.FAILED, FailureCode.S3_UNAVAILABLE, 2);
    meters.followersFinished(JobState.DONE, null, 0);

    assertEquals(
        3,
        registry
            .get("logmerge.jobs.finished")
            .tags("outcome", "done", "code", "none")
            .counter()
            .count());
    assertEquals(
        2,
        registry
            .get("logmerge.jobs.finished")
            .tags("outcome", "failed", "code", "s3-unavailable")
            .counter()
            .count());
    assertEquals(null, registry.find("logmerge.job.duration").timer());
  }

  @Test
  void countsFinishedJobsByOutcomeAndCodeAndTimesThem() {
    meters.jobFinished(JobState.DONE, null, Duration.ofSeconds(3));
    meters.jobFinished(JobState.FAILED, FailureCode.NO_INPUT, Duration.ofSeconds(1));
    meters.jobFinished(JobState.FAILED, FailureCode.NO_INPUT, null);

    assertEquals(
        1,
        registry
            .get("logmerge.jobs.finished")
            .tags("outcome", "done", "code", "none")
            .counter()
            .count());
    assertEquals(
        2,
        registry
            .get("logmerge.jobs.finished")
            .tags("outcome", "failed", "code", "no-input")
            .counter()
            .count());
    assertEquals(
        3.0,
        registry
            .get("logmerge.job.duration")
            .tags("outcome", "done")
            .timer()
            .totalTime(TimeUnit.SECONDS));
    assertEquals(
        1,
        registry.get("logmerge.job.duration").tags("outcome", "failed").timer().count(),
        "a job without a known duration is counted, not timed");
  }

  @Test
  void observesTheQueueWaitOfAFirstClaimOnly() {
    Instant created = Instant.parse("2024-05-01T10:00:00Z");
    meters.jobClaimed(claimed(created, created.plusMillis(1500), 1));
    meters.jobClaimed(claimed(created, created.plusMillis(1500), 2));

    assertEquals(1, registry.get("logmerge.job.queue.wait").timer().count());
    assertEquals(
        1500.0, registry.get("logmerge.job.queue.wait").timer().totalTime(TimeUnit.MILLISECONDS));
  }

  @Test
  void addsMergeWorkAndDownloadsAndTracksActiveOnes() {
    meters.mergeProgressed(1000, 10);
    meters.mergeProgressed(0, 5);
    meters.mergeSucceeded(4, 2_000_000, Duration.ofSeconds(2));
    meters.partUploaded();
    meters.downloadStarted();
    meters.downloadStarted();
    meters.downloadEnded(700);

    assertEquals(1000, registry.get("logmerge.merge.input.read").counter().count());
    assertEquals(15, registry.get("logmerge.merge.lines.written").counter().count());
    assertEquals(4, registry.get("logmerge.job.inputs").summary().totalAmount());
    assertEquals(1_000_000, registry.get("logmerge.merge.throughput").summary().totalAmount());
    assertEquals(1, registry.get("logmerge.multipart.parts.uploaded").counter().count());
    assertEquals(700, registry.get("logmerge.download.sent").counter().count());
    assertEquals(1, registry.get("logmerge.downloads.active").gauge().value());
  }

  @Test
  void timesRedisCallsAndCountsFailuresByOperation() {
    meters.redisCall("claim", 2_000_000, false);
    meters.redisCall("claim", 5_000_000, true);
    meters.redisCall("find", 1_000_000, false);

    assertEquals(2, registry.get("logmerge.redis.call").tags("operation", "claim").timer().count());
    assertEquals(
        1,
        registry.get("logmerge.redis.call.failures").tags("operation", "claim").counter().count());
    assertEquals(
        0,
        registry.get("logmerge.redis.call.failures").tags("operation", "find").counter().count());
  }

  private static Job claimed(Instant created, Instant started, int attempts) {
    return new Job(
        "id",
        JobKind.MERGE,
        DateRange.parse("2019-08-19", "2019-08-19"),
        JobState.RUNNING,
        created,
        started,
        started,
        null,
        attempts,
        "worker",
        started.plusSeconds(30),
        JobProgress.NONE,
        null,
        false,
        null,
        null);
  }
}
