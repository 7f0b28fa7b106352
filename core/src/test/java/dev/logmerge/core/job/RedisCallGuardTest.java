package dev.logmerge.core.job;

import static dev.logmerge.core.job.JobStoreTest.await;
import static dev.logmerge.core.job.JobStoreTest.failure;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.logmerge.core.DateRange;
import dev.logmerge.core.RedisServerExtension;
import dev.logmerge.core.config.LogmergeConfig;
import dev.logmerge.core.config.RedisCallPolicy;
import dev.logmerge.core.metrics.LogmergeMeters;
import dev.logmerge.devservices.FaultInjectingProxy;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The job store's breaker against a real redis-server behind a proxy that stops relaying (a hung
 * Redis, as the client sees it): it trips, refuses calls without asking Redis, makes its connection
 * anew, and lets calls through again once Redis answers its PING.
 */
class RedisCallGuardTest {
  private static final DateRange RANGE = DateRange.parse("2019-08-19", "2019-08-25");

  /** Short, so the test waits a fraction of a second for each timeout, not 5 s. */
  private static final RedisCallPolicy CALLS =
      new RedisCallPolicy(Duration.ofMillis(200), 2, Duration.ofMillis(100));

  @RegisterExtension static final RedisServerExtension redis = new RedisServerExtension();

  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private FaultInjectingProxy link;
  private JobStore store;

  @BeforeEach
  void connectThroughAProxy() {
    redis.flush();
    link = FaultInjectingProxy.start(redis.server().port());
    store =
        JobStore.connect(
            redis.vertx(),
            "redis://127.0.0.1:" + link.port(),
            CALLS,
            LogmergeConfig.defaults().jobs(),
            new LogmergeMeters(registry));
  }

  @AfterEach
  void close() {
    store.close();
    link.close();
  }

  @Test
  void tripsAfterTimeoutsInARowThenFailsCallsAtOnceAndRecoversWhenRedisAnswers() {
    Job job = await(store.create(RANGE));
    assertEquals(1, link.connectionsAccepted());
    link.pause();

    // two calls in flight time out together: the second outage in a row trips the breaker
    List<Future<Optional<Job>>> hung = List.of(store.find(job.id()), store.find(job.id()));
    for (Future<Optional<Job>> call : hung) {
      Throwable error = failure(call);
      assertInstanceOf(JobStoreUnavailableException.class, error);
      assertInstanceOf(TimeoutException.class, error.getCause());
    }
    assertEquals(1.0, gauge("logmerge.redis.breaker.open"));
    assertEquals(1.0, counter("logmerge.redis.breaker.trips"));

    Throwable refused = failure(store.find(job.id()));
    assertInstanceOf(JobStoreUnavailableException.class, refused);
    assertTrue(
        refused.getMessage().contains("calls fail at once until it answers a PING"),
        refused.getMessage());
    assertEquals(1.0, counter("logmerge.redis.breaker.refused"));
    assertEquals(
        2.0,
        registry.get("logmerge.redis.call.failures").tag("operation", "find").counter().count(),
        "the refused call never went to Redis");

    // the hung connection is let go: the probes connect anew
    awaitTrue(() -> link.connectionsAccepted() >= 2, "a new connection for the probe");

    link.heal();
    Future<Optional<Job>> found = store.find(job.id());
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (failed(found) && System.nanoTime() < deadline) {
      pause();
      found = store.find(job.id());
    }
    assertEquals(Optional.of(job), await(found));
    assertEquals(0.0, gauge("logmerge.redis.breaker.open"));
    assertEquals(1.0, counter("logmerge.redis.breaker.trips"));
    assertTrue(
        registry.get("logmerge.redis.call").tag("operation", "probe").timer().count() >= 1,
        "the probes are measured");
  }

  @Test
  void oneTimeoutAloneDoesNotTripIt() {
    Job job = await(store.create(RANGE));
    link.pause();
    assertInstanceOf(TimeoutException.class, failure(store.find(job.id())).getCause());
    link.heal();
    assertEquals(Optional.of(job), await(store.find(job.id())));
    assertEquals(0.0, gauge("logmerge.redis.breaker.open"));
    assertEquals(0.0, counter("logmerge.redis.breaker.trips"));
  }

  @Test
  void anErrorReplyIsAnAnswerNotAnOutage() {
    await(redis.inspect().set(List.of("not-a-number", "x")));
    Throwable reply = failure(redis.inspect().incr("not-a-number"));
    assertFalse(RedisCallGuard.isOutage(reply), reply.toString());
    assertTrue(RedisCallGuard.isOutage(new TimeoutException("no answer")));
    assertTrue(RedisCallGuard.isOutage(new java.net.ConnectException("refused")));
  }

  @Test
  void aClosedStoreLeavesTheGaugeAtZero() {
    link.pause();
    failure(Future.join(store.find(JobIds.newId()), store.find(JobIds.newId())));
    assertEquals(1.0, gauge("logmerge.redis.breaker.open"));
    store.close();
    assertEquals(0.0, gauge("logmerge.redis.breaker.open"));
  }

  private double gauge(String name) {
    return registry.get(name).gauge().value();
  }

  private double counter(String name) {
    return registry.get(name).counter().count();
  }

  private static boolean failed(Future<?> future) {
    try {
      future.otherwiseEmpty().await(10, java.util.concurrent.TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      throw new AssertionError("no answer within 10 s", e);
    }
    return future.failed();
  }

  private static void awaitTrue(java.util.function.BooleanSupplier condition, String what) {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not within 10 s: " + what);
      }
      pause();
    }
  }

  /** Between polls: the breaker's probe runs every 100 ms. */
  private static void pause() {
    try {
      Thread.sleep(10);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }
}
