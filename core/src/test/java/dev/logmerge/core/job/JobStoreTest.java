package dev.logmerge.core.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.logmerge.core.DateRange;
import dev.logmerge.core.RedisServerExtension;
import dev.logmerge.core.config.JobPolicy;
import dev.logmerge.devservices.FaultInjectingProxy;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.redis.client.Response;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The job store against a real redis-server: every transition, its atomicity and its TTLs. */
class JobStoreTest {
  private static final DateRange RANGE = DateRange.parse("2019-08-19", "2019-08-25");
  private static final JobPolicy POLICY =
      new JobPolicy(
          Duration.ofHours(1),
          3,
          Duration.ofSeconds(30),
          Duration.ofSeconds(5),
          3,
          Duration.ofMillis(300),
          Duration.ofSeconds(1));

  @RegisterExtension static final RedisServerExtension redis = new RedisServerExtension();

  private JobStore store;

  @BeforeEach
  void emptyRedis() {
    redis.flush();
    store = JobStore.connect(redis.vertx(), redis.server().url(), POLICY);
  }

  @AfterEach
  void closeStore() {
    store.close();
  }

  @Test
  void createsAQueuedJobWithARandomIdAndATtl() {
    Job job = await(store.create(RANGE));
    assertTrue(JobIds.isValid(job.id()), job.id());
    assertEquals(JobState.QUEUED, job.state());
    assertEquals(RANGE, job.range());
    assertEquals(0, job.attempts());
    assertNotNull(job.createdAt());
    assertTrue(pttl(RedisKeys.job(job.id())) > Duration.ofMinutes(59).toMillis());
    assertTrue(pttl(RedisKeys.QUEUED) > 0, "the queue index carries a TTL too");
    assertEquals(1L, queued());
    assertEquals(Optional.of(job), await(store.find(job.id())));
  }

  @Test
  void findsNothingForAnUnknownId() {
    assertEquals(Optional.empty(), await(store.find(JobIds.newId())));
  }

  @Test
  void refusesNewJobsWhenTheQueueIsFullAndWritesNothing() {
    for (int i = 0; i < POLICY.maxQueuedJobs(); i++) {
      await(store.create(RANGE));
    }
    Throwable error = failure(store.create(RANGE));
    assertInstanceOf(QueueFullException.class, error);
    assertEquals(POLICY.maxQueuedJobs(), await(redis.inspect().keys("job:*")).size());
  }

  @Test
  void claimsTheOldestJobWithALeaseAndOnlyOnce() {
    Job first = await(store.create(RANGE));
    await(store.create(RANGE));
    Job claimed = await(store.claim("worker-a")).orElseThrow();
    assertEquals(first.id(), claimed.id());
    assertEquals(JobState.RUNNING, claimed.state());
    assertEquals("worker-a", claimed.worker());
    assertEquals(1, claimed.attempts());
    assertNotNull(claimed.leaseUntil());
    assertNotNull(claimed.startedAt());
    assertNotNull(await(redis.inspect().zscore(RedisKeys.RUNNING, first.id())));
    assertEquals(1L, queued());
  }

  @Test
  void claimsInCreationOrderEvenWhenJobsShareAMillisecond() {
    for (int round = 0; round < 30; round++) {
      List<String> created = new ArrayList<>();
      for (int i = 0; i < POLICY.maxQueuedJobs(); i++) {
        created.add(await(store.create(RANGE)).id());
      }
      List<String> claimed = new ArrayList<>();
      for (int i = 0; i < POLICY.maxQueuedJobs(); i++) {
        claimed.add(await(store.claim("worker-a")).orElseThrow().id());
      }
      assertEquals(created, claimed, "round " + round);
    }
  }

  @Test
  void claimFindsNothingWhenTheQueueIsEmpty() {
    assertEquals(Optional.empty(), await(store.claim("worker-a")));
  }

  @Test
  void twoWorkersRacingForOneJobNeverBothWin() {
    JobStore other = JobStore.connect(redis.vertx(), redis.server().url(), POLICY);
    try {
      for (int round = 0; round < 50; round++) {
        redis.flush();
        Job job = await(store.create(RANGE));
        List<Future<Optional<Job>>> claims = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
          claims.add(store.claim("worker-a-" + i));
          claims.add(other.claim("worker-b-" + i));
        }
        await(Future.join(claims));
        List<Job> winners = claims.stream().map(Future::result).flatMap(Optional::stream).toList();
        assertEquals(1, winners.size(), "round " + round + ": " + winners);
        Job stored = await(store.find(job.id())).orElseThrow();
        assertEquals(winners.get(0).worker(), stored.worker());
        assertEquals(1, stored.attempts());
      }
    } finally {
      other.close();
    }
  }

  @Test
  void heartbeatRenewsTheLeaseAndRecordsProgressOnlyForTheHolder() throws InterruptedException {
    Job claimed = claimOne("worker-a");
    Thread.sleep(5);
    JobProgress progress = new JobProgress(15, 4, 1_000, 400, 1234);
    assertEquals(
        Hold.held(claimed.id()), await(store.heartbeat(claimed.id(), "worker-a", progress)));
    Job after = await(store.find(claimed.id())).orElseThrow();
    assertEquals(progress, after.progress());
    assertTrue(after.leaseUntil().isAfter(claimed.leaseUntil()));

    assertEquals(Hold.LOST, await(store.heartbeat(claimed.id(), "worker-b", JobProgress.NONE)));
    assertEquals(progress, await(store.find(claimed.id())).orElseThrow().progress());
  }

  @Test
  void completesWithTheResultAndLeavesTheRunningSet() {
    Job claimed = claimOne("worker-a");
    JobResult result = new JobResult("merged", claimed.id() + ".log", 4096, "\"abc-2\"");
    JobProgress progress = new JobProgress(3, 3, 9000, 9000, 64);
    assertEquals(
        Hold.LOST,
        await(store.complete(claimed.id(), "worker-b", result, progress)),
        "only the holder completes");
    assertEquals(
        Hold.held(claimed.id()), await(store.complete(claimed.id(), "worker-a", result, progress)));

    Job done = await(store.find(claimed.id())).orElseThrow();
    assertEquals(JobState.DONE, done.state());
    assertEquals(result, done.result());
    assertEquals(progress, done.progress());
    assertNotNull(done.finishedAt());
    assertNull(done.leaseUntil());
    assertNull(await(redis.inspect().zscore(RedisKeys.RUNNING, claimed.id())));
    assertTrue(pttl(RedisKeys.job(claimed.id())) > 0);
  }

  @Test
  void failsWithACodeAndAMessage() {
    Job claimed = claimOne("worker-a");
    assertEquals(
        Hold.held(claimed.id()),
        await(
            store.fail(
                claimed.id(), "worker-a", new JobFailure(FailureCode.NO_INPUT, "no files"))));
    Job failed = await(store.find(claimed.id())).orElseThrow();
    assertEquals(JobState.FAILED, failed.state());
    assertEquals(new JobFailure(FailureCode.NO_INPUT, "no files"), failed.failure());
    assertEquals("no-input", failed.toJson().getJsonObject("error").getString("code"));
  }

  @Test
  void expiredLeasesGoBackToTheQueueAndFailOnceAttemptsAreUsed() throws InterruptedException {
    JobStore shortLeases =
        JobStore.connect(
            redis.vertx(),
            redis.server().url(),
            new JobPolicy(
                Duration.ofHours(1),
                10,
                Duration.ofMillis(100),
                Duration.ofMillis(50),
                2,
                Duration.ofMillis(10),
                Duration.ofSeconds(1)));
    try {
      Job job = await(shortLeases.create(RANGE));
      await(shortLeases.claim("worker-a")).orElseThrow();
      assertEquals(
          new ExpiredLeases(List.of(), List.of()),
          await(shortLeases.requeueExpired()),
          "a live lease stays");
      Thread.sleep(150);
      assertEquals(
          new ExpiredLeases(List.of(job.id()), List.of()), await(shortLeases.requeueExpired()));
      Job requeued = await(shortLeases.find(job.id())).orElseThrow();
      assertEquals(JobState.QUEUED, requeued.state());
      assertNull(requeued.worker());
      assertEquals(FailureCode.WORKER_LOST, requeued.failure().code());
      assertEquals(
          Hold.LOST,
          await(shortLeases.heartbeat(job.id(), "worker-a", JobProgress.NONE)),
          "the old holder lost it");

      Job second = await(shortLeases.claim("worker-b")).orElseThrow();
      assertEquals(2, second.attempts());
      Thread.sleep(150);
      assertEquals(
          new ExpiredLeases(List.of(), List.of(job.id())),
          await(shortLeases.requeueExpired()),
          "out of attempts: failed, not requeued");
      Job failed = await(shortLeases.find(job.id())).orElseThrow();
      assertEquals(JobState.FAILED, failed.state());
      assertEquals(FailureCode.WORKER_LOST, failed.failure().code());
    } finally {
      shortLeases.close();
    }
  }

  @Test
  void retryLaterWaitsForTheBackoffThenFailsWhenAttemptsAreUsed() throws InterruptedException {
    Job job = await(store.create(RANGE));
    JobFailure s3Down = new JobFailure(FailureCode.S3_UNAVAILABLE, "connection refused");
    for (int attempt = 1; attempt < POLICY.maxAttempts(); attempt++) {
      Job claimed = await(store.claim("worker-a")).orElseThrow();
      assertEquals(RequeueOutcome.QUEUED, await(store.retryLater(claimed, "worker-a", s3Down)));
      assertEquals(
          Optional.empty(), await(store.claim("worker-a")), "not claimable during the backoff");
      Thread.sleep(POLICY.retryDelay(attempt).toMillis() + 50);
    }
    Job last = await(store.claim("worker-a")).orElseThrow();
    assertEquals(POLICY.maxAttempts(), last.attempts());
    assertEquals(RequeueOutcome.FAILED, await(store.retryLater(last, "worker-a", s3Down)));
    Job failed = await(store.find(job.id())).orElseThrow();
    assertEquals(JobState.FAILED, failed.state());
    assertEquals(s3Down, failed.failure());
  }

  @Test
  void releaseRequeuesAtOnceWithoutSpendingAnAttempt() {
    Job claimed = claimOne("worker-a");
    assertEquals(RequeueOutcome.NOT_HELD, await(store.release(claimed.id(), "worker-b")));
    assertEquals(RequeueOutcome.QUEUED, await(store.release(claimed.id(), "worker-a")));
    Job again = await(store.claim("worker-b")).orElseThrow();
    assertEquals(claimed.id(), again.id());
    assertEquals(1, again.attempts());
  }

  @Test
  void aSuccessfulRetryCarriesNoError() {
    Job job = await(store.create(RANGE));
    Job first = await(store.claim("worker-a")).orElseThrow();
    await(store.release(first.id(), "worker-a"));
    Job second = await(store.claim("worker-b")).orElseThrow();
    await(
        store.complete(
            second.id(), "worker-b", new JobResult("merged", "k", 1, "e"), JobProgress.NONE));
    Job done = await(store.find(job.id())).orElseThrow();
    assertNull(done.failure());
    assertFalse(done.toJson().containsKey("error"));
    assertFalse(done.toJson().containsKey("last_error"));
  }

  @Test
  void claimSkipsQueuedIdsWhoseJobExpired() {
    Job gone = await(store.create(RANGE));
    Job alive = await(store.create(RANGE));
    await(redis.inspect().del(List.of(RedisKeys.job(gone.id()))));
    assertEquals(alive.id(), await(store.claim("worker-a")).orElseThrow().id());
    assertEquals(0L, queued());
  }

  @Test
  void survivesARedisThatForgotItsScripts() {
    await(store.create(RANGE));
    await(redis.inspect().script(List.of("FLUSH")));
    assertTrue(await(store.claim("worker-a")).isPresent());
  }

  @Test
  void anUnreachableRedisFailsPromptlyWithATypedOutage() {
    int closedPort = dev.logmerge.devservices.LocalPorts.resolve("test", 0);
    JobStore unreachable =
        JobStore.connect(redis.vertx(), "redis://127.0.0.1:" + closedPort, POLICY);
    try {
      long start = System.nanoTime();
      assertInstanceOf(
          JobStoreUnavailableException.class, failure(unreachable.find(JobIds.newId())));
      assertInstanceOf(JobStoreUnavailableException.class, failure(unreachable.create(RANGE)));
      assertTrue(
          System.nanoTime() - start < Duration.ofSeconds(12).toNanos(),
          "bounded by the store's timeout");
    } finally {
      unreachable.close();
    }
  }

  @Test
  void answersConcurrentReadsAndWritesEachWithItsOwnReplyOverOneConnection() {
    JobStore busy =
        JobStore.connect(
            redis.vertx(),
            redis.server().url(),
            new JobPolicy(
                Duration.ofHours(1),
                1000,
                Duration.ofSeconds(30),
                Duration.ofSeconds(5),
                3,
                Duration.ofMillis(300),
                Duration.ofSeconds(1)));
    try {
      long clientsBefore = clients();
      List<Job> jobs =
          await(onEventLoop(() -> Future.all(repeat(100, () -> busy.create(RANGE))))).<Job>list();
      // from one event loop: polls of known and unknown jobs, as an HTTP verticle asks, mixed
      // with scripted writes (heartbeats of a worker that holds none of the jobs)
      List<Future<?>> answers =
          await(
              onEventLoop(
                  () -> {
                    List<Future<?>> asked = new ArrayList<>();
                    for (Job job : jobs) {
                      asked.add(busy.find(job.id()));
                      asked.add(busy.find(JobIds.newId()));
                      asked.add(busy.heartbeat(job.id(), "no-such-worker", JobProgress.NONE));
                    }
                    return Future.join(asked).map(all -> asked);
                  }));
      for (int i = 0; i < jobs.size(); i++) {
        assertEquals(Optional.of(jobs.get(i)), answers.get(3 * i).result());
        assertEquals(Optional.empty(), answers.get(3 * i + 1).result());
        assertEquals(Hold.LOST, answers.get(3 * i + 2).result());
      }
      assertEquals(clientsBefore + 1, clients(), "all on one connection of the store");
    } finally {
      busy.close();
    }
  }

  @Test
  void reconnectsAfterRedisClosedItsConnection() {
    Job job = await(store.create(RANGE));
    // every client connection but the one asking
    await(redis.inspect().client(List.of("KILL", "TYPE", "normal")));
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    Future<Optional<Job>> found = store.find(job.id());
    while (!succeeded(found) && System.nanoTime() < deadline) {
      // a command sent before the store noticed the closed connection fails as an outage;
      // later ones reconnect
      assertInstanceOf(JobStoreUnavailableException.class, failure(found));
      found = store.find(job.id());
    }
    assertEquals(Optional.of(job), await(found));
  }

  @Test
  void aRedisThatStopsAnsweringFailsEachCallAsAnOutageAfterFiveSecondsAndThenRecovers() {
    try (FaultInjectingProxy link = FaultInjectingProxy.start(redis.server().port())) {
      JobStore throughLink =
          JobStore.connect(redis.vertx(), "redis://127.0.0.1:" + link.port(), POLICY);
      try {
        Job job = await(throughLink.create(RANGE));
        link.pause();
        long start = System.nanoTime();
        assertInstanceOf(JobStoreUnavailableException.class, failure(throughLink.find(job.id())));
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        assertTrue(
            took.compareTo(Duration.ofMillis(4_500)) > 0
                && took.compareTo(Duration.ofSeconds(8)) < 0,
            "bounded by the store's 5 s timeout, took " + took.toMillis() + " ms");
        link.heal();
        assertEquals(Optional.of(job), await(throughLink.find(job.id())));
      } finally {
        throughLink.close();
      }
    }
  }

  private Job claimOne(String worker) {
    await(store.create(RANGE));
    return await(store.claim(worker)).orElseThrow();
  }

  private static long clients() {
    return await(redis.inspect().client(List.of("LIST"))).toString().lines().count();
  }

  private static <T> List<Future<T>> repeat(int times, Supplier<Future<T>> action) {
    List<Future<T>> futures = new ArrayList<>();
    for (int i = 0; i < times; i++) {
      futures.add(action.get());
    }
    return futures;
  }

  /** Runs {@code action} on an event loop, as a verticle would. */
  private static <T> Future<T> onEventLoop(Supplier<Future<T>> action) {
    Promise<T> result = Promise.promise();
    redis.vertx().getOrCreateContext().runOnContext(started -> action.get().onComplete(result));
    return result.future();
  }

  private static boolean succeeded(Future<?> future) {
    return completed(future).succeeded();
  }

  /** Jobs in the queue index, as Redis holds it. */
  private static long queued() {
    return await(redis.inspect().zcard(RedisKeys.QUEUED)).toLong();
  }

  private static long pttl(String key) {
    Response ttl = await(redis.inspect().pttl(key));
    return ttl.toLong();
  }

  static <T> T await(Future<T> future) {
    if (completed(future).failed()) {
      throw new AssertionError("operation failed: " + future.cause(), future.cause());
    }
    return future.result();
  }

  static Throwable failure(Future<?> future) {
    if (completed(future).succeeded()) {
      throw new AssertionError("expected a failure, got " + future.result());
    }
    return future.cause();
  }

  /** The future once it has succeeded or failed; a test failure after 10 s. */
  private static <T> Future<T> completed(Future<T> future) {
    try {
      future.otherwiseEmpty().await(10, TimeUnit.SECONDS);
      return future;
    } catch (TimeoutException e) {
      throw new AssertionError("no answer within 10 s", e);
    }
  }
}
