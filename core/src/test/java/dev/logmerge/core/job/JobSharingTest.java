package dev.logmerge.core.job;

import static dev.logmerge.core.job.JobStoreTest.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.logmerge.core.DateRange;
import dev.logmerge.core.RedisServerExtension;
import dev.logmerge.core.config.JobPolicy;
import dev.logmerge.core.config.RedisCallPolicy;
import dev.logmerge.core.metrics.LogmergeMeters;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Cancelling jobs, and jobs sharing one merge of the same inputs (remembered results, jobs waiting
 * for a merge in progress), against a real redis-server.
 */
class JobSharingTest {
  private static final DateRange RANGE = DateRange.parse("2019-08-19", "2019-08-25");
  private static final String INPUTS = "fingerprint-of-some-inputs";
  private static final JobProgress HALF_WAY = new JobProgress(4, 2, 8_000, 4_000, 77);

  /** Leases short enough for a test to let them expire. */
  private static final JobPolicy POLICY =
      new JobPolicy(
          Duration.ofHours(1),
          10,
          Duration.ofMillis(200),
          Duration.ofMillis(100),
          3,
          Duration.ofMillis(10),
          Duration.ofSeconds(1));

  @RegisterExtension static final RedisServerExtension redis = new RedisServerExtension();

  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private JobStore store;

  @BeforeEach
  void emptyRedis() {
    redis.flush();
    store = connect(POLICY);
  }

  @AfterEach
  void closeStore() {
    store.close();
  }

  @Test
  void aCancelledQueuedJobIsNeverClaimed() {
    Job job = await(store.create(RANGE));
    Cancellation cancelled = await(store.cancel(job.id()));

    assertEquals(Cancellation.Outcome.CANCELLED, cancelled.outcome());
    assertEquals(JobState.CANCELLED, cancelled.job().state());
    assertNotNull(cancelled.job().cancelledAt());
    assertEquals(cancelled.job().cancelledAt(), cancelled.job().finishedAt());
    assertEquals("CANCELLED", cancelled.job().toJson().getString("state"));
    assertTrue(cancelled.job().toJson().containsKey("cancelled_at"));
    assertEquals(Optional.empty(), await(store.claim("worker-a")));
    assertEquals(0, await(redis.inspect().zcard(RedisKeys.QUEUED)).toInteger());
    assertTrue(
        await(redis.inspect().pttl(RedisKeys.job(job.id()))).toLong() > 0, "expires as jobs do");
  }

  @Test
  void aCancelledRunningJobStopsItsWorkerAndNeverBecomesDone() throws InterruptedException {
    Job running = claim("worker-a");
    assertEquals(Cancellation.Outcome.CANCELLED, await(store.cancel(running.id())).outcome());

    assertEquals(Hold.CANCELLED, await(store.heartbeat(running.id(), "worker-a", HALF_WAY)));
    // a worker that did not hear of it (cut off from Redis) and finished anyway records nothing
    assertEquals(
        Hold.CANCELLED,
        await(store.complete(running.id(), "worker-a", resultOf(running), HALF_WAY)));
    assertEquals(
        RequeueOutcome.NOT_HELD, await(store.release(running.id(), "worker-a")), "nor requeues");
    Thread.sleep(POLICY.leaseTimeout().toMillis() + 50);
    assertEquals(0, await(store.requeueExpired()).count());

    Job after = find(running.id());
    assertEquals(JobState.CANCELLED, after.state());
    assertNull(after.result());
    assertNull(await(redis.inspect().zscore(RedisKeys.RUNNING, running.id())));
  }

  @Test
  void cancellingAgainChangesNothingAndAFinishedJobCannotBeCancelled() {
    Job cancelled = await(store.cancel(await(store.create(RANGE)).id())).job();
    Cancellation again = await(store.cancel(cancelled.id()));
    assertEquals(Cancellation.Outcome.ALREADY_CANCELLED, again.outcome());
    assertEquals(cancelled, again.job());

    Job done = claim("worker-a");
    await(store.attach(done.id(), "worker-a", INPUTS));
    await(store.complete(done.id(), "worker-a", resultOf(done), HALF_WAY));
    Cancellation refused = await(store.cancel(done.id()));
    assertEquals(Cancellation.Outcome.ALREADY_FINISHED, refused.outcome());
    assertEquals(JobState.DONE, find(done.id()).state());

    assertEquals(Cancellation.Outcome.UNKNOWN, await(store.cancel(JobIds.newId())).outcome());
  }

  @Test
  void aMergeIsRememberedAndTheNextJobOfTheSameInputsIsDoneWithoutOne() {
    Job first = claim("worker-a");
    assertEquals(Attachment.Kind.MERGE, await(store.attach(first.id(), "worker-a", INPUTS)).kind());
    JobResult result = resultOf(first);
    await(store.complete(first.id(), "worker-a", result, HALF_WAY));
    assertFalse(find(first.id()).cached());
    assertEquals(Optional.of(result), await(store.rememberedResult(INPUTS)));

    Job second = claim("worker-b");
    Attachment attached = await(store.attach(second.id(), "worker-b", INPUTS));
    assertEquals(Attachment.Kind.CACHED, attached.kind());
    Job done = find(second.id());
    assertEquals(done, attached.job());
    assertEquals(JobState.DONE, done.state());
    assertEquals(result, done.result());
    assertTrue(done.cached());
    assertEquals(true, done.toJson().getBoolean("cached"));
    assertNull(await(redis.inspect().zscore(RedisKeys.RUNNING, second.id())));

    Job other = claim("worker-b");
    assertEquals(
        Attachment.Kind.MERGE,
        await(store.attach(other.id(), "worker-b", "fingerprint-of-other-inputs")).kind(),
        "other inputs: a merge of their own");
  }

  @Test
  void aForgottenResultIsMergedAgain() {
    Job first = claim("worker-a");
    await(store.attach(first.id(), "worker-a", INPUTS));
    await(store.complete(first.id(), "worker-a", resultOf(first), HALF_WAY));

    assertFalse(await(store.forgetResult(INPUTS, "some-other-object.log")));
    assertTrue(await(store.rememberedResult(INPUTS)).isPresent());
    assertTrue(await(store.forgetResult(INPUTS, resultOf(first).key())));
    assertEquals(Optional.empty(), await(store.rememberedResult(INPUTS)));

    Job second = claim("worker-b");
    assertEquals(
        Attachment.Kind.MERGE, await(store.attach(second.id(), "worker-b", INPUTS)).kind());
  }

  @Test
  void aJobOfInputsBeingMergedWaitsForThatMergeAndEndsAsItDoes() {
    Job leader = claim("worker-a");
    await(store.attach(leader.id(), "worker-a", INPUTS));
    Job follower = claim("worker-b");
    Attachment attached = await(store.attach(follower.id(), "worker-b", INPUTS));
    assertEquals(Attachment.Kind.FOLLOW, attached.kind());
    assertEquals(leader.id(), attached.leaderId());

    Job waiting = find(follower.id());
    assertEquals(JobState.RUNNING, waiting.state());
    assertNull(waiting.worker(), "no worker holds a waiting job");
    assertEquals(0, waiting.attempts(), "waiting is no merge attempt");
    assertEquals(
        Hold.LOST,
        await(store.heartbeat(follower.id(), "worker-b", HALF_WAY)),
        "its worker let it go");

    await(store.heartbeat(leader.id(), "worker-a", HALF_WAY));
    assertEquals(HALF_WAY, find(follower.id()).progress(), "it shows the merge's progress");

    JobResult result = resultOf(leader);
    assertEquals(
        Hold.held(leader.id()), await(store.complete(leader.id(), "worker-a", result, HALF_WAY)));
    Job done = find(follower.id());
    assertEquals(JobState.DONE, done.state());
    assertEquals(result, done.result());
    assertTrue(done.cached());
    assertFalse(find(leader.id()).cached());
    assertEquals(0, await(redis.inspect().zcard(RedisKeys.RUNNING)).toInteger());
    assertEquals(
        1, finished("done", "none"), "the waiting job's end counted (the worker counts its own)");
  }

  @Test
  void whenTheMergeFailsForGoodTheWaitingJobsFailAlike() {
    Job leader = claim("worker-a");
    await(store.attach(leader.id(), "worker-a", INPUTS));
    Job follower = claim("worker-b");
    await(store.attach(follower.id(), "worker-b", INPUTS));

    JobFailure unreadable = new JobFailure(FailureCode.INPUT_UNREADABLE, "corrupt gzip");
    await(store.fail(leader.id(), "worker-a", unreadable));
    Job failed = find(follower.id());
    assertEquals(JobState.FAILED, failed.state());
    assertEquals(unreadable, failed.failure());
    assertEquals(1, finished("failed", "input-unreadable"));
    assertEquals(Optional.empty(), await(store.rememberedResult(INPUTS)));

    Job next = claim("worker-b");
    assertEquals(
        Attachment.Kind.MERGE,
        await(store.attach(next.id(), "worker-b", INPUTS)).kind(),
        "a failed merge is not waited for");
  }

  @Test
  void waitingJobsFailedWithAMergeOutOfAttemptsAreCountedAsItIs() throws InterruptedException {
    JobStore oneAttempt =
        connect(
            new JobPolicy(
                Duration.ofHours(1),
                10,
                Duration.ofMillis(200),
                Duration.ofMillis(100),
                1,
                Duration.ofMillis(10),
                Duration.ofSeconds(1)));
    try {
      JobFailure s3Down = new JobFailure(FailureCode.S3_UNAVAILABLE, "connection reset");
      Job retried = leaderWithFollowers(oneAttempt, "inputs-retried", 2);
      assertEquals(
          RequeueOutcome.FAILED, await(oneAttempt.retryLater(retried, "worker-a", s3Down)));
      assertEquals(2, finished("failed", "s3-unavailable"));

      Job lost = leaderWithFollowers(oneAttempt, "inputs-of-a-lost-worker", 1);
      Thread.sleep(POLICY.leaseTimeout().toMillis() + 50);
      assertEquals(List.of(lost.id()), await(oneAttempt.requeueExpired()).failed());
      assertEquals(
          1, finished("failed", "worker-lost"), "the waiting job, not the lost one: its worker's");
      assertEquals(0, await(redis.inspect().zcard(RedisKeys.RUNNING)).toInteger());
    } finally {
      oneAttempt.close();
    }
  }

  /** A job claimed by worker-a that merges {@code inputs}, with that many jobs waiting for it. */
  private Job leaderWithFollowers(JobStore jobs, String inputs, int followers) {
    await(jobs.create(RANGE));
    Job leader = await(jobs.claim("worker-a")).orElseThrow();
    assertEquals(Attachment.Kind.MERGE, await(jobs.attach(leader.id(), "worker-a", inputs)).kind());
    for (int i = 0; i < followers; i++) {
      await(jobs.create(RANGE));
      Job follower = await(jobs.claim("worker-b")).orElseThrow();
      assertEquals(
          Attachment.Kind.FOLLOW, await(jobs.attach(follower.id(), "worker-b", inputs)).kind());
    }
    return leader;
  }

  @Test
  void jobsWaitOnWhileTheMergeIsRetriedAndEndWithItsRetry() throws InterruptedException {
    Job leader = claim("worker-a");
    await(store.attach(leader.id(), "worker-a", INPUTS));
    Job follower = claim("worker-b");
    await(store.attach(follower.id(), "worker-b", INPUTS));

    await(
        store.retryLater(
            leader, "worker-a", new JobFailure(FailureCode.S3_UNAVAILABLE, "connection reset")));
    Thread.sleep(POLICY.leaseTimeout().toMillis() + 50);
    assertEquals(
        List.of(),
        await(store.requeueExpired()).requeued(),
        "the waiting job waits on for the queued merge");
    assertEquals(JobState.RUNNING, find(follower.id()).state());

    Job retried = await(store.claim("worker-c")).orElseThrow();
    assertEquals(leader.id(), retried.id());
    assertEquals(
        Attachment.Kind.MERGE, await(store.attach(retried.id(), "worker-c", INPUTS)).kind());
    await(store.complete(retried.id(), "worker-c", resultOf(retried), HALF_WAY));
    assertEquals(JobState.DONE, find(follower.id()).state());
  }

  @Test
  void whenARetriedMergeFindsOtherInputsTheWaitingJobsChooseAgain() {
    Job leader = claim("worker-a");
    await(store.attach(leader.id(), "worker-a", INPUTS));
    Job follower = claim("worker-b");
    await(store.attach(follower.id(), "worker-b", INPUTS));
    await(store.release(leader.id(), "worker-a"));

    Job retried = await(store.claim("worker-a")).orElseThrow();
    assertEquals(leader.id(), retried.id(), "queued before the waiting job");
    assertEquals(
        Attachment.Kind.MERGE,
        await(store.attach(retried.id(), "worker-a", "a-file-was-added-meanwhile")).kind());

    Job requeued = find(follower.id());
    assertEquals(JobState.QUEUED, requeued.state());
    assertEquals(follower.id(), await(store.claim("worker-b")).orElseThrow().id());
    assertEquals(
        Attachment.Kind.MERGE,
        await(store.attach(follower.id(), "worker-b", INPUTS)).kind(),
        "nobody merges the old inputs now");
  }

  @Test
  void aWaitingJobWhoseMergingJobVanishedIsQueuedAgainWithoutSpendingAnAttempt()
      throws InterruptedException {
    Job leader = claim("worker-a");
    await(store.attach(leader.id(), "worker-a", INPUTS));
    Job follower = claim("worker-b");
    await(store.attach(follower.id(), "worker-b", INPUTS));
    await(redis.inspect().del(List.of(RedisKeys.job(leader.id()))));

    Thread.sleep(POLICY.leaseTimeout().toMillis() + 50);
    assertEquals(List.of(follower.id()), await(store.requeueExpired()).requeued());
    Job requeued = find(follower.id());
    assertEquals(JobState.QUEUED, requeued.state());
    assertEquals(0, requeued.attempts());
  }

  @Test
  void cancellingTheMergingJobHandsItsMergeToAWaitingJob() {
    Job leader = claim("worker-a");
    await(store.attach(leader.id(), "worker-a", INPUTS));
    Job heir = claim("worker-b");
    await(store.attach(heir.id(), "worker-b", INPUTS));
    Job other = claim("worker-b");
    await(store.attach(other.id(), "worker-b", INPUTS));

    assertEquals(Cancellation.Outcome.CANCELLED, await(store.cancel(leader.id())).outcome());
    Job merging = find(heir.id());
    assertEquals("worker-a", merging.worker(), "the same worker merges on, for the heir");
    assertEquals(1, merging.attempts());
    assertEquals(Hold.held(heir.id()), await(store.heartbeat(leader.id(), "worker-a", HALF_WAY)));
    assertEquals(HALF_WAY, find(other.id()).progress(), "the other job now waits for the heir");

    JobResult result = resultOf(leader);
    assertEquals(
        Hold.held(heir.id()), await(store.complete(leader.id(), "worker-a", result, HALF_WAY)));
    assertEquals(JobState.CANCELLED, find(leader.id()).state());
    Job done = find(heir.id());
    assertEquals(JobState.DONE, done.state());
    assertEquals(result, done.result());
    assertFalse(done.cached(), "the heir's own merge");
    assertEquals(JobState.DONE, find(other.id()).state());
    assertEquals(Optional.of(result), await(store.rememberedResult(INPUTS)));
  }

  @Test
  void cancellingAQueuedMergingJobQueuesTheWaitingOnesAgain() {
    Job leader = claim("worker-a");
    await(store.attach(leader.id(), "worker-a", INPUTS));
    Job follower = claim("worker-b");
    await(store.attach(follower.id(), "worker-b", INPUTS));
    await(store.release(leader.id(), "worker-a"));

    await(store.cancel(leader.id()));
    assertEquals(JobState.QUEUED, find(follower.id()).state());
    assertEquals(follower.id(), await(store.claim("worker-b")).orElseThrow().id());
    assertEquals(
        Attachment.Kind.MERGE, await(store.attach(follower.id(), "worker-b", INPUTS)).kind());
  }

  @Test
  void cancellingAWaitingJobLeavesTheMergeAlone() {
    Job leader = claim("worker-a");
    await(store.attach(leader.id(), "worker-a", INPUTS));
    Job follower = claim("worker-b");
    await(store.attach(follower.id(), "worker-b", INPUTS));

    await(store.cancel(follower.id()));
    assertEquals(Hold.held(leader.id()), await(store.heartbeat(leader.id(), "worker-a", HALF_WAY)));
    await(store.complete(leader.id(), "worker-a", resultOf(leader), HALF_WAY));
    assertEquals(JobState.DONE, find(leader.id()).state());
    Job cancelled = find(follower.id());
    assertEquals(JobState.CANCELLED, cancelled.state());
    assertNull(cancelled.result());
  }

  @Test
  void concurrentJobsOfTheSameInputsMergeThemOnce() {
    List<Job> jobs = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      jobs.add(claim("worker-" + i));
    }
    List<Future<Attachment>> attached = new ArrayList<>();
    for (int i = 0; i < jobs.size(); i++) {
      attached.add(store.attach(jobs.get(i).id(), "worker-" + i, INPUTS));
    }
    await(Future.join(attached));
    assertEquals(
        1, attached.stream().filter(a -> a.result().kind() == Attachment.Kind.MERGE).count());
    assertEquals(
        19, attached.stream().filter(a -> a.result().kind() == Attachment.Kind.FOLLOW).count());
  }

  private JobStore connect(JobPolicy policy) {
    return JobStore.connect(
        redis.vertx(),
        redis.server().url(),
        RedisCallPolicy.DEFAULTS,
        policy,
        new LogmergeMeters(registry));
  }

  /** {@code logmerge_jobs_finished_total} counted by the job store (0 when never counted). */
  private double finished(String outcome, String code) {
    Counter counter =
        registry.find("logmerge.jobs.finished").tags("outcome", outcome, "code", code).counter();
    return counter == null ? 0 : counter.count();
  }

  private Job claim(String worker) {
    await(store.create(RANGE));
    return await(store.claim(worker)).orElseThrow();
  }

  private Job find(String id) {
    return await(store.find(id)).orElseThrow();
  }

  private static JobResult resultOf(Job job) {
    return new JobResult("merged", job.id() + ".log", 4096, "\"etag-of-" + job.id() + "\"");
  }
}
